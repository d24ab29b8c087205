import { dutchCount, plural, shorten } from './dutch-format.ts';
import {
	checkEntry,
	LIMITS,
	measurementKey,
	MEASUREMENT_FIELDS,
	type CheckedEntry,
	type EntryContext,
	type RawEntry,
	type RawValue
} from './measurement.ts';
import { MAX_CATEGORIES, type Dimension } from './breakdown.ts';
import {
	looksLikeCategoryHeader,
	readCategoryHeader,
	readRowCategories,
	type CategoryCells,
	type CategoryColumn,
	type FileCategory
} from './measurement-file-categories.ts';

/**
 * The rules of a measurement file (CSV or spreadsheet), independent of how its rows are read:
 * which header names mean which field, and each row checked by the one set of measurement rules,
 * plus "the same (indicator, region, date) twice in one file".
 */

/** A cell as a reader hands it over: text from CSV, or a typed spreadsheet value. */
export type Cell = RawValue;

const text = (c: Cell) => (c === null ? '' : c instanceof Date ? c.toISOString() : String(c)).trim();

/** The columns of a file: a measurement's fields, and its demo mark (so demo values stay marked when moved). */
export const FILE_COLUMNS = [...MEASUREMENT_FIELDS, 'demo'] as const;
export type FileColumn = (typeof FILE_COLUMNS)[number];

/** Header names, Dutch and English, lower case. */
export const HEADER_NAMES: Record<FileColumn, readonly string[]> = {
	indicator: ['indicator'],
	region: ['regio', 'region'],
	date: ['datum', 'date'],
	value: ['waarde', 'value'],
	n: ['n'],
	source: ['bron', 'source'],
	note: ['toelichting', 'note'],
	demo: ['demo']
};
const REQUIRED: readonly FileColumn[] = ['indicator', 'region', 'date', 'value'];

/**
 * Columns an export adds for the reader — the unit, the status and the last day the value is valid — which
 * an import reads past: the unit belongs to the indicator, the status to who imports, validity to the rules.
 */
export const EXPORT_ONLY_COLUMNS = ['unit', 'status', 'staleAfter'] as const;
export type ExportOnlyColumn = (typeof EXPORT_ONLY_COLUMNS)[number];
export const EXPORT_ONLY_NAMES: Record<ExportOnlyColumn, readonly [nl: string, en: string]> = {
	unit: ['eenheid', 'unit'],
	status: ['status', 'status'],
	staleAfter: ['verouderd na', 'stale after']
};
const IGNORED_NAMES = new Set(Object.values(EXPORT_ONLY_NAMES).flat());

/** The header row of an export, Dutch or English: the importable columns with the export-only ones before demo. */
export const headerRow = (language: 'nl' | 'en') => {
	const name = (f: FileColumn) => HEADER_NAMES[f][language === 'nl' ? 0 : HEADER_NAMES[f].length - 1];
	const fields = FILE_COLUMNS.filter((f) => f !== 'demo').map(name);
	const extra = EXPORT_ONLY_COLUMNS.map((c) => EXPORT_ONLY_NAMES[c][language === 'nl' ? 0 : 1]);
	return [...fields, ...extra, name('demo')];
};

/** How an export writes the demo mark: "ja", or empty for a real measurement. */
export const demoCell = (demo: boolean) => (demo ? 'ja' : '');

const DEMO_WORDS = new Map(
	Object.entries({
		'': false,
		ja: true,
		nee: false,
		yes: true,
		no: false,
		true: true,
		false: false,
		'1': true,
		'0': false
	})
);
/** A demo mark as exports, people and spreadsheets write it; undefined when it says neither yes nor no. */
export const readDemo = (cell: Cell): boolean | undefined => DEMO_WORDS.get(text(cell).toLowerCase());

/**
 * What an import reads at most, one place for reader, checker and README. A file past a limit is refused
 * with a Dutch message as soon as the reader gets there, so no upload can take the server's time or memory.
 */
export const IMPORT_LIMITS = {
	/** data rows (the header not counted); also the highest row number an XLSX sheet may use, plus the header */
	rows: 200_000,
	/** columns of the header and of any row: the fields, the export's own, and a value and n per category */
	columns: 20 + 2 * MAX_CATEGORIES,
	/** characters in one cell: the longest field, a story (LIMITS.text) */
	cellChars: 5_000,
	/** characters in one CSV line: its longest fields (story, note, source) with every quote doubled, and room for the rest */
	lineChars: 2 * (LIMITS.text + LIMITS.note + LIMITS.source) + 1_000,
	/** XLSX: entries in the shared-strings table */
	sharedStrings: 1_000_000,
	/** XLSX: bytes of the shared-strings part once unpacked */
	sharedStringsBytes: 50 * 1024 * 1024,
	/** XLSX: bytes of all parts read, once unpacked (a zip bomb stops here) */
	unpackedBytes: 150 * 1024 * 1024,
	/** problems a refusal lists one by one; the rest are counted per kind */
	listedIssues: 200,
	/** kinds of problem counted apart after that; any further kinds are counted together */
	issueKinds: 50
} as const;

export interface ImportIssue {
	/** row number as a spreadsheet shows it (the header is row 1); 0 for the file as a whole */
	row: number;
	/** the column as its header names it, or '' for the whole row */
	column: string;
	message: string;
}

export interface ImportRow {
	row: number;
	entry: CheckedEntry;
	/** the file marks this measurement as demo data */
	demo: boolean;
	/** its values per category, each cell checked; resolved against the stored measurement when written */
	categories: FileCategory[];
}

/** A text cell as written before export guarded it against running as a formula (see formula-guard.ts). */
export { unguardFormula as unguard } from './formula-guard.ts';

const FIELD_BY_NAME = new Map(
	FILE_COLUMNS.flatMap((field) => HEADER_NAMES[field].map((name): [string, FileColumn] => [name, field]))
);

/**
 * Checks rows one at a time and remembers only the keys it has seen, so a file of any length is
 * checked in bounded memory.
 */
export class ImportChecker {
	#columns: (FileColumn | null)[] = [];
	#categories: (CategoryColumn | null)[] = [];
	#names: string[] = [];
	#seen = new Map<string, number>();
	#headerOk = false;
	rows = 0;

	/** `dimensions`: the programme's, whose categories a file may give a column each (measurement-file-categories.ts) */
	constructor(
		private readonly ctx: EntryContext,
		private readonly dimensions: readonly Dimension[] = []
	) {}

	/** The header row: every required column once, nothing unknown; category columns optional. */
	header(cells: Cell[], row: number): ImportIssue[] {
		const issues: ImportIssue[] = [];
		this.#names = cells.map(text);
		this.#categories = this.#names.map((name) => (name === '' ? null : readCategoryHeader(name, this.dimensions)));
		this.#columns = this.#names.map((name, i) => {
			if (name === '' || this.#categories[i]) return null;
			const key = name.replace(/^\uFEFF/, '').toLowerCase();
			if (IGNORED_NAMES.has(key)) return null;
			const field = FIELD_BY_NAME.get(key);
			if (!field)
				issues.push({
					row,
					column: shorten(name),
					message: looksLikeCategoryHeader(name)
						? `onbekende categoriekolom "${shorten(name)}": geen dimensie en categorie van dit programma (zoals "Geslacht: Meisje" en "Geslacht: Meisje n")`
						: `onbekende kolom "${shorten(name)}"; bekende kolommen: indicator, regio, datum, waarde, n, bron, toelichting, demo (of in het Engels)`
				});
			return field ?? null;
		});
		issues.push(...this.#categoryHeaderIssues(row));
		const seen = new Set<FileColumn>();
		this.#columns.forEach((f, i) => {
			if (f && seen.has(f))
				issues.push({
					row,
					column: shorten(this.#names[i]),
					message: `kolom "${shorten(this.#names[i])}" staat er twee keer in`
				});
			if (f) seen.add(f);
		});
		for (const f of REQUIRED)
			if (!seen.has(f))
				issues.push({
					row,
					column: HEADER_NAMES[f][0],
					message: `kolom "${HEADER_NAMES[f][0]}" ontbreekt in de kopregel`
				});
		this.#headerOk = issues.length === 0;
		return issues;
	}

	/** A data row: rows whose cells are all empty are skipped (null, no issues). */
	row(cells: Cell[], row: number): { ok: true; row: ImportRow } | { ok: false; issues: ImportIssue[] } | null {
		if (cells.every((c) => text(c) === '')) return null;
		this.rows++;
		if (!this.#headerOk) return { ok: false, issues: [] };
		const issues: ImportIssue[] = [];
		cells.forEach((cell, i) => {
			if (typeof cell === 'string' && cell.includes('\u0000'))
				issues.push({ row, column: this.#names[i] ? shorten(this.#names[i]) : `kolom ${i + 1}`, message: NUL_REFUSAL });
		});
		if (issues.length) return { ok: false, issues };
		const raw: RawEntry = {};
		let demo: Cell = null;
		cells.forEach((cell, i) => {
			const field = this.#columns[i];
			if (field === 'demo') demo = cell;
			else if (field) raw[field] = typeof cell === 'string' ? cell.trim() : cell;
			else if (i >= this.#columns.length && text(cell) !== '')
				issues.push({ row, column: `kolom ${i + 1}`, message: 'deze rij heeft meer kolommen dan de kopregel' });
		});
		const checked = checkEntry(raw, this.ctx);
		let categories: FileCategory[] = [];
		// most rows of most files carry no categories: only a row with a filled category cell is read for them
		if (checked.ok && this.#categories.some((c, i) => c !== null && text(cells[i] ?? null) !== '')) {
			const read = readRowCategories(this.#categoryCells(cells), checked.entry.indicator, this.ctx.decimal);
			for (const i of read.issues) issues.push({ row, ...i });
			categories = read.categories;
		}
		// in the order checkEntry finds them; a file has no separate story column, so no `text` problem
		if (!checked.ok)
			for (const field of MEASUREMENT_FIELDS) {
				const message = checked.errors[field];
				if (message) issues.push({ row, column: this.columnName(field), message });
			}
		const isDemo = readDemo(demo);
		if (isDemo === undefined)
			issues.push({
				row,
				column: this.columnName('demo'),
				message: `"${shorten(text(demo))}" is geen demo-markering: schrijf "ja" voor een demo-waarde, of laat het leeg`
			});
		if (checked.ok) {
			const e = checked.entry;
			const key = measurementKey(e.indicator.id, e.region.id, e.date);
			const first = this.#seen.get(key);
			if (first !== undefined)
				issues.push({ row, column: '', message: `dubbel: dezelfde indicator, regio en datum als rij ${first}` });
			else this.#seen.set(key, row);
		}
		if (issues.length || !checked.ok) return { ok: false, issues };
		return { ok: true, row: { row, entry: checked.entry, demo: isDemo === true, categories } };
	}

	/** A category's n column belongs beside its value column; each column once. */
	#categoryHeaderIssues(row: number): ImportIssue[] {
		const issues: ImportIssue[] = [];
		const seen = new Set<string>();
		this.#categories.forEach((c, i) => {
			if (!c) return;
			const name = shorten(this.#names[i]);
			const key = `${c.dimension}:${c.category}:${c.part}`;
			if (seen.has(key)) issues.push({ row, column: name, message: `kolom "${name}" staat er twee keer in` });
			seen.add(key);
		});
		this.#categories.forEach((c, i) => {
			if (c?.part === 'n' && !seen.has(`${c.dimension}:${c.category}:value`)) {
				const name = shorten(this.#names[i]);
				issues.push({
					row,
					column: name,
					message: `kolom "${name}" is de n van een categorie, maar de kolom met haar waarde ontbreekt`
				});
			}
		});
		return issues;
	}

	/** A row's category cells, a pair per category that has a value column. */
	#categoryCells(cells: Cell[]): CategoryCells[] {
		const pairs = new Map<string, CategoryCells>();
		this.#categories.forEach((c, i) => {
			if (c?.part !== 'value') return;
			pairs.set(`${c.dimension}:${c.category}`, {
				dimension: c.dimension,
				category: c.category,
				value: cells[i] ?? null,
				n: null,
				columns: { value: shorten(this.#names[i]), n: null }
			});
		});
		this.#categories.forEach((c, i) => {
			const pair = c?.part === 'n' ? pairs.get(`${c.dimension}:${c.category}`) : undefined;
			if (!pair) return;
			pair.n = cells[i] ?? null;
			pair.columns.n = shorten(this.#names[i]);
		});
		return [...pairs.values()];
	}

	/** The column as the header names it (cut to a quotable length). */
	columnName(field: FileColumn): string {
		const i = this.#columns.indexOf(field);
		return i >= 0 ? shorten(this.#names[i]) : HEADER_NAMES[field][0];
	}
}

/** PostgreSQL cannot store a NUL character in text; SQLite could, so both refuse it alike. */
export const NUL_REFUSAL = 'bevat een NUL-teken (\\u0000), dat niet in tekst kan staan; verwijder het uit het bestand';

/**
 * The problems of a refused file, in bounded memory however many there are: the first
 * IMPORT_LIMITS.listedIssues one by one, the rest counted per kind (column and message with the
 * quoted parts and numbers left out), each kind with its first example and row range.
 */
export class IssueList {
	#listed: ImportIssue[] = [];
	#rest = new Map<string, { example: ImportIssue; count: number; first: number; last: number }>();
	#stop: ImportIssue | null = null;
	total = 0;

	/** Why reading stopped (a limit, a broken file): always listed, first. */
	stop(issue: ImportIssue) {
		this.total++;
		this.#stop = issue;
	}

	add(issue: ImportIssue) {
		this.total++;
		if (this.#listed.length < IMPORT_LIMITS.listedIssues) {
			this.#listed.push(issue);
			return;
		}
		let kind = `${issue.column}|${issue.message.replace(/"[^"]*"/g, '""').replace(/\d+/g, '#')}`;
		if (!this.#rest.has(kind) && this.#rest.size >= IMPORT_LIMITS.issueKinds) kind = '*';
		const seen = this.#rest.get(kind);
		if (seen) {
			seen.count++;
			seen.first = Math.min(seen.first, issue.row);
			seen.last = Math.max(seen.last, issue.row);
		} else this.#rest.set(kind, { example: issue, count: 1, first: issue.row, last: issue.row });
	}

	get length() {
		return this.total;
	}

	/** The listed problems by row, then one line per kind of the rest: "en nog 199.800 rijen met dezelfde fout …". */
	issues(): ImportIssue[] {
		const rest = [...this.#rest].map(([kind, { example, count, first, last }]) => {
			const rows = first === last ? `rij ${dutchCount(first)}` : `rij ${dutchCount(first)} t/m ${dutchCount(last)}`;
			return kind === '*'
				? { row: 0, column: '', message: `en nog ${plural(count, 'fout', 'fouten')} van andere soorten (${rows})` }
				: {
						row: 0,
						column: example.column,
						message: `en nog ${plural(count, 'rij', 'rijen')} met dezelfde fout (${rows}), zoals rij ${dutchCount(example.row)}: ${example.message}`
					};
		});
		return [...(this.#stop ? [this.#stop] : []), ...sortIssues(this.#listed.slice()), ...rest];
	}
}

/** Issues sorted as a reader expects them: by row, then column. */
export const sortIssues = (issues: ImportIssue[]) =>
	issues.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));

/** One issue as a line of text: "rij 4, waarde: een percentage ligt tussen 0 en 100 (niet 104)". */
export const formatIssue = (i: ImportIssue) =>
	`${i.row === 0 ? 'bestand' : `rij ${i.row}`}${i.column ? `, ${i.column}` : ''}: ${i.message}`;
