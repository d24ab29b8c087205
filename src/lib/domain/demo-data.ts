import { ACTION_KINDS, type Unit } from './plan.schema.ts';

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
export function demoMeasurements(
	indicators: readonly DemoIndicator[],
	phaseEnds: readonly string[]
): DemoMeasurement[] {
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

export interface DemoActionInput {
	/** with the kinds of action the solution's derived indicators count, if any: its demo actions are of those kinds */
	solutions: readonly { id: number; nextStepId: number; kinds?: readonly (typeof ACTION_KINDS)[number][] }[];
	/** phases that have ended: demo actions are never dated in the future */
	phases: readonly { start: string; end: string }[];
	regionIds: readonly number[];
	/** an organisation's demo actions lie in its own region when that is one of `regionIds` */
	organisations: readonly { id: number; regionId: number | null }[];
}

export interface DemoAction {
	date: string;
	solutionId: number;
	nextStepId: number;
	kind: (typeof ACTION_KINDS)[number];
	regionId: number;
	organisationId: number | null;
	reached: { jongeren: number; ouders: number; professionals: number };
	description: string;
	quote: string | null;
	quotePublic: boolean;
}

const DAY = 86_400_000;
const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * DAY).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY);

/**
 * Synthetic demo actions so that the action log and the derived ("bereik") indicators have something to
 * show: two or three per solution per ended phase, spread over the regions. Every action produced here is
 * invented and must be stored with `demo = 1`; its texts say so.
 */
export function demoActions(input: DemoActionInput, seed = 2024): DemoAction[] {
	const rnd = seededRandom(seed);
	const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
	const out: DemoAction[] = [];
	if (input.regionIds.length === 0) return out;
	for (const phase of input.phases)
		for (const solution of input.solutions) {
			const count = 2 + Math.floor(rnd() * 2);
			for (let k = 0; k < count; k++) {
				const kind = pick(solution.kinds?.length ? solution.kinds : ACTION_KINDS);
				const withQuote = rnd() < 0.12;
				const organisation = input.organisations.length ? pick(input.organisations) : null;
				const own = organisation?.regionId ?? null;
				out.push({
					date: addDays(phase.start, Math.floor(rnd() * (daysBetween(phase.start, phase.end) + 1))),
					solutionId: solution.id,
					nextStepId: solution.nextStepId,
					kind,
					regionId: own !== null && input.regionIds.includes(own) ? own : pick(input.regionIds),
					organisationId: organisation?.id ?? null,
					reached: {
						jongeren: Math.floor(rnd() * 30),
						ouders: Math.floor(rnd() * 15),
						professionals: Math.floor(rnd() * 6)
					},
					description: `Demo-actie (${kind}): synthetisch voorbeeld, geen echte activiteit.`,
					quote: withQuote ? 'Demo-verhaal: synthetische observatie ter illustratie, geen echte uitspraak.' : null,
					quotePublic: withQuote && rnd() < 0.5
				});
			}
		}
	return out.sort((a, b) => a.date.localeCompare(b.date));
}
