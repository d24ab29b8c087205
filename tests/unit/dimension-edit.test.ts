import { describe, expect, it } from 'vitest';
import {
	categoryTargetIssues,
	keyOf,
	readDimensionForm,
	readValuesText,
	removedCategories,
	valuesText
} from '../../src/lib/domain/dimension-edit.ts';
import type { Dimension } from '../../src/lib/domain/breakdown.ts';

const GESLACHT: Dimension = {
	key: 'geslacht',
	name: 'Geslacht',
	values: [
		{ key: 'meisje', name: 'Meisje' },
		{ key: 'jongen', name: 'Jongen' },
		{ key: 'anders-onbekend', name: 'Anders/onbekend', archived: true }
	]
};

describe(keyOf.name, () => {
	it('should make a key of small letters, digits and hyphens from a Dutch name', () => {
		expect(keyOf('10–12 jaar')).toBe('10-12-jaar');
		expect(keyOf('Anders/onbekend')).toBe('anders-onbekend');
		expect(keyOf('Ouders én verzorgers')).toBe('ouders-en-verzorgers');
	});
});

describe(readValuesText.name, () => {
	it('should read the text it writes back to the same values', () => {
		expect(readValuesText(valuesText(GESLACHT.values))).toEqual({ ok: true, value: GESLACHT.values });
	});

	it('should take a line with only a name, make its key, and skip empty lines', () => {
		expect(readValuesText('Jongeren\r\n\n  ouders: Ouders  \n')).toEqual({
			ok: true,
			value: [
				{ key: 'jongeren', name: 'Jongeren' },
				{ key: 'ouders', name: 'Ouders' }
			]
		});
	});

	it('should refuse a bad key, a missing name, a key twice and fewer than two values, naming the line', () => {
		expect(readValuesText('Meisje: Meisje\njongen: Jongen')).toMatchObject({ ok: false, message: /^Regel 1:/ });
		expect(readValuesText('meisje:\njongen: Jongen')).toMatchObject({ ok: false, message: /^Regel 1: de naam/ });
		expect(readValuesText('meisje: A\nmeisje: B')).toMatchObject({ ok: false, message: /^Regel 2: de sleutel meisje/ });
		expect(readValuesText('meisje: Meisje')).toMatchObject({ ok: false, message: /minstens twee/ });
		expect(readValuesText(Array.from({ length: 13 }, (_, i) => `v${i}: V`).join('\n'))).toMatchObject({ ok: false });
	});
});

describe(readDimensionForm.name, () => {
	it('should make the key from the name when it is left empty, and refuse a bad one beside its field', () => {
		expect(readDimensionForm({ name: 'Doel groep', values: 'a: A\nb: B' })).toMatchObject({
			ok: true,
			value: { key: 'doel-groep' }
		});
		expect(readDimensionForm({ name: 'X', key: 'Geslacht!', values: 'a: A\nb: B' })).toEqual({
			ok: false,
			errors: { key: expect.stringContaining('kleine letters') }
		});
		expect(readDimensionForm({ values: '' })).toMatchObject({ ok: false, errors: { name: expect.any(String) } });
	});
});

describe(removedCategories.name, () => {
	it('should list the values and whole dimensions the new list leaves out, archived ones kept', () => {
		const after: Dimension[] = [{ ...GESLACHT, values: GESLACHT.values.filter((v) => v.key !== 'jongen') }];
		const doelgroep: Dimension = {
			key: 'doelgroep',
			name: 'Doelgroep',
			values: [
				{ key: 'jongeren', name: 'Jongeren' },
				{ key: 'ouders', name: 'Ouders' }
			]
		};
		expect(removedCategories([GESLACHT, doelgroep], after)).toEqual([
			{ dimension: 'geslacht', category: 'jongen', label: 'Jongen (geslacht)' },
			{ dimension: 'doelgroep', category: 'jongeren', label: 'Jongeren (doelgroep)' },
			{ dimension: 'doelgroep', category: 'ouders', label: 'Ouders (doelgroep)' }
		]);
		expect(removedCategories([GESLACHT], [GESLACHT])).toEqual([]);
	});
});

describe(categoryTargetIssues.name, () => {
	it('should refuse a target of an unknown category or of a dimension the indicator is not split by', () => {
		const target = { target: { value: 30, date: '2027-07-31' } };
		expect(
			categoryTargetIssues(
				[
					{ dimension: 'geslacht', category: 'meisje', ...target },
					{ dimension: 'geslacht', category: 'x', ...target }
				],
				['geslacht'],
				[GESLACHT]
			)
		).toEqual({ 'ct:geslacht:x': 'Onbekende categorie.' });
		expect(categoryTargetIssues([{ dimension: 'geslacht', category: 'meisje', ...target }], [], [GESLACHT])).toEqual({
			'ct:geslacht:meisje': expect.stringContaining('Vink geslacht aan')
		});
	});
});
