import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { Open, type File } from 'unzipper';

/**
 * The rows of an XLSX file's first worksheet, read in bounded memory.
 *
 * exceljs's streaming WorkbookReader reads the zip front to back and now and then loses its last entry
 * (exceljs#3064; exceljs itself writes xl/workbook.xml last), so a good file was sometimes refused. Here the
 * upload is spooled to a temporary file and its parts are read through the zip's central directory in the
 * order they depend on each other: relationships, workbook, shared strings, styles, then the sheet. The
 * parsing itself stays exceljs's, through the reader's part parsers (the fix proposed upstream in exceljs#3065).
 */

/** The part parsers of exceljs 4.4's WorkbookReader that this file drives in its own order. */
interface PartParsers {
	_parseRels(entry: Readable): Promise<void>;
	_parseWorkbook(entry: Readable): Promise<void>;
	_parseSharedStrings(entry: Readable): AsyncIterable<unknown>;
	_parseStyles(entry: Readable): Promise<void>;
	_parseWorksheet(chunks: AsyncIterable<Uint8Array>, sheetNo: string): Iterable<{ value: ExcelJS.stream.xlsx.WorksheetReader }>;
	/** the workbook's sheets in tab order, once parsed */
	model?: { sheets?: { rId: string }[] };
	/** the workbook's relationships (sheet rId → part), once parsed */
	workbookRels?: { Id: string; Target: string }[];
}

const SHEET = /^xl\/worksheets\/sheet(\d+)\.xml$/;

export async function* xlsxFirstSheetRows(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<ExcelJS.Row> {
	const dir = await mkdtemp(join(tmpdir(), 'kompas-xlsx-'));
	try {
		const path = join(dir, 'upload.xlsx');
		await pipeline(Readable.from(bytes), createWriteStream(path));
		const { files } = await Open.file(path);
		const part = (name: string) => files.find((f) => f.path === name);
		const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' }) as unknown as PartParsers;

		const rels = part('xl/_rels/workbook.xml.rels');
		if (rels) await reader._parseRels(rels.stream());
		const workbook = part('xl/workbook.xml');
		if (workbook) await reader._parseWorkbook(workbook.stream());
		const strings = part('xl/sharedStrings.xml');
		if (strings) for await (const _ of reader._parseSharedStrings(strings.stream()));
		const styles = part('xl/styles.xml');
		if (styles) await reader._parseStyles(styles.stream());

		// only the first worksheet (in tab order) holds measurements
		const sheet = firstSheet(reader, files);
		if (!sheet) return;
		for (const { value: rows } of reader._parseWorksheet(sheet.stream(), String(sheetNo(sheet)))) {
			yield* rows as unknown as AsyncIterable<ExcelJS.Row>;
		}
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

const sheetNo = (f: File) => Number(SHEET.exec(f.path)![1]);

/** The worksheet part of the workbook's first tab; without a readable workbook part, the lowest-numbered sheet. */
function firstSheet(reader: PartParsers, files: File[]): File | undefined {
	const sheets = files.filter((f) => SHEET.test(f.path)).sort((a, b) => sheetNo(a) - sheetNo(b));
	const rId = reader.model?.sheets?.[0]?.rId;
	const target = reader.workbookRels?.find((r) => r.Id === rId)?.Target.replace(/^\/?(xl\/)?/, 'xl/');
	return sheets.find((f) => f.path === target) ?? sheets[0];
}
