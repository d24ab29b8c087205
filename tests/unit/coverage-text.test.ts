import { describe, expect, it } from 'vitest';
import {
	coverageLine,
	coverageText,
	describeIndicator,
	describeTheme,
	evaluationMoment,
	figureFacts,
	freshText,
	kindPlural,
	leftOutText,
	noFreshDataText,
	notComparableText,
	outsidePhasesText,
	periodText,
	staleText
} from '../../src/lib/domain/coverage-text.ts';
import { monthYear, shortDate } from '../../src/lib/domain/dutch-format.ts';
import type { Coverage, Figure } from '../../src/lib/domain/rollup.ts';

// vleuten-de-meern (wijk) > four schools and a club, numbered
const REGIONS = [
	{ id: 1, name: 'Vleuten-De Meern', kind: 'wijk' },
	{ id: 2, name: 'OBS Haarzicht', kind: 'school' },
	{ id: 3, name: 'Limus College', kind: 'school' },
	{ id: 4, name: 'De Kleine Prins', kind: 'school' },
	{ id: 5, name: 'Het Zand', kind: 'school' },
	{ id: 6, name: 'VV De Meern', kind: 'club' },
	...Array.from({ length: 8 }, (_, i) => ({ id: 10 + i, name: `School ${i + 1}`, kind: 'school' }))
];
const NO_PHASES = new Map<number, string>();
const coverage = (c: Partial<Coverage>): Coverage => ({
	aggregation: 'weighted_mean',
	used: [2, 3, 4],
	leftOut: [{ regionId: 5, reason: 'geen-n' }],
	n: 412,
	unweighted: false,
	...c
});
const figure = (f: Partial<Figure>): Figure => ({
	value: 31.5,
	n: 412,
	date: '2026-10-03',
	source: 'Vragenlijst scholen',
	demo: false,
	own: false,
	coverage: coverage({}),
	phases: null,
	...f
});

describe(shortDate.name, () => {
	it('should write a date as Dutch readers do, with a short month', () => {
		expect(shortDate('2026-10-03')).toBe('3 okt 2026');
		expect(shortDate('2025-06-30')).toBe('30 jun 2025');
		expect(shortDate('2027-03-01')).toBe('1 mrt 2027');
	});
	it('should name the month in full for a month and year', () => {
		expect(monthYear('2026-12-15')).toBe('december 2026');
	});
});

describe(coverageText.name, () => {
	it('should say what a weighted mean combines, with the kind of child region in the plural and the total n', () => {
		expect(coverageText(coverage({}), REGIONS)).toBe('gewogen gemiddelde van 3 van 4 scholen, n = 412');
	});
	it('should say "regio\'s" for mixed kinds, group thousands in n, and leave n out of a "latest" figure', () => {
		expect(coverageText(coverage({ aggregation: 'sum', used: [2, 6], leftOut: [], n: 1500 }), REGIONS)).toBe(
			"som van 2 van 2 regio's, n = 1.500"
		);
		expect(coverageText(coverage({ aggregation: 'latest', used: [2], leftOut: [] }), REGIONS)).toBe(
			'nieuwste waarde van 1 van 1 scholen'
		);
	});
	it('should not call a mean without any n weighted', () => {
		expect(coverageText(coverage({ unweighted: true, n: null, leftOut: [] }), REGIONS)).toBe(
			'gemiddelde (geen n bekend) van 3 van 3 scholen'
		);
	});
	it('should fall back to "regio\'s" for a kind it has no plural for', () => {
		expect(kindPlural('ontwerpbureau')).toBe("regio's");
		expect(kindPlural('gemeente')).toBe('gemeenten');
	});
});

describe(leftOutText.name, () => {
	it('should name the regions left out and why', () => {
		const c = coverage({
			leftOut: [
				{ regionId: 5, reason: 'geen-n' },
				{ regionId: 6, reason: 'verouderd' },
				{ regionId: 1, reason: 'geen-gegevens' }
			]
		});
		expect(leftOutText(c, REGIONS)).toBe(
			'niet meegeteld: Het Zand (geen n), VV De Meern (verouderd), Vleuten-De Meern (geen gegevens)'
		);
	});
	it('should name at most five and count the rest', () => {
		const c = coverage({ leftOut: REGIONS.slice(6).map((r) => ({ regionId: r.id, reason: 'verouderd' as const })) });
		const text = leftOutText(c, REGIONS)!;
		expect(text.match(/\(verouderd\)/g)).toHaveLength(5);
		expect(text.endsWith('School 5 (verouderd) en nog 3')).toBe(true);
	});
	it('should say nothing when nothing was left out', () => {
		expect(leftOutText(coverage({ leftOut: [] }), REGIONS)).toBeNull();
	});
});

describe(figureFacts.name, () => {
	const opts = { regions: REGIONS, regionName: 'Vleuten-De Meern', phaseNames: NO_PHASES, derived: false };
	it('should call a cumulative value "laatste meting" with its date, n, source and coverage', () => {
		expect(figureFacts(figure({}), { ...opts, perPeriod: false })).toEqual({
			word: 'laatste meting',
			date: '3 okt 2026',
			n: 'n = 412',
			source: 'Vragenlijst scholen',
			origin: 'gewogen gemiddelde van 3 van 4 scholen, n = 412',
			leftOut: 'niet meegeteld: Het Zand (geen n)',
			phases: null
		});
	});
	it('should call a per-period value "opgeteld dit schooljaar" and name the phases it adds up', () => {
		const phaseNames = new Map([
			[7, 'September'],
			[8, 'Oktober']
		]);
		const f = figure({
			own: true,
			coverage: null,
			n: null,
			phases: [
				{ phaseId: 7, value: 10, coverage: null },
				{ phaseId: 8, value: 22, coverage: null }
			]
		});
		const facts = figureFacts(f, { ...opts, phaseNames, perPeriod: true });
		expect(facts.word).toBe('opgeteld dit schooljaar');
		expect(facts.phases).toBe('2 fasen: September + Oktober');
		expect(facts.origin).toBe('eigen meting van Vleuten-De Meern');
		expect(facts.n).toBeNull();
	});
	it('should say a derived figure comes from the action log, without an n', () => {
		const facts = figureFacts(figure({ coverage: null, n: 5 }), { ...opts, derived: true, perPeriod: true });
		expect(facts.origin).toBe('afgeleid uit het actielog van Vleuten-De Meern');
		expect(facts.n).toBeNull();
	});
});

describe(describeIndicator.name, () => {
	const opts = { regions: REGIONS, regionName: null, phaseNames: NO_PHASES };
	const base = { perPeriod: false, derived: false, outsidePhases: null, comparability: { comparable: true } as const };
	it('should mark a verouderd value with its date and never give it figure facts', () => {
		const stale = { value: 40, n: 80, date: '2025-06-30', source: 'GMJ', demo: false };
		const texts = describeIndicator({ ...base, latest: null, stale }, opts);
		expect(texts.figure).toBeNull();
		expect(texts.stale).toEqual({ mark: 'verouderd (gemeten 30 jun 2025)', n: 'n = 80', source: 'GMJ' });
		expect(staleText('2025-06-30')).toBe('verouderd (gemeten 30 jun 2025)');
	});
	it('should carry the comparability label and the summer values', () => {
		const texts = describeIndicator(
			{
				...base,
				latest: figure({}),
				stale: null,
				comparability: { comparable: false, scope: 'nederland', label: 'landelijke nulmeting — niet vergelijkbaar' },
				outsidePhases: { value: 40, n: null, date: '2026-07-15', source: null, demo: false }
			},
			opts
		);
		expect(texts.comparability).toBe('landelijke nulmeting — niet vergelijkbaar');
		expect(texts.outside).toBe('buiten de fasen (zomer): 40, tot 15 jul 2026 — telt in geen fase mee');
	});
});

describe(describeTheme.name, () => {
	const reached = { jongeren: 300, ouders: 30, professionals: 10, total: 340 };
	const theme = {
		indicatorsFresh: 5,
		indicatorCount: 9,
		outsidePhases: { actions: 12, reached },
		evaluation: { phaseId: 3, phaseName: 'Oktober', status: 'op_koers', decision: 'voortzetten' },
		indicators: ['A', 'B', 'C']
	};
	const national = {
		comparable: false as const,
		scope: 'nederland',
		label: 'landelijke nulmeting — niet vergelijkbaar'
	};
	it('should say how many indicators have recent data, what is left out, the summer bucket and the evaluation moment', () => {
		const texts = describeTheme(
			theme,
			[
				{ code: 'A', unit: 'percent', comparability: national },
				{ code: 'B', unit: 'count', comparability: { comparable: true } },
				{ code: 'Z', unit: 'percent', comparability: national }
			],
			new Map([[3, '2026-2027']])
		);
		expect(texts).toEqual({
			fresh: '5 van 9 indicatoren met recente gegevens',
			notComparable: '1 indicator met een nulmeting van een ander gebied telt niet mee in de voortgang van het thema',
			outside: 'Buiten de fasen (zomer): 12 acties, 340 bereikt — tellen in geen fase mee',
			evaluation: 'Oktober 2026-2027'
		});
	});
	it('should say nothing about an empty summer or comparable indicators', () => {
		expect(outsidePhasesText({ actions: 0, reached: { ...reached, total: 0 } })).toBeNull();
		expect(notComparableText(0)).toBeNull();
		expect(notComparableText(2)).toBe(
			'2 indicatoren met een nulmeting van een ander gebied tellen niet mee in de voortgang van het thema'
		);
		expect(freshText(1, 1)).toBe('1 van 1 indicator met recente gegevens');
		expect(evaluationMoment('Oktober', null)).toBe('Oktober');
	});
});

describe(noFreshDataText.name, () => {
	const year = { id: 1, name: '2026-2027', phases: [] };
	const december = { id: 4, name: 'December', start: '2026-12-01', end: '2026-12-31', evaluationDate: '2026-12-31' };
	const spring = { id: 5, name: 'Januari–juni', start: '2027-01-01', end: '2027-06-30', evaluationDate: '2027-06-30' };
	it('should name a one-month phase by its month and the last data by its month', () => {
		expect(noFreshDataText({ phase: december, schoolYear: year }, '2025-06-12')).toBe(
			'In december 2026 is nog niets gemeten of gelogd; de laatste gegevens zijn van juni 2025'
		);
	});
	it('should name a longer phase with its school year, a whole school year, and no data at all', () => {
		expect(periodText({ phase: spring, schoolYear: year })).toBe('januari–juni 2026-2027');
		expect(noFreshDataText({ phase: null, schoolYear: year }, null)).toBe(
			'In schooljaar 2026-2027 is nog niets gemeten of gelogd; er zijn nog geen gegevens'
		);
	});
});

describe(coverageLine.name, () => {
	const regions = [
		{ id: 2, name: 'OBS Haarzicht', kind: 'school' },
		{ id: 3, name: 'Limus College', kind: 'school' }
	];
	const figure = (over: Partial<Figure>): Figure => ({
		value: 40,
		n: 100,
		date: '2026-10-03',
		source: null,
		demo: false,
		own: false,
		coverage: null,
		phases: null,
		...over
	});

	it('should give a download one line: where the figure comes from and who was left out', () => {
		const coverage = {
			aggregation: 'weighted_mean' as const,
			used: [2],
			leftOut: [{ regionId: 3, reason: 'ouder' as const }],
			n: 100,
			unweighted: false
		};
		expect(coverageLine(figure({ coverage }), { regions, regionName: 'Wijk', derived: false })).toBe(
			'gewogen gemiddelde van 1 van 2 scholen, n = 100; niet meegeteld: Limus College (oudere meting)'
		);
		expect(coverageLine(figure({ own: true }), { regions, regionName: 'Wijk', derived: false })).toBe(
			'eigen meting van Wijk'
		);
		expect(coverageLine(null, { regions, regionName: null, derived: false })).toBeNull();
	});
});
