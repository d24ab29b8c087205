import { describe, expect, it } from 'vitest';
import { coverageText } from '../../src/lib/domain/coverage-text.ts';

const REGIONS = [
	{ id: 1, name: 'Vleuten-De Meern', kind: 'wijk' },
	{ id: 2, name: 'OBS Haarzicht', kind: 'school' },
	{ id: 3, name: 'Amadeus Lyceum', kind: 'school' },
	{ id: 4, name: 'Limus College', kind: 'school' },
	{ id: 5, name: 'VOLT! Toekomstmakers', kind: 'school' },
	{ id: 6, name: 'Cultuur19', kind: 'club' }
];

describe(coverageText.name, () => {
	it('should name the rule, how many children count of how many, the total n and who is left out and why', () => {
		const text = coverageText(
			{
				own: false,
				n: 1412,
				coverage: {
					aggregation: 'weighted_mean',
					used: [2, 3, 5],
					leftOut: [{ regionId: 4, reason: 'verouderd' }],
					n: 1412,
					unweighted: false
				}
			},
			REGIONS
		);
		expect(text).toBe(
			'gewogen gemiddelde van 3 van 4 scholen, n = 1.412; niet meegeteld: Limus College (geen recente meting)'
		);
	});

	it('should say "deelregio\'s" when the children are of different kinds, and leave n out when there is none', () => {
		const text = coverageText(
			{
				own: false,
				n: null,
				coverage: {
					aggregation: 'sum',
					used: [2],
					leftOut: [
						{ regionId: 6, reason: 'geen-gegevens' },
						{ regionId: 3, reason: 'geen-n' }
					],
					n: null,
					unweighted: false
				}
			},
			REGIONS
		);
		expect(text).toBe(
			"som van 1 van 3 deelregio's; niet meegeteld: Cultuur19 (geen gegevens), Amadeus Lyceum (geen n)"
		);
	});

	it('should say a weighted mean without any n is a plain mean', () => {
		const coverage = { aggregation: 'weighted_mean' as const, used: [2, 3], leftOut: [], n: null, unweighted: true };
		expect(coverageText({ own: false, n: null, coverage }, REGIONS)).toBe(
			'gemiddelde (geen n bekend) van 2 van 2 scholen'
		);
	});

	it("should call a region's own value its own, an action-log sum by its name, and nothing nothing", () => {
		expect(coverageText({ own: true, n: 80, coverage: null }, REGIONS)).toBe('eigen meting van de regio');
		expect(coverageText({ own: false, n: null, coverage: null }, REGIONS)).toBe('opgeteld uit het actielog');
		expect(coverageText(null, REGIONS)).toBeNull();
	});
});
