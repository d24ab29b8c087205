import { describe, expect, it } from 'vitest';
import type { Dimension } from '../../src/lib/domain/breakdown.ts';
import {
	categoryHeaders,
	exportCategoryCells,
	KEEP_MARKER,
	KEEP_REFUSAL,
	readCategoryHeader,
	readRowCategories,
	resolveCategories,
	type CategoryCells,
	type FileCategory
} from '../../src/lib/domain/measurement-file-categories.ts';
import { ImportChecker } from '../../src/lib/domain/measurement-import.ts';
import { sameCategories, sameContent, type EntryContext } from '../../src/lib/domain/measurement.ts';

const GESLACHT: Dimension = {
	key: 'geslacht',
	name: 'Geslacht',
	values: [
		{ key: 'meisje', name: 'Meisje' },
		{ key: 'jongen', name: 'Jongen' },
		{ key: 'anders-onbekend', name: 'Anders/onbekend', archived: true }
	]
};
const LEEFTIJD: Dimension = {
	key: 'leeftijd',
	name: 'Leeftijd',
	values: [
		{ key: '10-12', name: '10–12 jaar' },
		{ key: '13-14', name: '13–14 jaar' }
	]
};
const DIMENSIONS = [GESLACHT, LEEFTIJD];

const cells = (dimension: string, category: string, value: CategoryCells['value'], n: CategoryCells['n'] = null) => ({
	dimension,
	category,
	value,
	n,
	columns: { value: `${dimension}:${category}`, n: `${dimension}:${category} n` }
});

describe(readCategoryHeader.name, () => {
	it('should read the Dutch names and the keys, in any case and spacing, with " n" for the group size', () => {
		expect(readCategoryHeader('Geslacht: Meisje', DIMENSIONS)).toEqual({
			dimension: 'geslacht',
			category: 'meisje',
			part: 'value'
		});
		expect(readCategoryHeader('GESLACHT:MEISJE N', DIMENSIONS)).toEqual({
			dimension: 'geslacht',
			category: 'meisje',
			part: 'n'
		});
		expect(readCategoryHeader('\uFEFF geslacht :  anders-onbekend ', DIMENSIONS)?.category).toBe('anders-onbekend');
		expect(readCategoryHeader('Leeftijd: 10–12 jaar n', DIMENSIONS)).toEqual({
			dimension: 'leeftijd',
			category: '10-12',
			part: 'n'
		});
		expect(readCategoryHeader('leeftijd:13-14', DIMENSIONS)?.category).toBe('13-14');
	});

	it('should name nothing for an unknown dimension or value, or a plain column', () => {
		for (const header of [
			'Geslacht: Kat',
			'Leeftijd: 15-16',
			'Woonplaats: Vleuten',
			'waarde',
			'n',
			'Geslacht: Meisje nn'
		])
			expect(readCategoryHeader(header, DIMENSIONS)).toBeNull();
		expect(readCategoryHeader('Geslacht: Meisje', [])).toBeNull();
	});
});

describe(categoryHeaders.name, () => {
	it('should write the Dutch names in dimension and value order, n beside each value, archived values too', () => {
		expect(categoryHeaders(DIMENSIONS).flatMap((h) => [h.value, h.n])).toEqual([
			'Geslacht: Meisje',
			'Geslacht: Meisje n',
			'Geslacht: Jongen',
			'Geslacht: Jongen n',
			'Geslacht: Anders/onbekend',
			'Geslacht: Anders/onbekend n',
			'Leeftijd: 10–12 jaar',
			'Leeftijd: 10–12 jaar n',
			'Leeftijd: 13–14 jaar',
			'Leeftijd: 13–14 jaar n'
		]);
		// what an export writes, an import reads
		for (const h of categoryHeaders(DIMENSIONS)) {
			expect(readCategoryHeader(h.value, DIMENSIONS)).toEqual({
				dimension: h.dimension,
				category: h.category,
				part: 'value'
			});
			expect(readCategoryHeader(h.n, DIMENSIONS)).toEqual({ dimension: h.dimension, category: h.category, part: 'n' });
		}
	});
});

describe('ImportChecker with category columns', () => {
	const context: EntryContext = {
		indicator: (code) => (code === 'VV-P' ? { id: 1, code, unit: 'percent', derived: false } : undefined),
		region: (key) => (key === 'obs' ? { id: 10, slug: 'obs' } : undefined),
		today: '2025-03-01',
		decimal: ','
	};
	const base = ['indicator', 'regio', 'datum', 'waarde', 'n'];

	it('should refuse an unknown category column, one twice, and an n column without its value column', () => {
		const checker = new ImportChecker(context, DIMENSIONS);
		const issues = checker.header(
			[...base, 'Geslacht: Kat', 'Geslacht: Meisje', 'geslacht:meisje', 'Geslacht: Jongen n'],
			1
		);
		expect(issues.map((i) => [i.column, i.message])).toEqual([
			[
				'Geslacht: Kat',
				'onbekende categoriekolom "Geslacht: Kat": geen dimensie en categorie van dit programma (zoals "Geslacht: Meisje" en "Geslacht: Meisje n")'
			],
			['geslacht:meisje', 'kolom "geslacht:meisje" staat er twee keer in'],
			[
				'Geslacht: Jongen n',
				'kolom "Geslacht: Jongen n" is de n van een categorie, maar de kolom met haar waarde ontbreekt'
			]
		]);
	});

	it('should read a row’s categories with the file’s decimal mark, empty cells not given', () => {
		const checker = new ImportChecker(context, DIMENSIONS);
		expect(checker.header([...base, 'Geslacht: Meisje', 'Geslacht: Meisje n', 'Geslacht: Jongen'], 1)).toEqual([]);
		const row = checker.row(['VV-P', 'obs', '1-2-2025', '30', '200', '35,5', '100', ''], 2);
		expect(row).toEqual({
			ok: true,
			row: expect.objectContaining({
				categories: [
					{
						dimension: 'geslacht',
						category: 'meisje',
						keep: false,
						value: 35.5,
						n: 100,
						columns: { value: 'Geslacht: Meisje', n: 'Geslacht: Meisje n' }
					}
				]
			})
		});
		const bad = checker.row(['VV-P', 'obs', '2-2-2025', '30', '200', '135', '', ''], 3);
		expect(bad).toEqual({
			ok: false,
			issues: [{ row: 3, column: 'Geslacht: Meisje', message: 'een percentage ligt tussen 0 en 100 (niet 135)' }]
		});
	});
});

describe(readRowCategories.name, () => {
	const percent = { unit: 'percent' as const, rules: null };

	it('should refuse a bad number, a % on a count, a value outside the plan’s range, and a wrong n, on their columns', () => {
		const { issues } = readRowCategories(
			[
				cells('geslacht', 'meisje', 'veel', '10'),
				cells('geslacht', 'jongen', '', '12'),
				cells('leeftijd', '10-12', '40', '2,5'),
				cells('leeftijd', '13-14', 'n.v.t.', null)
			],
			percent,
			','
		);
		expect(issues.map((i) => i.column)).toEqual([
			'geslacht:meisje',
			'geslacht:jongen',
			'leeftijd:10-12 n',
			'leeftijd:13-14'
		]);
		expect(issues[1].message).toBe('waarde ontbreekt (n is wel ingevuld)');
		expect(issues[2].message).toBe('n is een heel getal van 0 of meer (niet 2.5)');
		expect(readRowCategories([cells('geslacht', 'meisje', '5%')], { unit: 'count', rules: null }, ',').issues).toEqual([
			{ column: 'geslacht:meisje', message: 'een %-teken hoort alleen bij een percentage' }
		]);
		expect(
			readRowCategories(
				[cells('geslacht', 'meisje', 11, 40)],
				{ unit: 'score', rules: { min: 1, max: 10, maxChange: null } },
				','
			).issues
		).toEqual([{ column: 'geslacht:meisje', message: 'Waarde 11 ligt buiten het toegestane bereik 1–10.' }]);
	});

	it('should read the marker in any case as "keep", in one or both cells, and refuse it beside a number', () => {
		const { categories, issues } = readRowCategories(
			[
				cells('geslacht', 'meisje', KEEP_MARKER, KEEP_MARKER),
				cells('geslacht', 'jongen', 'Te Weinig Respondenten', ''),
				cells('leeftijd', '10-12', KEEP_MARKER, '40'),
				cells('leeftijd', '13-14', '12', KEEP_MARKER)
			],
			percent,
			','
		);
		expect(categories.map((c) => [c.category, c.keep])).toEqual([
			['meisje', true],
			['jongen', true]
		]);
		expect(issues.map((i) => i.column)).toEqual(['leeftijd:10-12 n', 'leeftijd:13-14']);
	});
});

describe(resolveCategories.name, () => {
	const file = (category: string, figure: { value: number; n?: number } | 'keep'): FileCategory => ({
		dimension: 'geslacht',
		category,
		columns: { value: `G: ${category}`, n: `G: ${category} n` },
		...(figure === 'keep' ? { keep: true as const } : { keep: false as const, ...figure })
	});
	const ctx = { unit: 'percent' as const, dimensions: [GESLACHT], total: { value: 30, n: 120 } };
	const stored = [
		{ dimension: 'geslacht', category: 'meisje', value: 35, n: 60 },
		{ dimension: 'geslacht', category: 'anders-onbekend', value: 17, n: 5 }
	];

	it('should take a kept figure from the stored measurement, an archived value included', () => {
		expect(
			resolveCategories([file('meisje', { value: 36, n: 60 }), file('anders-onbekend', 'keep')], stored, ctx)
		).toEqual({
			ok: true,
			categories: [
				{ dimension: 'geslacht', category: 'meisje', value: 36, n: 60 },
				{ dimension: 'geslacht', category: 'anders-onbekend', value: 17, n: 5 }
			],
			flags: []
		});
	});

	it('should refuse the marker for a new measurement or one without that category', () => {
		expect(resolveCategories([file('meisje', 'keep')], null, ctx)).toEqual({
			ok: false,
			issues: [{ column: 'G: meisje', message: KEEP_REFUSAL }]
		});
		expect(resolveCategories([file('jongen', 'keep')], stored, ctx)).toEqual({
			ok: false,
			issues: [{ column: 'G: jongen', message: KEEP_REFUSAL }]
		});
	});

	it('should put a missing n on the n column, an archived value on a new measurement on the value column', () => {
		const r = resolveCategories(
			[file('meisje', { value: 36 }), file('anders-onbekend', { value: 17, n: 5 })],
			null,
			ctx
		);
		expect(r).toEqual({
			ok: false,
			issues: [
				{ column: 'G: meisje n', message: 'Vul n in voor meisje: het aantal respondenten.' },
				{ column: 'G: anders-onbekend', message: 'Anders/onbekend (geslacht) is gearchiveerd.' }
			]
		});
	});
});

describe(exportCategoryCells.name, () => {
	const headers = categoryHeaders([GESLACHT]);

	it('should write a small group and the one that would give it away as the marker, the rest as figures', () => {
		const list = [
			{ dimension: 'geslacht', category: 'meisje', value: 35, n: 60 },
			{ dimension: 'geslacht', category: 'jongen', value: 26, n: 55 },
			{ dimension: 'geslacht', category: 'anders-onbekend', value: 17, n: 5 }
		];
		expect(exportCategoryCells(list, 'percent', 10, headers)).toEqual([{ value: 35, n: 60 }, KEEP_MARKER, KEEP_MARKER]);
		expect(exportCategoryCells(list, 'percent', 5, headers)).toEqual([
			{ value: 35, n: 60 },
			{ value: 26, n: 55 },
			{ value: 17, n: 5 }
		]);
	});

	it('should leave a category not given empty, and count a count without n by its value', () => {
		const list = [{ dimension: 'geslacht', category: 'jongen', value: 12 }];
		expect(exportCategoryCells(list, 'count', 10, headers)).toEqual([null, { value: 12, n: null }, null]);
		expect(exportCategoryCells([{ ...list[0], value: 4 }], 'count', 10, headers)).toEqual([null, KEEP_MARKER, null]);
	});
});

describe(sameContent.name, () => {
	const total = { value: 30, text: null, n: 120, source: null, note: null };

	it('should compare categories whatever their order, n included', () => {
		const a = [
			{ dimension: 'geslacht', category: 'meisje', value: 35, n: 60 },
			{ dimension: 'geslacht', category: 'jongen', value: 26, n: 55 }
		];
		expect(sameContent({ ...total, categories: a }, { ...total, categories: [a[1], a[0]] })).toBe(true);
		expect(sameContent({ ...total, categories: a }, { ...total, categories: [a[0]] })).toBe(false);
		expect(sameCategories(a, [a[0], { ...a[1], n: 54 }])).toBe(false);
		expect(sameContent({ ...total, categories: [] }, total)).toBe(true);
	});
});
