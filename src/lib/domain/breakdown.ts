import { z } from 'zod';
import { dutchNumber } from './dutch-format.ts';
import type { Unit } from './plan.schema.ts';
import { categoryKey } from './category-view.ts';

// zod-free, so that browser code (the dashboard through programme-progress.ts) can use them without zod
export { categoryKey, throughCategory } from './category-view.ts';

/**
 * Breakdowns (disaggregation, issue 17): a programme defines dimensions, each with its values (the
 * categories), e.g. `geslacht: meisje, jongen, anders-onbekend`; an indicator is split by any of them; a
 * measurement carries its total and, optionally, a value per category (with n per category for a
 * percentage or score). One definition of the shapes and the consistency rules, used by the plan file, the
 * plan editor, entry (form and API), import and review.
 */

/** The most dimensions a programme defines, and the most values one dimension has. */
export const MAX_DIMENSIONS = 8;
export const MAX_DIMENSION_VALUES = 12;

const key = z
	.string()
	.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'sleutel: kleine letters, cijfers en streepjes, bijv. anders-onbekend');
const label = z.string().trim().min(1, 'de naam mag niet leeg zijn').max(60, 'een naam heeft hoogstens 60 tekens');

export const dimensionValueSchema = z.strictObject({
	key,
	name: label,
	/** kept for the measurements that carry it, no longer offered for new ones */
	archived: z.boolean().optional()
});

export const dimensionSchema = z
	.strictObject({
		key,
		name: label,
		values: z
			.array(dimensionValueSchema)
			.min(2, 'een dimensie heeft minstens twee waarden')
			.max(MAX_DIMENSION_VALUES, `een dimensie heeft hoogstens ${MAX_DIMENSION_VALUES} waarden`)
	})
	.superRefine((d, ctx) => {
		const seen = new Set<string>();
		d.values.forEach((v, i) => {
			if (seen.has(v.key))
				ctx.addIssue({ code: 'custom', path: ['values', i, 'key'], message: `de waarde ${v.key} komt dubbel voor` });
			seen.add(v.key);
		});
	});
export type Dimension = z.infer<typeof dimensionSchema>;
export type DimensionValue = z.infer<typeof dimensionValueSchema>;

export const dimensionsSchema = z
	.array(dimensionSchema)
	.max(MAX_DIMENSIONS, `hoogstens ${MAX_DIMENSIONS} dimensies`)
	.superRefine((list, ctx) => {
		const seen = new Set<string>();
		list.forEach((d, i) => {
			if (seen.has(d.key))
				ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `de dimensie ${d.key} komt dubbel voor` });
			seen.add(d.key);
		});
	});

/** One category's figure in a measurement: its value and, for a percentage or score, the group it describes. */
export const categoryValueSchema = z.strictObject({
	dimension: key,
	category: key,
	value: z.number().finite(),
	n: z
		.number()
		.int('n is een geheel getal')
		.min(0, 'n is 0 of meer')
		.max(2 ** 31 - 1)
		.optional()
});
export type CategoryValue = z.infer<typeof categoryValueSchema>;

/** The most categories one measurement carries (every value of every dimension it may be split by). */
export const MAX_CATEGORIES = MAX_DIMENSIONS * MAX_DIMENSION_VALUES;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'verwacht een datum als JJJJ-MM-DD');

/** Baseline and target of one category (Akvo's disaggregation targets); absent = none of its own. */
export const categoryTargetSchema = z.strictObject({
	dimension: key,
	category: key,
	baseline: z
		.strictObject({ value: z.number(), date: isoDate, source: z.string().min(1), demo: z.boolean().optional() })
		.optional(),
	target: z.strictObject({ value: z.number(), date: isoDate, demo: z.boolean().optional() }).optional()
});
export type CategoryTarget = z.infer<typeof categoryTargetSchema>;

const jsonOf =
	<T>(schema: z.ZodType<T>) =>
	(stored: string | null): T | null =>
		stored === null ? null : schema.parse(JSON.parse(stored));

/** Stored columns (JSON text) as their values; checked, since the database holds any text. */
export const parseDimensions = (stored: string | null): Dimension[] => jsonOf(dimensionsSchema)(stored) ?? [];
export const parseIndicatorDimensions = (stored: string | null): string[] => jsonOf(z.array(key))(stored) ?? [];
export const parseCategories = (stored: string | null): CategoryValue[] =>
	jsonOf(z.array(categoryValueSchema))(stored) ?? [];
export const parseCategoryTargets = (stored: string | null): CategoryTarget[] =>
	jsonOf(z.array(categoryTargetSchema))(stored) ?? [];

/** A list as its column stores it: null for none, so "no breakdown" is one value in the database. */
const store = (list: readonly unknown[] | undefined): string | null => (list?.length ? JSON.stringify(list) : null);
export const storeDimensions = (list: readonly Dimension[] | undefined) =>
	store(
		list?.map((d) => ({
			...d,
			values: d.values.map((v) => ({ key: v.key, name: v.name, ...(v.archived ? { archived: true } : {}) }))
		}))
	);
export const storeIndicatorDimensions = (keys: readonly string[] | undefined) => store(keys);
export const storeCategoryTargets = (list: readonly CategoryTarget[] | undefined) => store(list);

/**
 * Categories as the column stores them: in the order of the indicator's dimensions and each dimension's
 * values (so the same figures always store as the same text), n only when given.
 */
export function storeCategories(list: readonly CategoryValue[] | undefined, dimensions: readonly Dimension[]) {
	if (!list?.length) return null;
	const rank = new Map<string, number>();
	dimensions.forEach((d, i) => d.values.forEach((v, j) => rank.set(`${d.key}:${v.key}`, i * 100 + j)));
	const order = (c: CategoryValue) => rank.get(categoryKey(c)) ?? Number.MAX_SAFE_INTEGER;
	return JSON.stringify(
		[...list]
			.sort((a, b) => order(a) - order(b) || categoryKey(a).localeCompare(categoryKey(b)))
			.map((c) => ({
				dimension: c.dimension,
				category: c.category,
				value: c.value,
				...(c.n === undefined ? {} : { n: c.n })
			}))
	);
}

/** The dimensions an indicator is split by, in the programme's order; unknown keys are left out. */
export const dimensionsOf = (programme: readonly Dimension[], keys: readonly string[]): Dimension[] =>
	programme.filter((d) => keys.includes(d.key));

/** The Dutch name of a category: "Meisje", or its key when the plan no longer names it. */
export function categoryName(dimensions: readonly Dimension[], c: { dimension: string; category: string }): string {
	const d = dimensions.find((x) => x.key === c.dimension);
	return d?.values.find((v) => v.key === c.category)?.name ?? c.category;
}

/** Units whose category figure describes a group of respondents and so needs its n. */
export const needsN = (unit: Unit) => unit === 'percent' || unit === 'score';

export interface CategoryIssue {
	/** the category's place in the list, or null for the list as a whole */
	index: number | null;
	/** the category's field the issue is about (for a form or API path: `categories.2.n`); absent = the category */
	field?: 'value' | 'n';
	message: string;
}

export interface CategoryContext {
	unit: Unit;
	/** the dimensions the indicator is split by */
	dimensions: readonly Dimension[];
	/** the measurement's total */
	total: { value: number | null; n: number | null };
	/** categories already stored on this measurement: an archived value may stay on it */
	stored?: readonly CategoryValue[];
}

/** Values shown in a message: "12" or "41,5 %". */
const shown = (unit: Unit, n: number) => (unit === 'percent' ? `${dutchNumber(n)} %` : dutchNumber(n));

/** The categories of one dimension when every current value of it is given, else null. */
function complete(d: Dimension, list: readonly CategoryValue[]): CategoryValue[] | null {
	const given = list.filter((c) => c.dimension === d.key);
	const current = d.values.filter((v) => !v.archived);
	return current.every((v) => given.some((c) => c.category === v.key)) ? given : null;
}

/**
 * Why categories are refused, in Dutch: a dimension the indicator is not split by, an unknown or archived
 * value, a category given twice, a story split into categories, a missing n where the figure describes
 * respondents, an n above the total's, and counts that do not add up to the total when every value is given.
 */
export function categoryIssues(list: readonly CategoryValue[], ctx: CategoryContext): CategoryIssue[] {
	if (list.length === 0) return [];
	if (ctx.unit === 'text') return [{ index: null, message: 'Een verhaal wordt niet uitgesplitst.' }];
	if (list.length > MAX_CATEGORIES) return [{ index: null, message: `Hoogstens ${MAX_CATEGORIES} categorieën.` }];
	if (ctx.total.value === null)
		return [{ index: null, message: 'Categorieën horen bij een totaal: vul ook de waarde in.' }];
	const issues: CategoryIssue[] = [];
	const seen = new Set<string>();
	const storedKeys = new Set((ctx.stored ?? []).map(categoryKey));
	list.forEach((c, index) => {
		const d = ctx.dimensions.find((x) => x.key === c.dimension);
		const v = d?.values.find((x) => x.key === c.category);
		const k = categoryKey(c);
		if (!d) issues.push({ index, message: `Deze indicator wordt niet uitgesplitst naar ${c.dimension}.` });
		else if (!v) issues.push({ index, message: `${c.category} is geen waarde van ${d.name.toLowerCase()}.` });
		else if (v.archived && !storedKeys.has(k))
			issues.push({ index, message: `${v.name} (${d.name.toLowerCase()}) is gearchiveerd.` });
		else if (seen.has(k)) issues.push({ index, message: `${v.name} (${d.name.toLowerCase()}) staat er twee keer.` });
		else if (needsN(ctx.unit) && c.n === undefined)
			issues.push({ index, field: 'n', message: `Vul n in voor ${v.name.toLowerCase()}: het aantal respondenten.` });
		else if (c.n !== undefined && ctx.total.n !== null && c.n > ctx.total.n)
			issues.push({
				index,
				field: 'n',
				message: `n van ${v.name.toLowerCase()} (${c.n}) is groter dan n van het totaal (${ctx.total.n}).`
			});
		seen.add(k);
	});
	if (issues.length || ctx.unit !== 'count') return issues;
	for (const d of ctx.dimensions) {
		const given = complete(d, list);
		if (!given) continue;
		const sum = given.reduce((s, c) => s + c.value, 0);
		if (Math.abs(sum - ctx.total.value) > 1e-9)
			issues.push({
				index: null,
				message: `De aantallen per ${d.name.toLowerCase()} tellen op tot ${dutchNumber(sum)}, het totaal is ${dutchNumber(ctx.total.value)}.`
			});
	}
	return issues;
}

/** How far an n-weighted mean of rounded category figures may be from the total before a reviewer is told. */
const TOLERANCE: Partial<Record<Unit, number>> = { percent: 1, score: 0.1 };

/**
 * What a reviewer should look at, in Dutch (accepted all the same): for a percentage or score with every
 * value of a dimension given, an n-weighted mean that differs from the total by more than rounding, or
 * categories whose n do not add up to the total's.
 */
export function categoryFlags(list: readonly CategoryValue[], ctx: CategoryContext): string[] {
	const tolerance = TOLERANCE[ctx.unit];
	if (tolerance === undefined || ctx.total.value === null) return [];
	const flags: string[] = [];
	for (const d of ctx.dimensions) {
		const given = complete(d, list);
		if (!given || given.some((c) => c.n === undefined)) continue;
		const n = given.reduce((s, c) => s + c.n!, 0);
		if (n === 0) continue;
		const mean = given.reduce((s, c) => s + c.value * c.n!, 0) / n;
		const gap = Math.abs(mean - ctx.total.value);
		if (gap > tolerance)
			flags.push(
				`Het gewogen gemiddelde per ${d.name.toLowerCase()} is ${shown(ctx.unit, Number(mean.toFixed(1)))}, het totaal ${shown(ctx.unit, ctx.total.value)} (verschil ${dutchNumber(Number(gap.toFixed(1)))}).`
			);
		if (ctx.total.n !== null && n !== ctx.total.n)
			flags.push(`De n per ${d.name.toLowerCase()} tellen op tot ${n}, n van het totaal is ${ctx.total.n}.`);
	}
	return flags;
}
