import { describe, expect, it } from 'vitest';
import {
	categoryFlags,
	categoryIssues,
	dimensionsSchema,
	parseCategories,
	storeCategories,
	throughCategory,
	type CategoryContext,
	type Dimension
} from '../../src/lib/domain/breakdown.ts';

const GESLACHT: Dimension = {
	key: 'geslacht',
	name: 'Geslacht',
	values: [
		{ key: 'meisje', name: 'Meisje' },
		{ key: 'jongen', name: 'Jongen' },
		{ key: 'anders', name: 'Anders/onbekend', archived: true }
	]
};
const ctx = (over: Partial<CategoryContext> = {}): CategoryContext => ({
	unit: 'percent',
	dimensions: [GESLACHT],
	total: { value: 40, n: 100 },
	...over
});

describe(categoryIssues.name, () => {
	it('should accept categories of the indicator with their n', () => {
		const list = [
			{ dimension: 'geslacht', category: 'meisje', value: 50, n: 50 },
			{ dimension: 'geslacht', category: 'jongen', value: 30, n: 50 }
		];
		expect(categoryIssues(list, ctx())).toEqual([]);
		expect(categoryFlags(list, ctx())).toEqual([]);
	});

	it('should refuse an unknown dimension or value, a double, a missing n and an n above the total, in Dutch', () => {
		const issues = categoryIssues(
			[
				{ dimension: 'leeftijd', category: 'x', value: 1, n: 5 },
				{ dimension: 'geslacht', category: 'kind', value: 1, n: 5 },
				{ dimension: 'geslacht', category: 'meisje', value: 1 },
				{ dimension: 'geslacht', category: 'jongen', value: 1, n: 500 },
				{ dimension: 'geslacht', category: 'jongen', value: 1, n: 5 }
			],
			ctx()
		);
		expect(issues.map((i) => i.index)).toEqual([0, 1, 2, 3, 4]);
		expect(issues[2].message).toBe('Vul n in voor meisje: het aantal respondenten.');
		expect(issues[4].message).toBe('Jongen (geslacht) staat er twee keer.');
	});

	it('should refuse an archived value on a new measurement but keep it on one that has it', () => {
		const list = [{ dimension: 'geslacht', category: 'anders', value: 1, n: 5 }];
		expect(categoryIssues(list, ctx())[0].message).toBe('Anders/onbekend (geslacht) is gearchiveerd.');
		expect(categoryIssues(list, ctx({ stored: list }))).toEqual([]);
	});

	it('should refuse counts that do not add up to the total when every current value is given', () => {
		const counts = ctx({ unit: 'count', total: { value: 100, n: null } });
		const list = [
			{ dimension: 'geslacht', category: 'meisje', value: 60 },
			{ dimension: 'geslacht', category: 'jongen', value: 30 }
		];
		expect(categoryIssues(list, counts)).toEqual([
			{ index: null, message: 'De aantallen per geslacht tellen op tot 90, het totaal is 100.' }
		]);
		expect(categoryIssues(list.slice(0, 1), counts)).toEqual([]);
	});

	it('should show a reviewer a weighted mean that differs from the total by more than rounding', () => {
		const list = [
			{ dimension: 'geslacht', category: 'meisje', value: 60, n: 50 },
			{ dimension: 'geslacht', category: 'jongen', value: 30, n: 40 }
		];
		expect(categoryFlags(list, ctx())).toEqual([
			'Het gewogen gemiddelde per geslacht is 46,7 %, het totaal 40 % (verschil 6,7).',
			'De n per geslacht tellen op tot 90, n van het totaal is 100.'
		]);
	});
});

describe(storeCategories.name, () => {
	it('should store the same figures as the same text, in the order of the dimension values', () => {
		const a = storeCategories(
			[
				{ dimension: 'geslacht', category: 'jongen', value: 30, n: 50 },
				{ dimension: 'geslacht', category: 'meisje', value: 50, n: 50 }
			],
			[GESLACHT]
		);
		expect(parseCategories(a).map((c) => c.category)).toEqual(['meisje', 'jongen']);
		expect(storeCategories([], [GESLACHT])).toBeNull();
	});
});

describe('dimensionsSchema', () => {
	it('should refuse a dimension named twice or a value named twice', () => {
		const twice = dimensionsSchema.safeParse([GESLACHT, GESLACHT]);
		expect(twice.success).toBe(false);
		const values = dimensionsSchema.safeParse([{ ...GESLACHT, values: [GESLACHT.values[0], GESLACHT.values[0]] }]);
		expect(values.success).toBe(false);
	});
});

describe(throughCategory.name, () => {
	it('should give each observation the value and n of the category, leaving out those without it', () => {
		const withGirls = {
			regionId: 1,
			date: '2026-01-01',
			value: 40,
			n: 100,
			categories: [{ dimension: 'geslacht', category: 'meisje', value: 55, n: 48 }]
		};
		const totalOnly = { regionId: 2, date: '2026-01-01', value: 30, n: 80 };
		expect(throughCategory([withGirls, totalOnly], 'geslacht:meisje')).toEqual([{ ...withGirls, value: 55, n: 48 }]);
		expect(throughCategory([withGirls], 'geslacht:jongen')).toEqual([]);
	});
});
