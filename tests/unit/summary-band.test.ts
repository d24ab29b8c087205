import { describe, expect, it } from 'vitest';
import { balanceText, expectedText } from '../../src/lib/domain/coverage-text.ts';
import type { IndicatorFigure, ThemeProgress } from '../../src/lib/domain/programme-progress.ts';
import { keyIndicatorRow, SPARK_MAX, summaryRows } from '../../src/lib/domain/summary-band.ts';

const theme = (t: Partial<ThemeProgress>): ThemeProgress => ({
	id: 7,
	code: 'VV-T1',
	number: 1,
	title: 'Lanterfantertijd',
	progress: 0.62,
	expected: 0.454,
	status: 'op_koers',
	trend: 'beter',
	trends: { beter: 2, gelijk: 0, slechter: 1 },
	evaluation: { phaseId: 31, phaseName: 'Oktober', status: 'aandacht_nodig', decision: 'voortzetten' },
	actions: 12,
	reached: { jongeren: 0, ouders: 0, professionals: 0, total: 0 },
	indicatorCount: 9,
	indicatorsWithoutData: 4,
	indicatorsFresh: 5,
	outsidePhases: { actions: 0, reached: { jongeren: 0, ouders: 0, professionals: 0, total: 0 } },
	indicators: [],
	nextSteps: [],
	...t
});
const OPTIONS = {
	schoolYearOfPhase: new Map([[31, '2026-2027']]),
	decisionLabel: { voortzetten: 'Voortzetten' },
	actionSpan: 'in deze fase'
};

const indicator = (i: Partial<IndicatorFigure>): IndicatorFigure => ({
	id: 1,
	code: 'VV-B1',
	name: 'Stress door school',
	kind: 'population',
	unit: 'percent',
	direction: 'lower_is_better',
	aggregation: 'weighted_mean',
	perPeriod: false,
	derived: false,
	source: 'Gezondheidsmonitor',
	node: { level: 'outcome', id: 1 },
	themeId: null,
	nextStepId: null,
	baseline: { value: 34.5, date: '2023-10-01', source: null, demo: false, region: null },
	target: { value: 25, date: '2028-07-31', demo: true },
	latest: {
		value: 28.4,
		n: 400,
		date: '2026-12-03',
		source: 'peiling',
		demo: false,
		own: true,
		coverage: null,
		phases: null
	},
	stale: null,
	outsidePhases: null,
	progress: 0.64,
	comparability: { comparable: true, label: null } as IndicatorFigure['comparability'],
	warning: null,
	expected: 0.6,
	status: 'op_koers',
	trend: 'beter',
	trendBasis: { latest: { value: 28.4, date: '2026-12-03' }, previous: { value: 30, date: '2026-06-03' } },
	...i
});

describe(balanceText.name, () => {
	it('should write the balance of trends without the kinds that do not occur', () => {
		expect(balanceText({ beter: 2, gelijk: 0, slechter: 1 })).toBe('2 beter, 1 slechter');
		expect(balanceText({ beter: 0, gelijk: 3, slechter: 0 })).toBe('3 gelijk');
		expect(balanceText({ beter: 0, gelijk: 0, slechter: 0 })).toBeNull();
	});
	it('should write the expected progress as a whole percentage', () => {
		expect(expectedText(0.454)).toBe('verwacht 45%');
		expect(expectedText(null)).toBeNull();
	});
});

describe(summaryRows.name, () => {
	it('should tell status, trend, progress against expected, coverage, evaluation and actions in words', () => {
		const [row] = summaryRows([theme({})], OPTIONS);
		expect(row).toMatchObject({
			number: 1,
			title: 'Lanterfantertijd',
			statusText: '✓ op koers',
			trendText: '↗ beter',
			balance: '2 beter, 1 slechter',
			progress: 62,
			expected: 45,
			progressText: '62%',
			expectedText: 'verwacht 45%',
			coverage: '5 van 9 indicatoren met recente gegevens',
			evaluation: 'evaluatie Oktober 2026-2027: Voortzetten',
			actions: '12 acties in deze fase'
		});
	});
	it('should say "niet te bepalen", "geen trend", "geen data" and "nog geen evaluatie" when there is nothing to tell', () => {
		const [row] = summaryRows(
			[
				theme({
					progress: null,
					expected: null,
					status: null,
					trend: null,
					trends: { beter: 0, gelijk: 0, slechter: 0 },
					evaluation: null,
					actions: 1,
					indicatorsFresh: 0
				})
			],
			{ ...OPTIONS, actionSpan: 'in dit schooljaar' }
		);
		expect(row).toMatchObject({
			statusText: 'niet te bepalen',
			trendText: 'geen trend',
			balance: null,
			progress: null,
			expected: null,
			progressText: 'geen data',
			expectedText: null,
			coverage: '0 van 9 indicatoren met recente gegevens',
			evaluation: 'nog geen evaluatie',
			actions: '1 actie in dit schooljaar'
		});
	});
	it('should say "? geen recente gegevens" and "! achter" with their icons', () => {
		const rows = summaryRows([theme({ status: 'geen_gegevens' }), theme({ id: 8, status: 'achter' })], OPTIONS);
		expect(rows.map((r) => r.statusText)).toEqual(['? geen recente gegevens', '! achter']);
	});
});

describe(keyIndicatorRow.name, () => {
	const points = Array.from({ length: 11 }, (_, i) => ({
		date: `20${16 + i}-06-30`,
		value: 40 - i,
		stale: false,
		demo: false
	}));

	it('should give value with date, status, trend with the value it compares with, and at most SPARK_MAX points in words', () => {
		const row = keyIndicatorRow(indicator({}), points);
		expect(row).toMatchObject({
			value: '28,4%',
			date: '3 dec 2026',
			stale: null,
			statusText: '✓ op koers',
			trendText: '↗ beter',
			trendDetail: 'was 30% op 3 jun 2026',
			reference: 'nulmeting 34,5% (1 okt 2023) · streefwaarde 25% (31 jul 2028)'
		});
		expect(row.spark).toHaveLength(SPARK_MAX);
		expect(row.spark[0].date).toBe('2019-06-30');
		expect(row.sparkText).toBe('juni 2019 – juni 2026: 37% → 36% → 35% → 34% → 33% → 32% → 31% → 30%');
	});
	it('should show a verouderd value as such, and no sparkline without points', () => {
		const row = keyIndicatorRow(
			indicator({
				latest: null,
				stale: { value: 31, n: null, date: '2025-06-30', source: null, demo: true },
				status: 'geen_gegevens',
				trend: null,
				trendBasis: null
			}),
			[]
		);
		expect(row).toMatchObject({
			value: '31%',
			stale: 'verouderd (gemeten 30 jun 2025)',
			demo: true,
			statusText: '? geen recente gegevens',
			trendText: 'geen trend',
			trendDetail: null,
			spark: [],
			sparkText: null
		});
	});
});
