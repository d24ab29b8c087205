import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { dutchDate, dutchNumber, plainNumber } from '../../domain/dutch-format.ts';
import { guardFormula } from '../../domain/formula-guard.ts';
import { demoCell, headerRow } from '../../domain/measurement-import.ts';
import type { CategoryHeader, ExportCategoryCell } from '../../domain/measurement-file-categories.ts';

/**
 * Writes measurements as CSV (plain, or the way Dutch Excel writes it) or XLSX, streaming, in the
 * columns the importer reads: what is exported imports again unchanged.
 */

export interface ExportRow {
	indicator: string;
	region: string;
	date: string;
	value: number | null;
	text: string | null;
	n: number | null;
	source: string | null;
	note: string | null;
	/** in Dutch: procent, aantal, score, verhalen */
	unit: string;
	/** in Dutch: goedgekeurd, ingediend, teruggestuurd */
	status: string;
	/** the last day the value is valid (validity.ts); null = as long as there is data */
	staleAfter: string | null;
	demo: boolean;
	/** one cell pair per category column of the file, suppressed already (measurement-file-categories.ts) */
	categories?: readonly ExportCategoryCell[];
}

export const CSV_DIALECTS = ['plain', 'excel-nl'] as const;
export type CsvDialect = (typeof CSV_DIALECTS)[number];

/** Every text cell goes through the one formula guard; the importer undoes it. */
const safeText = (s: string | null) => (s === null ? '' : guardFormula(s));
const safeOrNull = (s: string | null) => (s === null ? null : guardFormula(s));

/** A category's value and n cells: its figure, the marker twice when suppressed, or empty. */
const categoryPair = <T>(cell: ExportCategoryCell | undefined, num: (n: number | null) => T, empty: T) =>
	cell === null || cell === undefined
		? [empty, empty]
		: typeof cell === 'string'
			? [cell, cell]
			: [num(cell.value), num(cell.n)];

/**
 * `categories`: the category columns after demo, value and n beside each other (the Dutch names: the header
 * is the plan's, whatever the file's language).
 */
export function csvStream(
	rows: AsyncIterable<ExportRow>,
	dialect: CsvDialect,
	categories: readonly CategoryHeader[] = []
): Readable {
	const nl = dialect === 'excel-nl';
	const num = (n: number | null) => (n === null ? '' : nl ? dutchNumber(n) : plainNumber(n));
	const out = stringify({
		delimiter: nl ? ';' : ',',
		record_delimiter: nl ? 'windows' : 'unix',
		bom: nl,
		quoted_match: /[\r\n]/
	});
	(async () => {
		out.write([...headerRow(nl ? 'nl' : 'en'), ...categories.flatMap((c) => [c.value, c.n])]);
		for await (const r of rows) {
			const value = r.text !== null ? safeText(r.text) : num(r.value);
			const ok = out.write([
				safeText(r.indicator),
				safeText(r.region),
				nl ? dutchDate(r.date) : r.date,
				value,
				num(r.n),
				safeText(r.source),
				safeText(r.note),
				r.unit,
				r.status,
				r.staleAfter === null ? '' : nl ? dutchDate(r.staleAfter) : r.staleAfter,
				demoCell(r.demo),
				...categories.flatMap((_, i) => categoryPair(r.categories?.[i], num, ''))
			]);
			if (!ok) await new Promise((resolve) => out.once('drain', resolve));
		}
		out.end();
	})().catch((e) => out.destroy(e));
	return out;
}

const utcDate = (iso: string) => {
	const [y, m, d] = iso.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d));
};

/** XLSX with numbers as numbers and dates as dates (day-month-year), one row per measurement. */
export function xlsxStream(rows: AsyncIterable<ExportRow>, categories: readonly CategoryHeader[] = []): Readable {
	const out = new PassThrough();
	const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
	const sheet = workbook.addWorksheet('Metingen', { views: [{ state: 'frozen', ySplit: 1 }] });
	const [indicator, regio, datum, waarde, n, bron, toelichting, eenheid, status, verouderdNa, demo] = headerRow('nl');
	sheet.columns = [
		{ header: indicator, key: 'indicator', width: 26 },
		{ header: regio, key: 'region', width: 22 },
		{ header: datum, key: 'date', width: 12, style: { numFmt: 'dd-mm-yyyy' } },
		{ header: waarde, key: 'value', width: 12 },
		{ header: n, key: 'n', width: 8 },
		{ header: bron, key: 'source', width: 40 },
		{ header: toelichting, key: 'note', width: 40 },
		{ header: eenheid, key: 'unit', width: 10 },
		{ header: status, key: 'status', width: 14 },
		{ header: verouderdNa, key: 'staleAfter', width: 12, style: { numFmt: 'dd-mm-yyyy' } },
		{ header: demo, key: 'demo', width: 8 },
		...categories.flatMap((c, i) => [
			{ header: c.value, key: `c${i}`, width: 14 },
			{ header: c.n, key: `c${i}n`, width: 10 }
		])
	];
	sheet.getRow(1).font = { bold: true };
	(async () => {
		for await (const r of rows) {
			sheet
				.addRow({
					indicator: guardFormula(r.indicator),
					region: guardFormula(r.region),
					date: utcDate(r.date),
					value: r.text !== null ? guardFormula(r.text) : r.value,
					n: r.n,
					source: safeOrNull(r.source),
					note: safeOrNull(r.note),
					unit: r.unit,
					status: r.status,
					staleAfter: r.staleAfter === null ? null : utcDate(r.staleAfter),
					demo: demoCell(r.demo) || null,
					...Object.fromEntries(
						categories.flatMap((_, i) => {
							const [value, n] = categoryPair(r.categories?.[i], (x) => x, null);
							return [
								[`c${i}`, value],
								[`c${i}n`, n]
							];
						})
					)
				})
				.commit();
			if (out.writableNeedDrain) await once(out, 'drain');
		}
		sheet.commit();
		await workbook.commit();
	})().catch((e) => out.destroy(e));
	return out;
}
