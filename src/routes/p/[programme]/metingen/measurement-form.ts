import type { RawEntry } from '$lib/domain/measurement';
import type { RawCategory } from '$lib/domain/measurement-categories';
import type { Refusal } from '$lib/domain/result';
import { failWith } from '$lib/server/form-result';

/** The posted fields as strings. */
export function formFields(data: FormData): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of data) if (typeof v === 'string') out[k] = v;
	return out;
}

/** A category's form field: `cat.geslacht.meisje.value`, `cat.geslacht.meisje.n` (keys hold no dots). */
export const categoryField = (dimension: string, category: string, part: 'value' | 'n') =>
	`cat.${dimension}.${category}.${part}`;
const CATEGORY_FIELD = /^cat\.([a-z0-9-]+)\.([a-z0-9-]+)\.(value|n)$/;

/** The categories typed in, in the form's order; a category whose value and n are both empty is not given. */
export function categoriesFrom(values: Record<string, string>): RawCategory[] {
	const byKey = new Map<string, RawCategory>();
	for (const [field, text] of Object.entries(values)) {
		const m = CATEGORY_FIELD.exec(field);
		if (!m) continue;
		const key = `${m[1]}:${m[2]}`;
		const c = byKey.get(key) ?? { dimension: m[1], category: m[2], value: null };
		if (m[3] === 'value') c.value = text;
		else c.n = text;
		byKey.set(key, c);
	}
	const blank = (v: string | number | null | undefined) => v === undefined || v === null || String(v).trim() === '';
	return [...byKey.values()].filter((c) => !blank(c.value) || !blank(c.n));
}

/** A form as the measurement rules read it: a story goes in the value slot for a text indicator. */
export function entryFrom(values: Record<string, string>, isText: boolean): RawEntry {
	return {
		indicator: values.indicator,
		region: values.region,
		date: values.date,
		value: isText ? values.story : values.value,
		n: values.n,
		source: values.source,
		note: values.note,
		categories: categoriesFrom(values)
	};
}

/**
 * A refused service call → the form back, filled in, with each message beside its field; a category's
 * (`categories.2.n`) beside that category's field, the breakdown's as a whole above its fieldsets.
 */
export function refused(refusal: Refusal, values: Record<string, string>, isText: boolean) {
	const categories = categoriesFrom(values);
	return failWith(refusal, { values }, (path) => {
		if (path === 'value' && isText) return 'story';
		const m = /^categories\.(\d+)(?:\.(value|n))?$/.exec(path);
		const c = m ? categories[Number(m[1])] : undefined;
		return c ? categoryField(c.dimension, c.category, (m![2] as 'value' | 'n' | undefined) ?? 'value') : path;
	});
}
