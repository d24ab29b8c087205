import { ACTION_KINDS, type Direction, type Unit } from './plan.schema.ts';
import { needsN, type CategoryValue, type Dimension } from './breakdown.ts';

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
	/** the dimensions it is split by (breakdown.ts): its demo values get categories */
	dimensions?: readonly Dimension[];
	direction?: Direction;
}

export interface DemoMeasurement {
	indicatorId: number;
	date: string;
	value: number;
	n: number;
	/** per category of its dimensions, when it has any */
	categories?: CategoryValue[];
}

/** The value of a dimension whose demo group is kept small, so the demo shows "te weinig respondenten". */
export const SMALL_DEMO_CATEGORY = 'anders-onbekend';

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

/**
 * One value per phase end date, drifting from the baseline towards the target with some noise; an
 * indicator split by dimensions gets its categories too (demoCategories).
 */
export function demoMeasurements(
	indicators: readonly DemoIndicator[],
	phaseEnds: readonly string[]
): DemoMeasurement[] {
	const out: DemoMeasurement[] = [];
	for (const ind of indicators) {
		if (ind.kind !== 'programme' || ind.derived || ind.unit === 'text' || ind.target === null) continue;
		const rnd = seededRandom(hash(ind.code));
		// a generator of its own, so the totals stay what they were before breakdowns
		const categoryRnd = seededRandom(hash(`${ind.code}:categories`));
		const start = ind.baseline ?? ind.target * 0.6;
		phaseEnds.forEach((date, k) => {
			const share = (k + 1) / (phaseEnds.length + 1);
			let value = start + (ind.target! - start) * share * (0.7 + rnd() * 0.6);
			if (ind.unit === 'percent') value = Math.min(100, Math.max(0, value));
			value = ind.unit === 'count' ? Math.max(0, Math.round(value)) : Math.round(value * 10) / 10;
			const m: DemoMeasurement = { indicatorId: ind.id, date, value, n: 20 + Math.floor(rnd() * 80) };
			if (ind.dimensions?.length)
				m.categories = ind.dimensions.flatMap((d) =>
					demoCategories(ind, d, m, k / Math.max(1, phaseEnds.length - 1), categoryRnd)
				);
			out.push(m);
		});
	}
	return out;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * A demo measurement's categories for one dimension, consistent with its total (categoryIssues finds
 * nothing, categoryFlags nothing either): the n add up to the total's n, the n-weighted mean of the values
 * is the total (up to rounding), counts add up to it. The first value fares worse than the second (meisjes
 * more stress, as the sources say: higher where lower is better), the gap narrowing from 12 to 6 points over
 * the phases (`progress` 0 → 1); further values sit at the total; `anders-onbekend` is a group of 2–5, so
 * the demo shows small-group suppression.
 */
function demoCategories(
	ind: DemoIndicator,
	d: Dimension,
	total: { value: number; n: number },
	progress: number,
	rnd: () => number
): CategoryValue[] {
	const values = d.values.filter((v) => !v.archived);
	const small = values.map((v) => (v.key === SMALL_DEMO_CATEGORY ? 2 + Math.floor(rnd() * 4) : 0));
	const large = small.flatMap((x, i) => (x === 0 ? [i] : []));
	const rest = Math.max(0, total.n - small.reduce((a, b) => a + b, 0));
	const each = large.length ? Math.floor(rest / large.length) : 0;
	const last = large.at(-1);
	const sizes = small.map((x, i) => x || (i === last ? rest - each * (large.length - 1) : each));
	const n = sizes.reduce((a, b) => a + b, 0) || 1;
	if (ind.unit === 'count') {
		let rest = total.value;
		return values.map((v, i) => {
			const value = i === values.length - 1 ? rest : Math.round((total.value * sizes[i]) / n);
			rest -= value;
			return { dimension: d.key, category: v.key, value };
		});
	}
	const scale = ind.unit === 'score' ? 0.1 : 1;
	const worse = ind.direction === 'higher_is_better' ? -1 : 1;
	const gap = worse * scale * (12 - 6 * progress);
	const [a, b] = [sizes[0], sizes[1] ?? 0];
	const clamp = (x: number) => (ind.unit === 'percent' ? Math.min(100, Math.max(0, x)) : x);
	return values.map((v, i) => {
		// a above and b below the total, weighted by each other's n, so that their weighted mean is the total
		const offset = a + b === 0 ? 0 : i === 0 ? (gap * b) / (a + b) : i === 1 ? (-gap * a) / (a + b) : 0;
		return {
			dimension: d.key,
			category: v.key,
			value: round1(clamp(total.value + offset)),
			...(needsN(ind.unit) ? { n: sizes[i] } : {})
		};
	});
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
