import { categoryFlags, categoryIssues, categoryKey, type CategoryValue, type Dimension } from './breakdown.ts';
import { dutchCount, isNotApplicable, parseNumber, shorten, type DecimalMark } from './dutch-format.ts';
import { isInt32, MAX_INT } from './input-rules.ts';
import type { IndicatorRef, RawValue } from './measurement.ts';
import { VALUE_RULES } from './measurement.ts';
import type { Unit } from './plan.schema.ts';
import { SUPPRESSION_TEXT, withSuppression } from './small-groups.ts';
import { checkValue } from './value-rules.ts';

/**
 * The values per category (issue 17) in a measurement file, CSV or spreadsheet: one column per category,
 * headed `<Dimensie>: <Categorie>` (`Geslacht: Meisje`) with `<Dimensie>: <Categorie> n` for its group size
 * beside it; also by key (`geslacht:meisje`, `geslacht:meisje n`), in any case. So a measurement stays on one
 * row and "all or nothing", replace and unchanged work as for totals. An export writes a suppressed figure
 * (small-groups.ts) as KEEP_MARKER; read back, that text keeps the stored figure of an existing measurement.
 */

/** What an export writes in place of a small group's figure, and what an import reads as "keep the stored one". */
export const KEEP_MARKER = SUPPRESSION_TEXT.small;
export const KEEP_REFUSAL = `geen waarde: ${KEEP_MARKER} kan alleen een bestaande waarde behouden`;
const KEEP_BOTH = `"${KEEP_MARKER}" bewaart waarde en n samen: laat deze cel leeg of schrijf er ook "${KEEP_MARKER}"`;

/** A category column of a file: the category and which of its two cells. */
export interface CategoryColumn {
	dimension: string;
	category: string;
	part: 'value' | 'n';
}

const normal = (s: string) =>
	s
		.replace(/^\uFEFF/, '')
		.trim()
		.toLowerCase()
		.replace(/\s+/g, ' ')
		.replace(/ ?: ?/, ':');

/** The category a header names, by the plan's names or keys, or null when it names none. */
export function readCategoryHeader(header: string, dimensions: readonly Dimension[]): CategoryColumn | null {
	const h = normal(header);
	const find = (name: string) => {
		for (const d of dimensions)
			for (const v of d.values)
				if (name === `${d.key}:${v.key}` || name === normal(`${d.name}: ${v.name}`))
					return { dimension: d.key, category: v.key };
		return null;
	};
	const value = find(h);
	if (value) return { ...value, part: 'value' };
	const n = h.endsWith(' n') ? find(h.slice(0, -2)) : null;
	return n ? { ...n, part: 'n' } : null;
}

/** A header that is meant as a category column (it has a colon), so an unknown one is named as such. */
export const looksLikeCategoryHeader = (header: string) => header.includes(':');

/** The category columns an export writes for these dimensions: dimension order, value order, n beside the value. */
export interface CategoryHeader {
	dimension: string;
	category: string;
	value: string;
	n: string;
}
export const categoryHeaders = (dimensions: readonly Dimension[]): CategoryHeader[] =>
	dimensions.flatMap((d) =>
		d.values.map((v) => ({
			dimension: d.key,
			category: v.key,
			value: `${d.name}: ${v.name}`,
			n: `${d.name}: ${v.name} n`
		}))
	);

/** One category's two cells in a row, with the columns as the header names them (n: null when absent). */
export interface CategoryCells {
	dimension: string;
	category: string;
	value: RawValue;
	n: RawValue;
	columns: { value: string; n: string | null };
}

/** A category as a row gives it: its figure, or `keep` — the stored figure stays (KEEP_MARKER). */
export type FileCategory = {
	dimension: string;
	category: string;
	columns: { value: string; n: string | null };
} & ({ keep: false; value: number; n?: number } | { keep: true });

export interface CellIssue {
	/** the column as the header names it, or '' for the row */
	column: string;
	message: string;
}

const cellText = (c: RawValue) => (c === null ? '' : c instanceof Date ? c.toISOString() : String(c)).trim();
const isKeep = (c: RawValue) => typeof c === 'string' && c.trim().toLowerCase() === KEEP_MARKER;

function readFigure(
	raw: RawValue,
	decimal: DecimalMark
): { ok: true; number: number; percent: boolean } | { ok: false; message: string } {
	if (raw instanceof Date) return { ok: false, message: 'een datum is geen getal' };
	if (typeof raw === 'number')
		return Number.isFinite(raw) ? { ok: true, number: raw, percent: false } : { ok: false, message: 'geen getal' };
	const parsed = parseNumber(String(raw), decimal);
	return parsed.ok ? { ok: true, ...parsed.value } : parsed;
}

/**
 * The categories of one row, each cell checked as the total is: a number read with the file's decimal mark,
 * the unit's range and the plan's allowed range (value-rules.ts); n a whole number of 0 or more. An empty
 * category (both cells empty) is not given. Whether the categories fit the indicator and the total is
 * `resolveCategories`' part, once the stored measurement is known.
 */
export function readRowCategories(
	cells: readonly CategoryCells[],
	indicator: Pick<IndicatorRef, 'unit' | 'rules'>,
	decimal: DecimalMark
): { categories: FileCategory[]; issues: CellIssue[] } {
	const categories: FileCategory[] = [];
	const issues: CellIssue[] = [];
	for (const c of cells) {
		const valueText = cellText(c.value);
		const nText = c.n === null ? '' : cellText(c.n);
		if (valueText === '' && nText === '') continue;
		const at = { dimension: c.dimension, category: c.category, columns: c.columns };
		const keepValue = isKeep(c.value);
		if (keepValue || isKeep(c.n)) {
			// the marker keeps value and n together: a number beside it would be ignored, so it is refused
			const clash = keepValue
				? nText !== '' && !isKeep(c.n)
					? (c.columns.n ?? c.columns.value)
					: null
				: valueText !== ''
					? c.columns.value
					: null;
			if (clash) issues.push({ column: clash, message: KEEP_BOTH });
			else categories.push({ ...at, keep: true });
			continue;
		}
		if (valueText === '') {
			issues.push({ column: c.columns.value, message: 'waarde ontbreekt (n is wel ingevuld)' });
			continue;
		}
		let value: number | null = null;
		if (typeof c.value === 'string' && isNotApplicable(c.value))
			issues.push({ column: c.columns.value, message: 'n.v.t. is geen waarde: laat de cel leeg' });
		else {
			const v = readFigure(c.value, decimal);
			const unit = indicator.unit;
			const problem = !v.ok
				? v.message
				: v.percent && unit !== 'percent'
					? 'een %-teken hoort alleen bij een percentage'
					: unit === 'text'
						? null
						: (VALUE_RULES[unit](v.number) ?? checkValue(indicator.rules, v.number, null).refused);
			if (problem) issues.push({ column: c.columns.value, message: problem });
			else if (v.ok) value = v.number;
		}
		let n: number | undefined;
		if (nText !== '' && !(typeof c.n === 'string' && isNotApplicable(c.n))) {
			const column = c.columns.n ?? c.columns.value;
			const v = readFigure(c.n, decimal);
			if (!v.ok || v.percent) issues.push({ column, message: v.ok ? 'n is een aantal, geen percentage' : v.message });
			else if (!Number.isInteger(v.number) || v.number < 0)
				issues.push({ column, message: `n is een heel getal van 0 of meer (niet ${shorten(String(v.number))})` });
			else if (!isInt32(v.number)) issues.push({ column, message: `n is hoogstens ${dutchCount(MAX_INT)}` });
			else n = v.number;
		}
		if (value !== null) categories.push({ ...at, keep: false, value, ...(n === undefined ? {} : { n }) });
	}
	return { categories, issues };
}

export interface ResolveContext {
	unit: Unit;
	/** the dimensions the indicator is split by */
	dimensions: readonly Dimension[];
	total: { value: number | null; n: number | null };
}

/**
 * A row's categories against what is stored: a kept one takes the stored measurement's figure (refused for a
 * new measurement, or one without that category), then the one set of category rules (breakdown.ts
 * `categoryIssues`, with the stored categories so an archived value may stay) — each problem on the
 * category's column — and the reviewer's flags (`categoryFlags`). `stored` is null for a new measurement.
 */
export function resolveCategories(
	file: readonly FileCategory[],
	stored: readonly CategoryValue[] | null,
	ctx: ResolveContext
): { ok: true; categories: CategoryValue[]; flags: string[] } | { ok: false; issues: CellIssue[] } {
	if (file.length === 0) return { ok: true, categories: [], flags: [] };
	const issues: CellIssue[] = [];
	const list: CategoryValue[] = [];
	for (const c of file) {
		const key = { dimension: c.dimension, category: c.category };
		if (!c.keep) {
			list.push({ ...key, value: c.value, ...(c.n === undefined ? {} : { n: c.n }) });
			continue;
		}
		const kept = stored?.find((s) => categoryKey(s) === categoryKey(key));
		if (kept) list.push(kept);
		else issues.push({ column: c.columns.value, message: KEEP_REFUSAL });
	}
	if (issues.length) return { ok: false, issues };
	const context = { ...ctx, stored: stored ?? [] };
	for (const issue of categoryIssues(list, context)) {
		if (issue.index === null) issues.push({ column: '', message: issue.message });
		else {
			const columns = file[issue.index].columns;
			const column = issue.field === 'n' && columns.n ? columns.n : columns.value;
			issues.push({ column, message: issue.message });
		}
	}
	if (issues.length) return { ok: false, issues };
	return { ok: true, categories: list, flags: categoryFlags(list, context) };
}

/** A category's two cells in an export: its figure, KEEP_MARKER when suppressed, or null when not given. */
export type ExportCategoryCell = { value: number; n: number | null } | typeof KEEP_MARKER | null;

/**
 * A measurement's categories as an export writes them, one cell pair per header: suppressed for every role
 * (small-groups.ts, over the measurement's categories, with the programme's minimum group size) — a small
 * group and the one that would give it away by subtraction both read KEEP_MARKER, never their numbers.
 */
export function exportCategoryCells(
	list: readonly CategoryValue[],
	unit: Unit,
	minGroupSize: number,
	headers: readonly Pick<CategoryHeader, 'dimension' | 'category'>[]
): ExportCategoryCell[] {
	const shown = new Map(withSuppression(list, unit, minGroupSize).map((c) => [categoryKey(c), c]));
	return headers.map((h) => {
		const c = shown.get(categoryKey(h));
		if (!c) return null;
		return c.suppressed === null ? { value: c.value, n: c.n ?? null } : KEEP_MARKER;
	});
}
