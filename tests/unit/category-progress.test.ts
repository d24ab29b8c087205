import { describe, expect, it } from 'vitest';
import type { Dimension } from '../../src/lib/domain/breakdown.ts';
import {
	categoryHeading,
	categoryPlan,
	chooseCategory,
	figureSuppression
} from '../../src/lib/domain/category-progress.ts';
import { categoryStateText } from '../../src/lib/domain/coverage-text.ts';

const dimensions: Dimension[] = [
	{
		key: 'geslacht',
		name: 'Geslacht',
		values: [
			{ key: 'meisje', name: 'Meisje' },
			{ key: 'jongen', name: 'Jongen' },
			{ key: 'anders', name: 'Anders', archived: true }
		]
	},
	{
		key: 'leeftijd',
		name: 'Leeftijd',
		values: [
			{ key: '10-12', name: '10–12' },
			{ key: '13-14', name: '13–14' }
		]
	}
];
const reserved = ['regio', 'fase', 'indicator'];

describe(figureSuppression.name, () => {
	it('should show a figure whose group reaches the minimum and hide one below it', () => {
		expect(figureSuppression('percent', { value: 41, n: 10 }, 10)).toBeNull();
		expect(figureSuppression('percent', { value: 41, n: 9 }, 10)).toBe('small');
	});

	it('should take a count without n as its own group size', () => {
		expect(figureSuppression('count', { value: 12, n: null }, 10)).toBeNull();
		expect(figureSuppression('count', { value: 7, n: null }, 10)).toBe('small');
	});

	it('should never show a percentage or score whose group is unknown', () => {
		expect(figureSuppression('percent', { value: 41, n: null }, 10)).toBe('small');
		expect(figureSuppression('score', { value: 7.1, n: null }, 5)).toBe('small');
	});

	it('should have nothing to hide without a figure', () => {
		expect(figureSuppression('percent', null, 10)).toBeNull();
	});
});

describe(chooseCategory.name, () => {
	it('should give no category without a filter, ignoring the page’s own parameters', () => {
		expect(
			chooseCategory(
				[
					['regio', 'vleuten'],
					['fase', '12']
				],
				dimensions,
				reserved
			)
		).toEqual({
			ok: true,
			value: null
		});
	});

	it('should read one dimension=category, archived values included', () => {
		const girls = chooseCategory([['geslacht', 'meisje']], dimensions, reserved);
		expect(girls.ok && girls.value?.key).toBe('geslacht:meisje');
		expect(girls.ok && girls.value && categoryHeading(girls.value)).toBe('Alleen meisje (geslacht)');
		const archived = chooseCategory([['geslacht', 'anders']], dimensions, reserved);
		expect(archived.ok && archived.value?.key).toBe('geslacht:anders');
	});

	it('should refuse an unknown dimension, an unknown value and two at once with invalid_filter', () => {
		const unknownDimension = chooseCategory([['religie', 'x']], dimensions, reserved);
		expect(unknownDimension.ok).toBe(false);
		if (!unknownDimension.ok) {
			expect(unknownDimension.refusal).toMatchObject({ code: 'invalid_filter', status: 400 });
			expect(unknownDimension.refusal.issues).toEqual([
				{ path: 'religie', message: 'Onbekende uitsplitsing religie: kies uit geslacht, leeftijd.' }
			]);
		}
		const unknownValue = chooseCategory([['geslacht', 'man']], dimensions, reserved);
		expect(!unknownValue.ok && unknownValue.refusal.issues?.[0].message).toMatch(
			/^Onbekende categorie man van geslacht/
		);
		const two = chooseCategory(
			[
				['geslacht', 'meisje'],
				['leeftijd', '10-12']
			],
			dimensions,
			reserved
		);
		expect(!two.ok && two.refusal.message).toBe('Kies één uitsplitsing tegelijk.');
	});
});

describe(categoryPlan.name, () => {
	const total = {
		baseline: { value: 40, date: '2023-10-01', source: 'GMJ', demo: false, region: 'nederland' },
		target: { value: 30, date: '2027-07-31', demo: true },
		targets: [{ date: '2025-07-31', value: 36 }]
	};

	it('should take the category’s own baseline and target, and no period targets', () => {
		const plan = categoryPlan(
			total,
			[
				{
					dimension: 'geslacht',
					category: 'meisje',
					baseline: { value: 48, date: '2023-10-01', source: 'GMJ meisjes' },
					target: { value: 38, date: '2027-07-31', demo: true }
				}
			],
			'geslacht:meisje'
		);
		expect(plan.baseline).toEqual({ value: 48, date: '2023-10-01', source: 'GMJ meisjes', demo: false, region: null });
		expect(plan.target).toEqual({ value: 38, date: '2027-07-31', demo: true });
		expect(plan.targets).toEqual([]);
	});

	it('should give a category without its own none, never the total’s', () => {
		const plan = categoryPlan(total, [], 'geslacht:jongen');
		expect([plan.baseline, plan.target]).toEqual([null, null]);
	});
});

describe(categoryStateText.name, () => {
	it('should say why no figure is shown, in the page’s words', () => {
		expect(categoryStateText('not_split', 'Geslacht')).toBe('niet uitgesplitst naar geslacht');
		expect(categoryStateText('small', 'Geslacht')).toBe('te weinig respondenten');
		expect(categoryStateText(null, 'Geslacht')).toBeNull();
	});
});
