import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline as pipe, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { Open, type File } from 'unzipper';
import { dutchCount } from '../../domain/dutch-format.ts';
import { IMPORT_LIMITS } from '../../domain/measurement-import.ts';
import { FileReadError } from './measurement-reader.ts';

/** Where uploads are spooled while they are read: one recognisable folder, so stale spools can be found. */
export const SPOOL_DIR = join(tmpdir(), 'kompas-import-spool');
const SPOOL_SUFFIX = '.xlsx.spool';
/** A spool older than this belongs to an import that was killed (a running import takes minutes at most). */
export const STALE_SPOOL_MS = 60 * 60 * 1000;

/** Removes spools left by imports that were killed; returns how many. Run at server start. */
export async function removeStaleSpools(now = Date.now(), dir = SPOOL_DIR): Promise<number> {
	let removed = 0;
	const names = await readdir(dir).catch((): string[] => []);
	for (const name of names) {
		if (!name.endsWith(SPOOL_SUFFIX)) continue;
		const path = join(dir, name);
		const info = await stat(path).catch(() => null);
		if (info && now - info.mtimeMs > STALE_SPOOL_MS) {
			await rm(path, { force: true });
			removed++;
		}
	}
	return removed;
}

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
	_parseWorksheet(
		chunks: AsyncIterable<Uint8Array>,
		sheetNo: string
	): Iterable<{ value: ExcelJS.stream.xlsx.WorksheetReader }>;
	/** the workbook's sheets in tab order, once parsed */
	model?: { sheets?: { rId: string }[] };
	/** the workbook's relationships (sheet rId → part), once parsed */
	workbookRels?: { Id: string; Target: string }[];
	/** the shared strings read so far */
	sharedStrings?: unknown[];
}

const SHEET = /^xl\/worksheets\/sheet(\d+)\.xml$/;

export async function* xlsxFirstSheetRows(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<ExcelJS.Row> {
	await mkdir(SPOOL_DIR, { recursive: true });
	const path = join(SPOOL_DIR, `${process.pid}-${randomUUID()}${SPOOL_SUFFIX}`);
	try {
		await pipeline(Readable.from(bytes), createWriteStream(path));
		const { files } = await Open.file(path);
		const part = (name: string) => files.find((f) => f.path === name);
		const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
			worksheets: 'emit',
			sharedStrings: 'cache',
			styles: 'cache',
			hyperlinks: 'ignore',
			entries: 'ignore'
		}) as unknown as PartParsers;
		const unpacked = { bytes: 0 };
		// pipe() would not hand a broken entry's error on; pipeline() ends the guard with it
		const open = (f: File, limit?: { bytes: number; message: string; strings?: () => number }) => {
			const guarded = guard(unpacked, limit);
			pipe(f.stream(), guarded, () => {});
			return guarded;
		};

		const rels = part('xl/_rels/workbook.xml.rels');
		if (rels) await reader._parseRels(open(rels));
		const workbook = part('xl/workbook.xml');
		if (workbook) await reader._parseWorkbook(open(workbook));
		const strings = part('xl/sharedStrings.xml');
		if (strings) {
			const limit = {
				bytes: IMPORT_LIMITS.sharedStringsBytes,
				message: `de tabel met teksten is groter dan ${dutchCount(IMPORT_LIMITS.sharedStringsBytes / 1024 / 1024)} MB`,
				strings: () => reader.sharedStrings?.length ?? 0
			};
			for await (const _ of reader._parseSharedStrings(open(strings, limit)));
		}
		const styles = part('xl/styles.xml');
		if (styles) await reader._parseStyles(open(styles));

		// only the first worksheet (in tab order) holds measurements
		const sheet = firstSheet(reader, files);
		if (!sheet) return;
		for (const { value: rows } of reader._parseWorksheet(open(sheet), String(sheetNo(sheet)))) {
			yield* rows;
		}
	} finally {
		await rm(path, { force: true });
	}
}

/** Longest stretch of XML without `<` or `>` a part may hold: a full cell, every character written as an entity. */
const MAX_RUN = 6 * IMPORT_LIMITS.cellChars + 1024;

/**
 * Counts a part's bytes as it is unpacked (what the zip's directory claims is not trusted) and stops it
 * at the limits: all parts together, this part, the shared-strings count, and any text or tag longer
 * than a cell can be — so neither a zip bomb nor one huge cell is ever held in memory.
 */
function guard(
	total: { bytes: number },
	limit?: { bytes: number; message: string; strings?: () => number }
): Transform {
	let own = 0;
	let run = 0;
	return new Transform({
		transform(chunk: Buffer, _enc, done) {
			total.bytes += chunk.length;
			own += chunk.length;
			if (total.bytes > IMPORT_LIMITS.unpackedBytes)
				return done(
					new FileReadError(
						0,
						`het Excel-bestand is uitgepakt groter dan ${dutchCount(IMPORT_LIMITS.unpackedBytes / 1024 / 1024)} MB`
					)
				);
			if (limit && own > limit.bytes) return done(new FileReadError(0, limit.message));
			if (limit?.strings && limit.strings() > IMPORT_LIMITS.sharedStrings)
				return done(
					new FileReadError(0, `de tabel met teksten heeft meer dan ${dutchCount(IMPORT_LIMITS.sharedStrings)} teksten`)
				);
			for (let i = 0; i < chunk.length; i++) {
				const b = chunk[i];
				if (b === 0x3c || b === 0x3e) run = 0;
				else if (++run > MAX_RUN)
					return done(new FileReadError(0, `een cel is langer dan ${dutchCount(IMPORT_LIMITS.cellChars)} tekens`));
			}
			done(null, chunk);
		}
	});
}

const sheetNo = (f: File) => Number(SHEET.exec(f.path)![1]);

/** The worksheet part of the workbook's first tab; without a readable workbook part, the lowest-numbered sheet. */
function firstSheet(reader: PartParsers, files: File[]): File | undefined {
	const sheets = files.filter((f) => SHEET.test(f.path)).sort((a, b) => sheetNo(a) - sheetNo(b));
	const rId = reader.model?.sheets?.[0]?.rId;
	const target = reader.workbookRels?.find((r) => r.Id === rId)?.Target.replace(/^\/?(xl\/)?/, 'xl/');
	return sheets.find((f) => f.path === target) ?? sheets[0];
}
