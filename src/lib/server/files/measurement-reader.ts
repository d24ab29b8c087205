import { Readable } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import ExcelJS from 'exceljs';
import type { DecimalMark } from '../../domain/dutch-format.ts';
import { unguard, type Cell } from '../../domain/measurement-import.ts';
import { xlsxFirstSheetRows } from './xlsx-first-sheet.ts';

/**
 * Streams the rows of a measurement file, CSV or XLSX (told apart by their first bytes, not by a name
 * or content type), so a file of any size is read in bounded memory.
 */

export interface SheetRow {
	/** row number as a spreadsheet shows it: 1 is the first line */
	row: number;
	cells: Cell[];
}

export interface OpenedFile {
	kind: 'csv' | 'xlsx';
	/** how numbers written as text are read: Dutch (`;`) files have a decimal comma */
	decimal: DecimalMark;
	rows: AsyncGenerator<SheetRow>;
}

/** The file cannot be read at all (not a row that is wrong): broken quoting, not a spreadsheet, … */
export class FileReadError extends Error {
	constructor(
		readonly row: number,
		message: string
	) {
		super(message);
	}
}

const SNIFF_BYTES = 64 * 1024;
const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

export async function openMeasurementFile(input: AsyncIterable<Uint8Array>): Promise<OpenedFile> {
	const it = input[Symbol.asyncIterator]();
	const head: Uint8Array[] = [];
	let size = 0;
	let done = false;
	// enough of the start to tell the format, the encoding (UTF-8 or Excel's Windows-1252) and the separator
	while (size < SNIFF_BYTES) {
		const next = await it.next();
		if (next.done) {
			done = true;
			break;
		}
		const chunk = next.value instanceof Uint8Array ? next.value : Buffer.from(next.value as ArrayBuffer);
		head.push(chunk);
		size += chunk.length;
	}
	const prefix = Buffer.concat(head);
	async function* all(): AsyncGenerator<Uint8Array> {
		if (prefix.length) yield prefix;
		if (done) return;
		for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
	}
	if (isZip(prefix)) return { kind: 'xlsx', decimal: ',', rows: xlsxRows(all()) };
	if (prefix.length === 0) throw new FileReadError(0, 'het bestand is leeg');
	const encoding = looksLikeUtf8(prefix) ? 'utf-8' : 'windows-1252';
	const firstLine = new TextDecoder(encoding).decode(prefix).split('\n')[0];
	const delimiter = count(firstLine, ';') >= count(firstLine, ',') && count(firstLine, ';') > 0 ? ';' : count(firstLine, '\t') > count(firstLine, ',') ? '\t' : ',';
	return { kind: 'csv', decimal: delimiter === ',' ? '.' : ',', rows: csvRows(all(), encoding, delimiter) };
}

const count = (s: string, ch: string) => s.split(ch).length - 1;

function looksLikeUtf8(bytes: Uint8Array): boolean {
	try {
		new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
		return true;
	} catch {
		return false;
	}
}

async function* decode(bytes: AsyncIterable<Uint8Array>, encoding: string): AsyncGenerator<string> {
	const decoder = new TextDecoder(encoding, { fatal: encoding === 'utf-8' });
	try {
		for await (const chunk of bytes) yield decoder.decode(chunk, { stream: true });
		yield decoder.decode();
	} catch (e) {
		if (e instanceof TypeError) throw new FileReadError(0, 'het bestand is geen geldige UTF-8-tekst; sla het in Excel op als "CSV UTF-8"');
		throw e;
	}
}

const CSV_MESSAGES: Record<string, string> = {
	CSV_QUOTE_NOT_CLOSED: 'een aanhalingsteken wordt niet gesloten',
	CSV_INVALID_CLOSING_QUOTE: 'na een sluitend aanhalingsteken volgt geen scheidingsteken',
	CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'na een sluitend aanhalingsteken volgt geen scheidingsteken',
	CSV_INVALID_OPENING_QUOTE: 'een aanhalingsteken midden in een veld'
};

async function* csvRows(bytes: AsyncIterable<Uint8Array>, encoding: string, delimiter: string): AsyncGenerator<SheetRow> {
	const parser = parse({ delimiter, bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true });
	const source = Readable.from(decode(bytes, encoding));
	let sourceError: unknown = null;
	source.on('error', (e) => {
		sourceError = e;
		parser.destroy();
	});
	source.pipe(parser);
	try {
		// info.lines is the line where a record ends, counting a CRLF inside quotes as two lines
		let doubled = 0;
		for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
			const crlf = record.reduce((n, f) => n + count(f, '\r\n'), 0);
			const inner = record.reduce((n, f) => n + count(f, '\n'), 0);
			doubled += crlf;
			yield { row: info.lines - doubled - inner, cells: record.map(unguard) };
		}
	} catch (e) {
		if (sourceError) throw sourceError;
		if (e instanceof CsvError) throw new FileReadError((e as CsvError & { lines?: number }).lines ?? 0, `regel ${(e as CsvError & { lines?: number }).lines ?? '?'}: ${CSV_MESSAGES[e.code] ?? e.message}`);
		throw e;
	}
	if (sourceError) throw sourceError;
}

type ExcelValue = ExcelJS.CellValue;

/** A spreadsheet cell as text, number or date; percent-formatted numbers come back as "28,5%". */
function cellOf(value: ExcelValue, numFmt: string | undefined): Cell {
	if (value === null || value === undefined) return null;
	if (typeof value === 'number') {
		if (numFmt?.includes('%')) return `${String(Math.round(value * 100 * 1e9) / 1e9).replace('.', ',')}%`;
		return value;
	}
	if (typeof value === 'string') return unguard(value);
	if (value instanceof Date) return value;
	if (typeof value === 'boolean') return String(value);
	if ('result' in value) return cellOf(value.result as ExcelValue, numFmt);
	if ('richText' in value) return unguard(value.richText.map((r) => r.text).join(''));
	if ('text' in value) return cellOf(value.text as ExcelValue, numFmt);
	if ('error' in value) return String(value.error);
	return String(value);
}

async function* xlsxRows(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<SheetRow> {
	try {
		for await (const row of xlsxFirstSheetRows(bytes)) {
			const cells: Cell[] = [];
			row.eachCell({ includeEmpty: true }, (cell, col) => {
				cells[col - 1] = cellOf(cell.value, cell.numFmt);
			});
			for (let i = 0; i < cells.length; i++) cells[i] ??= null;
			yield { row: row.number, cells };
		}
	} catch (e) {
		if (e instanceof FileReadError) throw e;
		throw new FileReadError(0, `het Excel-bestand kan niet gelezen worden (${e instanceof Error ? e.message : String(e)})`);
	}
}
