import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parse, CsvError } from 'csv-parse';
import ExcelJS from 'exceljs';
import { dutchCount, type DecimalMark } from '../../domain/dutch-format.ts';
import { IMPORT_LIMITS, unguard, type Cell } from '../../domain/measurement-import.ts';
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

/** The upload was cut off by the server's body limit (adapter-node's BODY_SIZE_LIMIT or the API's): a 413, not a bad file. */
export class UploadTooLarge extends Error {}

const isTooLarge = (e: unknown) =>
	typeof e === 'object' &&
	e !== null &&
	(('status' in e && e.status === 413) || ('name' in e && e.name === 'BodyLimitError'));

/**
 * An upload's body or file (a web stream) as the chunks the reader takes; none when there is no body.
 * Stopping early cancels the stream, as `for await` over the stream itself would.
 */
export async function* webStreamChunks(stream: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
	if (!stream) return;
	const reader = stream.getReader();
	let done = false;
	try {
		for (let next = await reader.read(); !next.done; next = await reader.read()) yield next.value;
		done = true;
	} finally {
		if (!done) await reader.cancel().catch(() => {});
		reader.releaseLock();
	}
}

/** The request body, with the server's size refusal told apart from any other failure while reading it. */
async function* uploadBytes(input: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
	try {
		yield* input;
	} catch (e) {
		throw isTooLarge(e) ? new UploadTooLarge('upload too large') : e;
	}
}

/** The limits in words, shared by CSV and XLSX. */
export const LIMIT_MESSAGES = {
	rows: `het bestand heeft meer dan ${dutchCount(IMPORT_LIMITS.rows)} rijen met metingen; splits het in kleinere bestanden`,
	columns: `een rij heeft meer dan ${IMPORT_LIMITS.columns} kolommen`,
	cell: `een cel is langer dan ${dutchCount(IMPORT_LIMITS.cellChars)} tekens`
} as const;

/**
 * A line longer than this cannot be a row of measurements (IMPORT_LIMITS.lineChars: its longest fields with
 * every quote doubled) and is refused before it is parsed: csv-parse's work on one record grows faster than
 * its length, and it hands nothing back (so nothing yields) until the record ends.
 */
const MAX_LINE = IMPORT_LIMITS.lineChars;

const SNIFF_BYTES = 64 * 1024;
const PARSE_SLICE = 4 * 1024;
const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

export async function openMeasurementFile(input: AsyncIterable<Uint8Array>): Promise<OpenedFile> {
	const it = uploadBytes(input)[Symbol.asyncIterator]();
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
		const chunk = next.value;
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
	const delimiter =
		count(firstLine, ';') >= count(firstLine, ',') && count(firstLine, ';') > 0
			? ';'
			: count(firstLine, '\t') > count(firstLine, ',')
				? '\t'
				: ',';
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
	let line = 0;
	let lines = 1;
	try {
		for await (const chunk of bytes) {
			const text = decoder.decode(chunk, { stream: true });
			for (let from = 0; ; lines++) {
				const at = text.indexOf('\n', from);
				line += (at < 0 ? text.length : at) - from;
				if (line > MAX_LINE)
					throw new FileReadError(
						lines,
						`regel ${dutchCount(lines)} is langer dan ${dutchCount(MAX_LINE)} tekens; zo lang kan een rij met metingen niet zijn`
					);
				if (at < 0) break;
				line = 0;
				from = at + 1;
			}
			// the parser turns a whole chunk into records at once: small slices keep that (and memory) bounded
			for (let i = 0; i < text.length; i += PARSE_SLICE) yield text.slice(i, i + PARSE_SLICE);
			// other requests get a turn per chunk, also while a long record yields no rows
			await nextTurn();
		}
		yield decoder.decode();
	} catch (e) {
		if (e instanceof TypeError)
			throw new FileReadError(0, 'het bestand is geen geldige UTF-8-tekst; sla het in Excel op als "CSV UTF-8"');
		throw e;
	}
}

const CSV_MESSAGES: Record<string, string> = {
	CSV_QUOTE_NOT_CLOSED: 'een aanhalingsteken wordt niet gesloten',
	CSV_INVALID_CLOSING_QUOTE: 'na een sluitend aanhalingsteken volgt geen scheidingsteken',
	CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'na een sluitend aanhalingsteken volgt geen scheidingsteken',
	CSV_INVALID_OPENING_QUOTE: 'een aanhalingsteken midden in een veld'
};

async function* csvRows(
	bytes: AsyncIterable<Uint8Array>,
	encoding: string,
	delimiter: string
): AsyncGenerator<SheetRow> {
	const parser = parse({
		delimiter,
		bom: true,
		info: true,
		relax_column_count: true,
		skip_empty_lines: true,
		trim: true,
		max_record_size: MAX_LINE
	});
	acceptAnyRecordLength(parser);
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
		let records = 0;
		for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
			const crlf = record.reduce((n, f) => n + count(f, '\r\n'), 0);
			const inner = record.reduce((n, f) => n + count(f, '\n'), 0);
			doubled += crlf;
			const row = info.lines - doubled - inner;
			withinLimits(row, ++records, record);
			yield { row, cells: record.map(unguard) };
		}
	} catch (e) {
		if (sourceError) throw sourceError;
		if (e instanceof CsvError && e.code === 'CSV_MAX_RECORD_SIZE')
			throw new FileReadError(
				0,
				`een rij is langer dan ${dutchCount(MAX_LINE)} tekens; zo lang kan een rij met metingen niet zijn`
			);
		if (e instanceof CsvError) {
			const lines = typeof e.lines === 'number' ? e.lines : null;
			throw new FileReadError(lines ?? 0, `regel ${lines ?? '?'}: ${CSV_MESSAGES[e.code] ?? e.message}`);
		}
		throw e;
	}
	if (sourceError) throw sourceError;
}

/** Stops at the row, column and cell limits (the header plus IMPORT_LIMITS.rows rows). */
function withinLimits(row: number, records: number, cells: readonly Cell[]) {
	if (records > IMPORT_LIMITS.rows + 1) throw new FileReadError(row, LIMIT_MESSAGES.rows);
	if (cells.length > IMPORT_LIMITS.columns)
		throw new FileReadError(row, `rij ${dutchCount(row)}: ${LIMIT_MESSAGES.columns}`);
	for (const c of cells)
		if (typeof c === 'string' && c.length > IMPORT_LIMITS.cellChars)
			throw new FileReadError(row, `rij ${dutchCount(row)}: ${LIMIT_MESSAGES.cell}`);
}

/**
 * csv-parse 6 builds an error object (its options copied, values JSON round-tripped) for every record whose
 * length differs from the first one's, even with relax_column_count: ~100 µs a row, 20 s for a flood of
 * one-cell rows. Each record is taken as the expected length instead; the checker reports extra cells.
 */
function acceptAnyRecordLength(parser: unknown) {
	const api = (
		parser as {
			api?: {
				state: { record: unknown[]; expectedRecordLength: number };
				__onRecord?: (...args: unknown[]) => unknown;
			};
		}
	).api;
	const onRecord = api?.__onRecord;
	if (!api || !onRecord) return;
	api.__onRecord = function (...args: unknown[]) {
		api.state.expectedRecordLength = api.state.record.length;
		return onRecord.apply(this, args);
	};
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
	if ('result' in value) return cellOf(value.result, numFmt);
	if ('richText' in value) return unguard(value.richText.map((r) => r.text).join(''));
	if ('text' in value) return cellOf(value.text, numFmt);
	if ('error' in value) return String(value.error);
	return String(value);
}

async function* xlsxRows(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<SheetRow> {
	try {
		let records = 0;
		for await (const row of xlsxFirstSheetRows(bytes)) {
			// a sheet may claim millions of (empty) rows or a cell in column XFD: stop before reading on
			if (++records > IMPORT_LIMITS.rows + 1 || !(row.number <= IMPORT_LIMITS.rows + 1))
				throw new FileReadError(0, LIMIT_MESSAGES.rows);
			if (row.cellCount > IMPORT_LIMITS.columns)
				throw new FileReadError(row.number, `rij ${dutchCount(row.number)}: ${LIMIT_MESSAGES.columns}`);
			const cells: Cell[] = [];
			row.eachCell({ includeEmpty: true }, (cell, col) => {
				cells[col - 1] = cellOf(cell.value, cell.numFmt);
			});
			for (let i = 0; i < cells.length; i++) cells[i] ??= null;
			withinLimits(row.number, records, cells);
			yield { row: row.number, cells };
		}
	} catch (e) {
		if (e instanceof FileReadError || e instanceof UploadTooLarge) throw e;
		throw new FileReadError(
			0,
			`het Excel-bestand kan niet gelezen worden (${e instanceof Error ? e.message : String(e)})`
		);
	}
}
