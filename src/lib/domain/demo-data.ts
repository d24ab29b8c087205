import type { Unit } from './plan.schema.ts';

/**
 * Synthetic demo measurements so that charts have something to show. Every value produced here is
 * invented and must be stored with `demo = 1`.
 */
export interface DemoIndicator {
	id: number;
	code: string;
	unit: Unit;
	kind: string;
	derived: string | null;
	baseline: number | null;
	target: number | null;
}

export interface DemoMeasurement {
	indicatorId: number;
	date: string;
	value: number;
	n: number;
}

/** Small deterministic pseudo-random generator (mulberry32), so demo data is the same on every load. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const hash = (s: string) => [...s].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);

/** One value per phase end date, drifting from the baseline towards the target with some noise. */
export function demoMeasurements(indicators: readonly DemoIndicator[], phaseEnds: readonly string[]): DemoMeasurement[] {
	const out: DemoMeasurement[] = [];
	for (const ind of indicators) {
		if (ind.kind !== 'programme' || ind.derived || ind.unit === 'text' || ind.target === null) continue;
		const rnd = seededRandom(hash(ind.code));
		const start = ind.baseline ?? ind.target * 0.6;
		phaseEnds.forEach((date, k) => {
			const share = (k + 1) / (phaseEnds.length + 1);
			let value = start + (ind.target! - start) * share * (0.7 + rnd() * 0.6);
			if (ind.unit === 'percent') value = Math.min(100, Math.max(0, value));
			value = ind.unit === 'count' ? Math.max(0, Math.round(value)) : Math.round(value * 10) / 10;
			out.push({ indicatorId: ind.id, date, value, n: 20 + Math.floor(rnd() * 80) });
		});
	}
	return out;
}
