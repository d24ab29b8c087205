import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	combine,
	indicatorFigure,
	isPerPeriod,
	rollUpRegion,
	subtree,
	type FigurePeriod,
	type IndicatorRule,
	type Observation,
	type Rolled
} from '../../src/lib/domain/rollup.ts';
import type { PhaseSpan } from '../../src/lib/domain/phase-calendar.ts';

const rolled = (value: number, n: number | null = null, date = '2024-10-31'): Rolled => ({
	value,
	n,
	date,
	source: null,
	demo: false
});
const at = (regionId: number, date: string, value: number, n: number | null = null): Observation => ({
	regionId,
	date,
	value,
	n
});

// two school years of three phases each
const PHASES: PhaseSpan[] = [
	{ id: 11, start: '2024-09-01', end: '2024-10-31' },
	{ id: 12, start: '2024-11-01', end: '2024-12-31' },
	{ id: 13, start: '2025-01-01', end: '2025-06-30' },
	{ id: 21, start: '2025-09-01', end: '2025-10-31' },
	{ id: 22, start: '2025-11-01', end: '2025-12-31' },
	{ id: 23, start: '2026-01-01', end: '2026-06-30' }
];
/** the period of phase `id`: per-period values from its school year's first phase */
function periodOf(id: number): FigurePeriod {
	const i = PHASES.findIndex((p) => p.id === id);
	const first = i - (i % 3);
	return {
		window: { start: PHASES[first].start, end: PHASES[i].end },
		phases: PHASES.slice(first, i + 1),
		allPhases: PHASES,
		outside: { start: `${PHASES[first].start.slice(0, 4)}-08-01`, end: PHASES[i].end }
	};
}

// 1 city > 2 district > 3, 4 schools; 5 another district without data
const REGIONS = [
	{ id: 1, parentId: null },
	{ id: 2, parentId: 1 },
	{ id: 3, parentId: 2 },
	{ id: 4, parentId: 2 },
	{ id: 5, parentId: 1 }
];
const YEARLY: IndicatorRule = { aggregation: 'weighted_mean', frequency: 'yearly' };
const PER_PHASE_SUM: IndicatorRule = { aggregation: 'sum', frequency: 'per_phase' };

describe(isPerPeriod.name, () => {
	it('should treat per-phase sums and derived indicators as per-period', () => {
		expect(isPerPeriod({ aggregation: 'sum', frequency: 'per_phase' })).toBe(true);
		expect(isPerPeriod({ aggregation: 'weighted_mean', frequency: 'per_phase', derived: { measure: 'actions' } })).toBe(
			true
		);
	});

	it('should treat percentages, yearly counts and population figures as cumulative', () => {
		expect(isPerPeriod({ aggregation: 'weighted_mean', frequency: 'per_phase' })).toBe(false);
		expect(isPerPeriod({ aggregation: 'sum', frequency: 'yearly' })).toBe(false);
		expect(isPerPeriod({ aggregation: 'latest', frequency: 'every_4_years', derived: null })).toBe(false);
	});
});

describe(combine.name, () => {
	const of = (regionId: number, value: number, n: number | null = null, date = '2024-10-31') => ({
		...rolled(value, n, date),
		regionId
	});

	it('should add up, average and weight by n', () => {
		expect(combine('sum', [of(1, 10), of(2, 5)])?.value.value).toBe(15);
		expect(combine('mean', [of(1, 10, 100), of(2, 20, 1)])?.value.value).toBe(15);
		const weighted = combine('weighted_mean', [of(1, 10, 30), of(2, 20, 10)]);
		expect(weighted?.value).toMatchObject({ value: 12.5, n: 40 });
		expect(weighted?.used).toEqual([1, 2]);
	});

	it('should leave a child without n out of a weighted mean and name it', () => {
		const r = combine('weighted_mean', [of(1, 10, 30), of(2, 50, null)]);
		expect(r?.value.value).toBe(10);
		expect(r).toMatchObject({ used: [1], withoutN: [2], unweighted: false });
	});

	it('should fall back to a plain mean, said so, when no child has n', () => {
		expect(combine('weighted_mean', [of(1, 10), of(2, 20)])).toMatchObject({ value: { value: 15 }, unweighted: true });
	});

	it('should take the newest value for latest, and nothing from nothing', () => {
		expect(combine('latest', [of(1, 1, null, '2024-09-30'), of(2, 2, null, '2024-11-30')])?.value.value).toBe(2);
		expect(combine('sum', [])).toBeNull();
	});
});

describe(rollUpRegion.name, () => {
	const counts = (entries: [number, Rolled][]) => new Map(entries.map(([id, v]) => [id, { value: v, counts: true }]));

	it('should roll children up by the rule when a region has no value of its own, with coverage', () => {
		const own = counts([
			[3, rolled(40, 100)],
			[4, rolled(80, 300)]
		]);
		const { figure } = rollUpRegion('weighted_mean', REGIONS, own, 2);
		expect(figure?.value).toBeCloseTo(70);
		expect(figure?.coverage).toMatchObject({ used: [3, 4], leftOut: [], n: 400 });
		// the city: the district's figure, and the other district left out for want of data
		expect(rollUpRegion('weighted_mean', REGIONS, own, 1).figure?.coverage?.leftOut).toEqual([
			{ regionId: 5, reason: 'geen-gegevens' }
		]);
	});

	it("should use a region's own value when it is at least as recent as its children's", () => {
		const own = counts([
			[2, rolled(100, null, '2024-10-31')],
			[3, rolled(40, null, '2024-10-31')],
			[4, rolled(80, null, '2024-09-30')]
		]);
		expect(rollUpRegion('sum', REGIONS, own, 2).figure).toMatchObject({ value: 100, own: true, coverage: null });
	});

	it("should let newer values of the children win over an older value of the region's own", () => {
		const own = counts([
			[2, rolled(100, null, '2023-06-30')],
			[3, rolled(40, 10, '2024-10-10')],
			[4, rolled(80, 30, '2024-10-20')]
		]);
		expect(rollUpRegion('weighted_mean', REGIONS, own, 2).figure).toMatchObject({ value: 70, own: false, n: 40 });
	});

	it('should never count a value that does not count, and say why the child is left out', () => {
		const own = new Map([
			[3, { value: rolled(40, 10), counts: true }],
			[4, { value: rolled(80, 30, '2022-01-01'), counts: false }]
		]);
		const { figure } = rollUpRegion('weighted_mean', REGIONS, own, 2);
		expect(figure?.value).toBe(40);
		expect(figure?.coverage?.leftOut).toEqual([{ regionId: 4, reason: 'verouderd' }]);
	});

	it('should say a child with a fresh but older value is left out as older under latest, never as without data', () => {
		const own = counts([
			[3, rolled(40, 10, '2024-10-10')],
			[4, rolled(80, 30, '2024-10-20')]
		]);
		const { figure } = rollUpRegion('latest', REGIONS, own, 2);
		expect(figure?.value).toBe(80);
		expect(figure?.coverage).toMatchObject({ used: [4], leftOut: [{ regionId: 3, reason: 'ouder' }] });
	});

	it('should give no figure but the newest verouderd value when nothing counts', () => {
		const own = new Map([
			[2, { value: rolled(5, null, '2021-01-01'), counts: false }],
			[3, { value: rolled(7, null, '2022-01-01'), counts: false }]
		]);
		expect(rollUpRegion('sum', REGIONS, own, 1)).toEqual({ figure: null, stale: rolled(7, null, '2022-01-01') });
		expect(rollUpRegion('sum', REGIONS, own, 5)).toEqual({ figure: null, stale: null });
	});
});

describe(`${indicatorFigure.name}: validity`, () => {
	it('should count a yearly value for 15 months and then show it as verouderd', () => {
		const obs = [at(3, '2024-06-30', 25)];
		// valid to 30 September 2025: counted at the end of June 2025, verouderd at the end of October 2025
		expect(indicatorFigure(YEARLY, REGIONS, obs, 3, periodOf(13)).figure?.value).toBe(25);
		const later = indicatorFigure(YEARLY, REGIONS, obs, 3, periodOf(21));
		expect(later.figure).toBeNull();
		expect(later.stale?.date).toBe('2024-06-30');
	});

	it('should honour the plan’s own validity in months', () => {
		const obs = [at(3, '2024-06-30', 25)];
		// valid to 30 November 2024
		expect(indicatorFigure({ ...YEARLY, validMonths: 5 }, REGIONS, obs, 3, periodOf(11)).figure).not.toBeNull();
		expect(indicatorFigure({ ...YEARLY, validMonths: 5 }, REGIONS, obs, 3, periodOf(12)).figure).toBeNull();
	});

	it('should keep a per-phase value to the end of the next phase', () => {
		const rule: IndicatorRule = { aggregation: 'weighted_mean', frequency: 'per_phase' };
		const obs = [at(3, '2024-10-15', 60, 20)];
		expect(indicatorFigure(rule, REGIONS, obs, 3, periodOf(12)).figure?.value).toBe(60);
		expect(indicatorFigure(rule, REGIONS, obs, 3, periodOf(13)).figure).toBeNull();
	});

	it('should let a 16-month-old value of the district no longer hide October values of two schools', () => {
		const obs = [at(2, '2024-06-30', 90, 500), at(3, '2025-10-10', 40, 10), at(4, '2025-10-20', 80, 30)];
		const { figure } = indicatorFigure(YEARLY, REGIONS, obs, 2, periodOf(21));
		expect(figure).toMatchObject({ value: 70, own: false, coverage: { used: [3, 4] } });
	});
});

describe(`${indicatorFigure.name}: per-period sums`, () => {
	it('should add the phase figures from the school year’s first phase, and start again the next year', () => {
		const obs = [at(3, '2024-09-20', 10), at(3, '2024-11-20', 22), at(3, '2025-09-20', 7)];
		expect(indicatorFigure(PER_PHASE_SUM, REGIONS, obs, 3, periodOf(11)).figure?.value).toBe(10);
		const second = indicatorFigure(PER_PHASE_SUM, REGIONS, obs, 3, periodOf(12)).figure;
		expect(second?.value).toBe(32);
		expect(second?.phases?.map((p) => [p.phaseId, p.value])).toEqual([
			[11, 10],
			[12, 22]
		]);
		expect(indicatorFigure(PER_PHASE_SUM, REGIONS, obs, 3, periodOf(21)).figure?.value).toBe(7);
	});

	it('should not lower a running total when the parent region gets a figure in a later phase', () => {
		// schools 10 in the first phase and 22 in the second; the district reports 5 in November
		const obs = [at(3, '2024-09-20', 10), at(4, '2024-11-10', 22), at(2, '2024-11-25', 5)];
		expect(indicatorFigure(PER_PHASE_SUM, REGIONS, obs, 2, periodOf(11)).figure?.value).toBe(10);
		// the second phase: the district's own figure is the most recent there, so 10 + 5
		expect(indicatorFigure(PER_PHASE_SUM, REGIONS, obs, 2, periodOf(12)).figure?.value).toBe(15);
	});

	it('should count values dated between phases in no phase, and report them apart', () => {
		const obs = [at(3, '2024-08-15', 9), at(3, '2024-09-20', 10)];
		const r = indicatorFigure(PER_PHASE_SUM, REGIONS, obs, 3, periodOf(11));
		expect(r.figure?.value).toBe(10);
		expect(r.outsidePhases?.value).toBe(9);
	});

	it('should apply the region rule to the days between phases too: no double counting, nothing from elsewhere', () => {
		const obs = [at(3, '2024-08-15', 9), at(4, '2024-08-16', 7), at(2, '2024-08-20', 4)];
		// the district's own summer figure is the most recent: it stands for its schools
		expect(indicatorFigure(PER_PHASE_SUM, REGIONS, obs, 2, periodOf(11)).outsidePhases?.value).toBe(4);
		expect(indicatorFigure(PER_PHASE_SUM, REGIONS, obs, 3, periodOf(11)).outsidePhases?.value).toBe(9);
	});

	it('should add up everything in the subtree for a derived indicator (actions are events)', () => {
		const derived = { ...PER_PHASE_SUM, derived: { measure: 'actions' } };
		const obs = [at(2, '2024-10-31', 1), at(3, '2024-10-31', 2), at(4, '2024-10-31', 3)];
		expect(indicatorFigure(derived, REGIONS, obs, 2, periodOf(11)).figure?.value).toBe(6);
		expect(indicatorFigure(derived, REGIONS, obs, 3, periodOf(11)).figure?.value).toBe(2);
	});
});

describe(subtree.name, () => {
	it('should list a region and everything below it, and every region for the whole programme', () => {
		expect(subtree(REGIONS, 2).sort()).toEqual([2, 3, 4]);
		expect(subtree(REGIONS, null).sort()).toEqual([1, 2, 3, 4, 5]);
	});
});

// ---- properties over random region trees and values -------------------------------------------------

const DATES = ['2024-08-20', '2024-09-15', '2024-10-20', '2024-11-15', '2024-12-20', '2025-03-01', '2025-07-10'];
/** a random tree: region i's parent is one of the regions before it, or none */
const treeArb = fc
	.array(fc.nat(), { minLength: 1, maxLength: 8 })
	.map((picks) => picks.map((p, i) => ({ id: i + 1, parentId: i === 0 || p % 3 === 0 ? null : (p % i) + 1 })));
const obsArb = (regions: number) =>
	fc.array(
		fc.record({
			regionId: fc.integer({ min: 1, max: regions }),
			date: fc.constantFrom(...DATES),
			value: fc.integer({ min: 0, max: 100 }),
			n: fc.option(fc.integer({ min: 1, max: 50 }), { nil: null })
		}),
		{ maxLength: 20 }
	);
const caseArb = treeArb.chain((regions) =>
	fc.tuple(fc.constant(regions), obsArb(regions.length), fc.option(fc.integer({ min: 1, max: regions.length })))
);

describe('figure rules (properties)', () => {
	it('should never lower a running total when a value is added to a later phase', () => {
		fc.assert(
			fc.property(
				caseArb,
				fc.integer({ min: 1, max: 8 }),
				fc.integer({ min: 0, max: 100 }),
				([regions, obs, root], r, v) => {
					const regionId = ((r - 1) % regions.length) + 1;
					const before = indicatorFigure(PER_PHASE_SUM, regions, obs, root, periodOf(11)).figure?.value ?? 0;
					const added = [...obs, at(regionId, '2024-11-20', v)];
					const after = indicatorFigure(PER_PHASE_SUM, regions, added, root, periodOf(12)).figure?.value ?? 0;
					expect(after).toBeGreaterThanOrEqual(before);
					// and the earlier phase itself is untouched by it
					expect(indicatorFigure(PER_PHASE_SUM, regions, added, root, periodOf(11)).figure?.value ?? 0).toBe(before);
				}
			)
		);
	});

	it('should let the most recent information win: a figure is never older than a counting value below it', () => {
		fc.assert(
			fc.property(caseArb, ([regions, obs, root]) => {
				// a plain mean uses every child (a weighted one leaves out children without n, and says so)
				const { figure } = indicatorFigure({ ...YEARLY, aggregation: 'mean' }, regions, obs, root, periodOf(13));
				const below = new Set(subtree(regions, root));
				const counting = obs.filter((o) => below.has(o.regionId) && o.date <= '2025-06-30');
				if (counting.length === 0) {
					expect(figure).toBeNull();
					return;
				}
				const newestBelow = counting
					.map((o) => o.date)
					.sort()
					.at(-1);
				expect(figure?.date).toBe(newestBelow);
			})
		);
	});

	it('should never count a stale value', () => {
		fc.assert(
			fc.property(caseArb, ([regions, obs, root]) => {
				// valid for 6 months: every value is verouderd at the end of the second school year
				const { figure, stale } = indicatorFigure({ ...YEARLY, validMonths: 6 }, regions, obs, root, periodOf(23));
				expect(figure).toBeNull();
				const below = new Set(subtree(regions, root));
				expect(stale === null).toBe(!obs.some((o) => below.has(o.regionId)));
			})
		);
	});

	it('should account for every child region: used and left out add up to the children', () => {
		fc.assert(
			fc.property(caseArb, ([regions, obs, root]) => {
				const { figure } = indicatorFigure(YEARLY, regions, obs, root, periodOf(13));
				if (!figure?.coverage) return;
				const children = regions.filter((r) => r.parentId === root).map((r) => r.id);
				const accounted = [...figure.coverage.used, ...figure.coverage.leftOut.map((l) => l.regionId)];
				expect(accounted.sort()).toEqual([...children].sort());
				expect(figure.coverage.used.length).toBeGreaterThan(0);
			})
		);
	});
});
