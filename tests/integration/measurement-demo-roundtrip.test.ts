import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { KEEP_MARKER } from '../../src/lib/domain/measurement-file-categories.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProgrammeBySlug } from '../../src/lib/server/repositories/kompas.repository.ts';
import { valueOf } from '../helpers/result.ts';
import { exportMeasurements } from '../../src/lib/server/services/measurement-export.service.ts';
import { importMeasurements } from '../../src/lib/server/services/measurement-import.service.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { funderOf } from '../helpers/accounts.ts';
import {
	categoryIssues,
	dimensionsOf,
	parseCategories,
	parseDimensions,
	parseIndicatorDimensions
} from '../../src/lib/domain/breakdown.ts';
import { expectEvery } from '../helpers/expect-every.ts';

const bytesOf = async (s: Readable) => {
	const parts: Buffer[] = [];
	for await (const c of s) parts.push(Buffer.from(c));
	return Buffer.concat(parts);
};

/**
 * A download as someone moving it to another install makes it importable: a small group's figure is not in
 * the file (it reads KEEP_MARKER, small-groups.ts), and another install has no stored figure to keep, so those
 * cells are emptied — the category is then not given.
 */
async function movable(file: Buffer, kind: 'csv' | 'xlsx'): Promise<Buffer> {
	if (kind === 'csv') return Buffer.from(file.toString('utf8').replaceAll(KEEP_MARKER, ''), 'utf8');
	const wb = new ExcelJS.Workbook();
	await wb.xlsx.load(file as unknown as ArrayBuffer);
	wb.worksheets[0].eachRow((row) =>
		row.eachCell((cell) => {
			if (cell.value === KEEP_MARKER) cell.value = null;
		})
	);
	return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * The school years the demo seed added to `from`, also in `to`: a per-phase value's "verouderd na" in the
 * export is the end of the next phase, so both need the same calendar for the files to be equal.
 */
async function copySchoolYears(from: TestDb, to: TestDb, slug: string) {
	const programmeOf = async (db: TestDb) => (await findProgrammeBySlug(db.db, slug))!.id;
	const [source, target] = [await programmeOf(from), await programmeOf(to)];
	const known = new Set(
		(await to.db.selectFrom('school_years').select('name').where('programme_id', '=', target).execute()).map(
			(y) => y.name
		)
	);
	const years = await from.db.selectFrom('school_years').selectAll().where('programme_id', '=', source).execute();
	for (const y of years.filter((y) => !known.has(y.name))) {
		const { id } = await to.db
			.insertInto('school_years')
			.values({ programme_id: target, name: y.name })
			.returning('id')
			.executeTakeFirstOrThrow();
		const phases = await from.db.selectFrom('phases').selectAll().where('school_year_id', '=', y.id).execute();
		await to.db
			.insertInto('phases')
			.values(phases.map(({ id: _id, ...p }) => ({ ...p, programme_id: target, school_year_id: id })))
			.execute();
	}
}

describe.each(DIALECTS)('demo marks survive export → import elsewhere on %s', (dialect) => {
	let from: TestDb;
	let to: TestDb;
	beforeAll(async () => {
		from = await migratedDb(dialect);
		await loadBothPlans(from, { demo: true });
		to = await migratedDb(dialect);
		await loadBothPlans(to);
		await copySchoolYears(from, to, 'vleuten-versterkt');
	});
	afterAll(async () => {
		await from?.drop();
		await to?.drop();
	});

	it('should seed demo categories that agree with their totals, flagged demo, with a small group in each', async () => {
		const rows = await from.db
			.selectFrom('measurements as m')
			.innerJoin('indicators as i', 'i.id', 'm.indicator_id')
			.innerJoin('programmes as p', 'p.id', 'i.programme_id')
			.select([
				'i.code',
				'i.unit',
				'i.dimensions',
				'p.dimensions as programmeDimensions',
				'm.value',
				'm.n',
				'm.categories',
				'm.demo'
			])
			.where('m.categories', 'is not', null)
			.execute();
		// the gender split of both plans' stress-related programme indicators, and the age split of one
		expect(new Set(rows.map((r) => r.code))).toEqual(new Set(['VV-T2-NIET-ALLEEN', 'ZKL-MR-1-PILOT', 'ZKL-T1-S3-NUT']));
		expectEvery(rows, (r) => r.demo === 1);
		for (const r of rows) {
			const dimensions = dimensionsOf(parseDimensions(r.programmeDimensions), parseIndicatorDimensions(r.dimensions));
			const categories = parseCategories(r.categories);
			expect(categoryIssues(categories, { unit: r.unit, dimensions, total: { value: r.value, n: r.n } })).toEqual([]);
			if (dimensions.some((d) => d.key === 'geslacht'))
				expect(categories.find((c) => c.category === 'anders-onbekend')!.n).toBeLessThan(10);
		}
	});

	it.each([{ kind: 'csv', dialect: 'excel-nl' }, { kind: 'csv', dialect: 'plain' }, { kind: 'xlsx' }] as const)(
		'should keep demo marks ($kind $dialect)',
		async (format) => {
			const exportFrom = async (db: TestDb) => {
				const programme = (await findProgrammeBySlug(db.db, 'vleuten-versterkt'))!;
				// someone who only reads: approved measurements only, as before any role
				const reader = funderOf(programme.id, 'lezer');
				return bytesOf(valueOf(await exportMeasurements({ db: db.db, programme, actor: reader }, {}, format)));
			};
			const file = await movable(await exportFrom(from), format.kind);
			const programme = (await findProgrammeBySlug(to.db, 'vleuten-versterkt'))!;
			const r = await importMeasurements({ db: to.db, programme, operator: true }, Readable.from([file]), {
				fileName: 'x',
				replace: true
			});
			expect(r.ok, JSON.stringify(r).slice(0, 500)).toBe(true);
			const demo = await to.db
				.selectFrom('measurements')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.where('demo', '=', 1)
				.executeTakeFirstOrThrow();
			expect(Number(demo.n)).toBeGreaterThan(0);
			if (format.kind === 'csv') expect((await exportFrom(to)).equals(file)).toBe(true);
		}
	);
});
