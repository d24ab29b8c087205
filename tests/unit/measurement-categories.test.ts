import { describe, expect, it } from 'vitest';
import type { Dimension } from '../../src/lib/domain/breakdown.ts';
import { auditChanges } from '../../src/lib/domain/audit-text.ts';
import {
	checkCategories,
	enteredCategories,
	publicCategories,
	type CategoryCheckContext
} from '../../src/lib/domain/measurement-categories.ts';

const GESLACHT: Dimension = {
	key: 'geslacht',
	name: 'Geslacht',
	values: [
		{ key: 'meisje', name: 'Meisje' },
		{ key: 'jongen', name: 'Jongen' }
	]
};
const percent: CategoryCheckContext = {
	unit: 'percent',
	dimensions: [GESLACHT],
	rules: null,
	total: { value: 40, n: 100 },
	decimal: ','
};

describe(checkCategories.name, () => {
	it('should read figures typed with a decimal comma and leave n out when not given', () => {
		expect(
			checkCategories([{ dimension: 'geslacht', category: 'jongen', value: '3', n: '' }], {
				...percent,
				unit: 'count',
				total: { value: 3, n: null }
			})
		).toEqual({ ok: true, categories: [{ dimension: 'geslacht', category: 'jongen', value: 3 }], flags: [] });
		expect(
			checkCategories([{ dimension: 'geslacht', category: 'meisje', value: '41,5', n: '60' }], percent)
		).toMatchObject({ ok: true, categories: [{ value: 41.5, n: 60 }] });
	});

	it('should key each problem by the category’s place and field', () => {
		expect(
			checkCategories(
				[
					{ dimension: 'geslacht', category: 'meisje', value: 'veel', n: '10' },
					{ dimension: 'geslacht', category: 'jongen', value: '', n: '1,5' }
				],
				percent
			)
		).toEqual({
			ok: false,
			errors: {
				'categories.0.value': expect.stringContaining('veel'),
				'categories.1.value': 'waarde ontbreekt',
				'categories.1.n': 'n is een geheel getal'
			}
		});
	});

	it('should apply the indicator’s min/max to each category, not only to the total', () => {
		expect(
			checkCategories([{ dimension: 'geslacht', category: 'meisje', value: 0.5, n: 10 }], {
				...percent,
				unit: 'score',
				rules: { min: 1, max: 10, maxChange: 0.1 },
				total: { value: 5, n: 100 }
			})
		).toEqual({
			ok: false,
			errors: { 'categories.0.value': 'Waarde 0,5 ligt buiten het toegestane bereik 1–10.' }
		});
	});

	it('should refuse categories on an indicator that is not split', () => {
		expect(
			checkCategories([{ dimension: 'geslacht', category: 'meisje', value: 4, n: 10 }], { ...percent, dimensions: [] })
		).toMatchObject({ ok: false, errors: { categories: expect.stringContaining('niet uitgesplitst') } });
	});
});

describe(enteredCategories.name, () => {
	it('should mark a group below the minimum, and one of unknown size, but show its figure', () => {
		const list = [
			{ dimension: 'geslacht', category: 'meisje', value: 40, n: 9 },
			{ dimension: 'geslacht', category: 'jongen', value: 42, n: 10 }
		];
		expect(enteredCategories(list, 'percent', [GESLACHT], 10).map((c) => [c.name, c.value, c.small])).toEqual([
			['Meisje', 40, true],
			['Jongen', 42, false]
		]);
		expect(publicCategories(list, 'percent', 10).map((c) => [c.value, c.suppressed])).toEqual([
			[null, 'small'],
			[null, 'derivable']
		]);
	});
});

describe(auditChanges.name, () => {
	it('should name each changed, added and removed category in Dutch', () => {
		const changes = auditChanges(
			{
				before: { value: 40, categories: { 'geslacht:meisje': 40, 'geslacht:jongen': 38 } },
				after: { value: 40, categories: { 'geslacht:meisje': 45, 'leeftijd:10-12': 41 } }
			},
			'percent'
		);
		expect(changes.map((c) => `${c.label} ${c.before} → ${c.after}`)).toEqual([
			'uitsplitsing: meisje 40 % → 45 %',
			'uitsplitsing: 10-12 — → 41 %',
			'uitsplitsing: jongen 38 % → —'
		]);
	});
});
