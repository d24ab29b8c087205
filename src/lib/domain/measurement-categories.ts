import {
	categoryFlags,
	categoryIssues,
	categoryKey,
	categoryName,
	categoryValueSchema,
	MAX_CATEGORIES,
	type CategoryValue,
	type Dimension
} from './breakdown.ts';
import { isNotApplicable, parseNumber, type DecimalMark } from './dutch-format.ts';
import type { Unit } from './plan.schema.ts';
import { groupSize, withSuppression, type Shown } from './small-groups.ts';
import { checkValue, type ValueRules } from './value-rules.ts';

/**
 * A measurement's values per category (issue 17) as entry reads them — one definition for the form, the API
 * and a file row: each figure read like the total (text with a decimal comma, or a number), then the shared
 * rules of breakdown.ts (`categoryValueSchema`, `categoryIssues`) and the indicator's value rules (its unit and
 * its min/max; the largest change applies to the total only). Problems are keyed `categories.<i>.value`,
 * `categories.<i>.n`, `categories.<i>` or `categories` for the list as a whole.
 */

/** A category as a form, the API or a file hands it over. */
export interface RawCategory {
	dimension: string;
	category: string;
	value: string | number | null;
	n?: string | number | null;
}

export interface CategoryCheckContext {
	unit: Unit;
	/** the dimensions the indicator is split by, in the programme's order ([] = not split) */
	dimensions: readonly Dimension[];
	rules: ValueRules | null | undefined;
	/** the measurement's total, already checked */
	total: { value: number | null; n: number | null };
	/** the categories stored on the measurement being edited (an archived value may stay) */
	stored?: readonly CategoryValue[];
	decimal: DecimalMark;
}

export type CategoryCheck =
	{ ok: true; categories: CategoryValue[]; flags: string[] } | { ok: false; errors: Record<string, string> };

/** The unit's own range for a category figure: the same as for the total. */
const UNIT_RULE: Record<Exclude<Unit, 'text'>, (v: number) => string | null> = {
	percent: (v) => (v < 0 || v > 100 ? `een percentage ligt tussen 0 en 100 (niet ${v})` : null),
	count: (v) => (!Number.isInteger(v) || v < 0 ? `een aantal is een heel getal van 0 of meer (niet ${v})` : null),
	score: () => null
};

const blank = (v: string | number | null | undefined) =>
	v === undefined || v === null || (typeof v === 'string' && (v.trim() === '' || isNotApplicable(v)));

function readFigure(raw: string | number, decimal: DecimalMark): { number: number } | { message: string } {
	if (typeof raw === 'number') return Number.isFinite(raw) ? { number: raw } : { message: 'geen getal' };
	const parsed = parseNumber(raw, decimal);
	return parsed.ok ? { number: parsed.value.number } : { message: parsed.message };
}

export function checkCategories(raw: readonly RawCategory[] | undefined, ctx: CategoryCheckContext): CategoryCheck {
	if (!raw?.length) return { ok: true, categories: [], flags: [] };
	const errors: Record<string, string> = {};
	if (ctx.unit === 'text') return { ok: false, errors: { categories: 'Een verhaal wordt niet uitgesplitst.' } };
	if (ctx.dimensions.length === 0)
		return { ok: false, errors: { categories: 'Deze indicator wordt niet uitgesplitst: laat de categorieën weg.' } };
	if (raw.length > MAX_CATEGORIES)
		return { ok: false, errors: { categories: `Hoogstens ${MAX_CATEGORIES} categorieën.` } };
	const list: CategoryValue[] = [];
	raw.forEach((c, i) => {
		const at = `categories.${i}`;
		const figure: Partial<CategoryValue> = { dimension: c.dimension, category: c.category };
		if (blank(c.value)) errors[`${at}.value`] = 'waarde ontbreekt';
		else {
			const v = readFigure(c.value!, ctx.decimal);
			const problem = 'message' in v ? v.message : UNIT_RULE[ctx.unit as Exclude<Unit, 'text'>](v.number);
			const refused = 'number' in v && !problem ? checkValue(ctx.rules, v.number, null).refused : null;
			if (problem || refused) errors[`${at}.value`] = (problem ?? refused)!;
			else if ('number' in v) figure.value = v.number;
		}
		if (!blank(c.n)) {
			const n = readFigure(c.n!, ctx.decimal);
			if ('message' in n) errors[`${at}.n`] = n.message;
			else figure.n = n.number;
		}
		const parsed = categoryValueSchema.safeParse(figure);
		if (!parsed.success)
			for (const issue of parsed.error.issues) {
				const field = issue.path[0] === 'n' ? 'n' : issue.path[0] === 'value' ? 'value' : null;
				const key = field ? `${at}.${field}` : at;
				errors[key] ??= field === 'value' ? 'waarde ontbreekt' : issue.message;
			}
		else list.push(parsed.data);
	});
	if (Object.keys(errors).length) return { ok: false, errors };
	const context = { unit: ctx.unit, dimensions: ctx.dimensions, total: ctx.total, stored: ctx.stored };
	for (const issue of categoryIssues(list, context)) {
		const key =
			issue.index === null ? 'categories' : `categories.${issue.index}${issue.field ? `.${issue.field}` : ''}`;
		errors[key] ??= issue.message;
	}
	if (Object.keys(errors).length) return { ok: false, errors };
	return { ok: true, categories: list, flags: categoryFlags(list, context) };
}

/** Whether a problem is about the categories (the API answers those alone with 422). */
export const isCategoryPath = (path: string) => path === 'categories' || path.startsWith('categories.');

/** A category as the data-entry views of one measurement show it: what was typed, marked when the group is small. */
export interface EnteredCategory extends CategoryValue {
	name: string;
	dimensionName: string;
	/** fewer respondents than the programme's minimum: not shown in overviews and downloads */
	small: boolean;
}

export const SMALL_GROUP_MARK = 'te weinig respondenten: niet zichtbaar in overzichten en downloads';

/** Whether a figure describes fewer people than the minimum (or an unknown number): the data-entry mark. */
export const isSmallGroup = (unit: Unit, figure: { value: number | null; n?: number | null }, minGroupSize: number) => {
	const size = groupSize(unit, figure);
	return size === null || size < minGroupSize;
};

export function enteredCategories(
	list: readonly CategoryValue[],
	unit: Unit,
	dimensions: readonly Dimension[],
	minGroupSize: number
): EnteredCategory[] {
	return list.map((c) => ({
		...c,
		name: categoryName(dimensions, c),
		dimensionName: dimensions.find((d) => d.key === c.dimension)?.name ?? c.dimension,
		small: isSmallGroup(unit, c, minGroupSize)
	}));
}

/** A category as the API and every other view outside data entry give it: a small group's figure removed. */
export type PublicCategory = Shown<CategoryValue & { n?: number | null }>;

export const publicCategories = (list: readonly CategoryValue[], unit: Unit, minGroupSize: number): PublicCategory[] =>
	withSuppression(list, unit, minGroupSize);

/** The categories keyed `geslacht:meisje` (what an audit entry records). */
export const categoriesByKey = (list: readonly CategoryValue[]) =>
	Object.fromEntries(list.map((c) => [categoryKey(c), c.n === undefined ? c.value : { value: c.value, n: c.n }]));
