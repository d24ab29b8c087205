import { describe, expect, it } from 'vitest';
import { choosePeriod, type PeriodSchoolYear } from '../../src/lib/domain/period.ts';
import {
	computeProgress,
	onTrackOf,
	type ProgressIndicator,
	type ProgressInput
} from '../../src/lib/domain/programme-progress.ts';
import {
	coversText,
	parsePerspectives,
	stepPlacement,
	storePerspectives,
	systemMap,
	type Placement
} from '../../src/lib/domain/system-map.ts';
import { planSchema } from '../../src/lib/domain/plan.schema.ts';
import { readNodeForm } from '../../src/lib/domain/plan-edit.ts';
import { inDutch } from '../../src/lib/domain/zod-messages.ts';
import { readPlanFile } from '../../src/lib/server/plan-files.ts';
import { VLEUTEN } from '../helpers/plans.ts';

const YEAR: PeriodSchoolYear = {
	id: 1,
	name: '2024-2025',
	phases: [
		{ id: 11, name: 'September', start: '2024-09-01', end: '2024-09-30', evaluationDate: '2024-09-30' },
		{ id: 12, name: 'Oktober', start: '2024-10-01', end: '2024-10-31', evaluationDate: '2024-10-31' }
	]
};

const indicator = (id: number, node: ProgressIndicator['node'], over: Partial<ProgressIndicator> = {}) =>
	({
		id,
		code: `I${id}`,
		name: `Indicator ${id}`,
		kind: 'programme',
		unit: 'percent',
		direction: 'higher_is_better',
		frequency: 'per_phase',
		aggregation: 'weighted_mean',
		source: 'test',
		node,
		baseline: { value: 20, date: '2024-09-01', source: 'test', demo: false, region: null },
		target: { value: 60, date: '2025-06-30', demo: false },
		derived: null,
		validMonths: null,
		comparable: false,
		...over
	}) satisfies ProgressIndicator;

const place = (level: number | null, perspectives: Placement['perspectives'], trend: string | null): Placement => ({
	level,
	perspectives,
	trend
});

/**
 * Theme 1 (level 1, ouders, "Verwachtingen") with step 100 placed on its own (level 2, jongeren and
 * professionals), step 101 placed by its theme, and a solution under step 100; theme 2 placed nowhere.
 * On 31 October the expected progress is about 0.2: step 100's 50 (0.75) is op koers, step 101's 20 (0) achter.
 */
function fixture(): ProgressInput {
	const point = (regionId: number, value: number) => ({
		regionId,
		value,
		n: 100,
		date: '2024-10-31',
		source: null,
		demo: false
	});
	return {
		programmeStart: '2024-09-01',
		regions: [{ id: 1, parentId: null, slug: 'stad', name: 'Stad', kind: 'gemeente' }],
		phases: YEAR.phases,
		themes: [
			{
				id: 10,
				code: 'T1',
				title: 'Thema een',
				parentId: null,
				number: 1,
				placement: place(1, ['ouders'], 'Verwachtingen')
			},
			{ id: 20, code: 'T2', title: 'Thema twee', parentId: null, number: 2 }
		],
		nextSteps: [
			{
				id: 100,
				code: 'T1-VS1',
				title: 'Stap een',
				parentId: 10,
				placement: place(2, ['jongeren', 'professionals'], null)
			},
			{ id: 101, code: 'T1-VS2', title: 'Stap twee', parentId: 10, placement: place(null, [], null) },
			{ id: 200, code: 'T2-VS1', title: 'Stap drie', parentId: 20 }
		],
		solutions: [{ id: 1000, code: 'T1-S1', title: 'Oplossing', parentId: 100 }],
		ambitions: [],
		outcomes: [],
		indicators: [
			indicator(1, { level: 'solution', id: 1000 }),
			indicator(2, { level: 'nextStep', id: 101 }),
			indicator(3, { level: 'nextStep', id: 200 }, { unit: 'text', direction: 'none', baseline: null, target: null }),
			indicator(4, { level: 'theme', id: 10 })
		],
		evaluations: [],
		values: new Map([
			[1, [point(1, 50)]],
			[2, [point(1, 20)]],
			[4, [point(1, 90)]]
		]),
		actionGroups: [],
		regionId: null,
		period: choosePeriod([YEAR], '12', '2024-10-15')!
	};
}

describe(systemMap.name, () => {
	const input = fixture();
	const progress = computeProgress(input);
	const map = systemMap(input, progress);
	const step = (code: string) => map.steps.find((s) => s.code === code)!;

	it("should place a next step by its own placement, and by its theme's where it has none", () => {
		expect(step('T1-VS1')).toMatchObject({ level: 2, perspectives: ['jongeren', 'professionals'] });
		expect(step('T1-VS1').societalTrend).toBe('Verwachtingen');
		expect(step('T1-VS1').inherited).toBe(true);
		expect(step('T1-VS2')).toMatchObject({ level: 1, perspectives: ['ouders'], societalTrend: 'Verwachtingen' });
		expect(step('T2-VS1')).toMatchObject({ level: null, perspectives: [], societalTrend: null, inherited: false });
		expect(step('T1-VS1').theme).toEqual({ id: 10, number: 1, code: 'T1', title: 'Thema een' });
	});

	it('should put each step in the cells of its level and perspectives, levels 0 to 3, then the steps without a level', () => {
		expect(map.rows.map((r) => r.level)).toEqual([0, 1, 2, 3, null]);
		const codes = (level: number | null) =>
			Object.fromEntries(
				map.rows.find((r) => r.level === level)!.cells.map((c) => [c.perspective, c.steps.map((s) => s.code)])
			);
		expect(codes(2)).toEqual({ jongeren: ['T1-VS1'], ouders: [], professionals: ['T1-VS1'] });
		expect(codes(1)).toEqual({ jongeren: [], ouders: ['T1-VS2'], professionals: [] });
		expect(codes(0)).toEqual({ jongeren: [], ouders: [], professionals: [] });
		expect(map.rows.at(-1)!.withoutPerspective.map((s) => s.code)).toEqual(['T2-VS1']);
		expect(map.unplaced).toBe(1);
		expect(map.covers).toEqual({ levels: [1, 2], perspectives: ['jongeren', 'ouders', 'professionals'] });
	});

	it("should give a step the status and trend its own and its solutions' indicators give, by the theme's rule", () => {
		expect(step('T1-VS1').status).toBe('op_koers');
		expect(step('T1-VS2').status).toBe('achter');
		// a step with only a text indicator has no status to tell: niet te bepalen
		expect(step('T2-VS1').status).toBeNull();
		// the theme's own indicator (90) counts for the theme, not for its steps
		const theme = progress.themes[0];
		expect(theme.status).toBe(onTrackOf(progress.indicators.filter((i) => i.themeId === 10)).status);
		expect(onTrackOf(progress.indicators.filter((i) => i.nextStepId === 101)).progress).toBe(0);
	});

	it('should leave out the row "no level" when every step has one, and the four levels when none has one', () => {
		const placed = fixture();
		placed.nextSteps = placed.nextSteps.filter((s) => s.id !== 200);
		expect(systemMap(placed, computeProgress(placed)).rows.map((r) => r.level)).toEqual([0, 1, 2, 3]);
		const unplaced = fixture();
		unplaced.themes = unplaced.themes.map(({ placement: _, ...t }) => t);
		unplaced.nextSteps = unplaced.nextSteps.map(({ placement: _, ...s }) => s);
		const bare = systemMap(unplaced, computeProgress(unplaced));
		expect(bare.rows.map((r) => r.level)).toEqual([null]);
		expect(coversText(bare)).toBe(
			'Het plan geeft nog geen niveaus of perspectieven; een projectleider vult ze in bij het meetplan.'
		);
	});

	it('should say in one sentence what the steps cover together', () => {
		expect(coversText(map)).toBe(
			'De vervolgstappen werken samen op 2 van de 4 niveaus en vanuit 3 van de 3 perspectieven.'
		);
		expect(coversText({ covers: { levels: [], perspectives: ['ouders'] } })).toBe(
			'De vervolgstappen werken samen vanuit 1 van de 3 perspectieven; het plan geeft geen niveaus.'
		);
	});
});

describe(stepPlacement.name, () => {
	it('should take each field from the theme only where the step has none', () => {
		expect(stepPlacement(place(null, ['ouders'], null), place(3, ['jongeren'], 'Vergelijken'))).toEqual({
			level: 3,
			perspectives: ['ouders'],
			trend: 'Vergelijken',
			inherited: true
		});
		expect(stepPlacement(place(0, ['ouders'], 'Eigen'), place(3, ['jongeren'], 'Vergelijken')).inherited).toBe(false);
	});
});

describe(storePerspectives.name, () => {
	it('should store a set in one order, without repeats, and read it back', () => {
		expect(storePerspectives(['professionals', 'jongeren', 'jongeren'])).toBe('jongeren,professionals');
		expect(storePerspectives([])).toBeNull();
		expect(parsePerspectives('jongeren,professionals')).toEqual(['jongeren', 'professionals']);
		expect(parsePerspectives(null)).toEqual([]);
		expect(parsePerspectives('ouders,buren')).toEqual(['ouders']);
	});
});

describe('system map fields in a plan file and the editor', () => {
	const { plan } = readPlanFile(VLEUTEN);

	it('should refuse a level outside 0–3, an unknown or repeated perspective and an empty trend, in Dutch', () => {
		const bad = structuredClone(plan);
		Object.assign(bad.themes[0], { level: 4, trend: ' ' });
		Object.assign(bad.themes[0].nextSteps[0], { perspectives: ['jongeren', 'jongeren'] });
		Object.assign(bad.themes[1].nextSteps[0], { perspectives: ['buren'], level: 1.5 });
		Object.assign(bad.themes[2], { perspectives: [] });
		const r = planSchema.safeParse(bad, inDutch);
		expect(r.success).toBe(false);
		const issues = (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`).sort();
		expect(issues).toEqual([
			'themes.0.level: het niveau op de systeemkaart is 0, 1, 2 of 3',
			'themes.0.nextSteps.0.perspectives: elk perspectief hoogstens één keer',
			'themes.0.trend: de trend mag niet leeg zijn (of laat trend weg)',
			'themes.1.nextSteps.0.level: het niveau op de systeemkaart is 0, 1, 2 of 3',
			'themes.1.nextSteps.0.perspectives.0: een perspectief is jongeren, ouders of professionals',
			'themes.2.perspectives: noem minstens één perspectief (of laat perspectives weg)'
		]);
	});

	it("should read the placement of a theme's and a next step's form, and refuse what is not one", () => {
		const step = {
			code: 'VV-T1-VS2',
			title: 'Stap',
			goal: 'Doel',
			impact: 'Impact',
			parent: 'VV-T1',
			level: '3',
			perspectives: ['professionals', 'ouders'],
			trend: 'Vergelijken'
		};
		const read = readNodeForm('nextStep', step);
		expect(read.ok && read.value).toMatchObject({
			level: 3,
			perspectives: ['ouders', 'professionals'],
			trend: 'Vergelijken'
		});
		const bad = readNodeForm('nextStep', { ...step, level: '7', perspectives: ['ouders', 'buren'] });
		expect(bad.ok === false && bad.errors).toEqual({
			level: 'Het niveau op de systeemkaart is 0, 1, 2 of 3 (of leeg).',
			perspectives: 'Kies jongeren, ouders en/of professionals.'
		});
		const none = readNodeForm('theme', { code: 'VV-T9', title: 'T', number: '9', level: '', trend: '' });
		expect(none.ok && none.value).toMatchObject({ level: null, perspectives: [], trend: null });
	});
});
