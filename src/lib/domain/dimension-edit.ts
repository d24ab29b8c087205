import {
	categoryKey,
	dimensionSchema,
	MAX_DIMENSION_VALUES,
	type CategoryTarget,
	type Dimension,
	type DimensionValue
} from './breakdown.ts';
import { MIN_GROUP_SIZE_RANGE } from './small-groups.ts';
import { inDutch } from './zod-messages.ts';

/**
 * The plan editor's breakdown forms (issue 17): a programme's dimensions with their values, typed as
 * text a lead can read back, and the programme's minimum group size. Pure: the service checks against
 * the stored plan and the measurements.
 */

type FormValues = Record<string, string | string[] | undefined>;
type Errors = Record<string, string>;
type FormResult<T> = { ok: true; value: T } | { ok: false; errors: Errors };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
const ARCHIVED = /\s*\(gearchiveerd\)\s*$/i;
const KEY = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** A key from a name: "10–12 jaar" → "10-12-jaar", "Anders/onbekend" → "anders-onbekend". */
export const keyOf = (name: string) =>
	name
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');

/** The values field as the form shows it: one per line, `sleutel: Naam`, archived ones marked. */
export const valuesText = (values: readonly DimensionValue[]) =>
	values.map((v) => `${v.key}: ${v.name}${v.archived ? ' (gearchiveerd)' : ''}`).join('\n');

/**
 * The values field: one value per line as `sleutel: Naam` (or only the name, the key then made from it),
 * `(gearchiveerd)` at the end of a value that is no longer offered for new measurements.
 */
export function readValuesText(raw: string): { ok: true; value: DimensionValue[] } | { ok: false; message: string } {
	if (raw.length > 4000) return { ok: false, message: 'Hoogstens 4000 tekens.' };
	const lines = raw
		.split(/\r?\n/)
		.map((l) => l.trim())
		.filter(Boolean);
	if (lines.length > MAX_DIMENSION_VALUES)
		return { ok: false, message: `Een dimensie heeft hoogstens ${MAX_DIMENSION_VALUES} waarden.` };
	const values: DimensionValue[] = [];
	for (const [i, line] of lines.entries()) {
		const archived = ARCHIVED.test(line);
		const text = line.replace(ARCHIVED, '');
		const colon = text.indexOf(':');
		const name = (colon >= 0 ? text.slice(colon + 1) : text).trim();
		const key = colon >= 0 ? text.slice(0, colon).trim() : keyOf(name);
		if (!KEY.test(key))
			return {
				ok: false,
				message: `Regel ${i + 1}: de sleutel "${key}" mag alleen kleine letters, cijfers en streepjes hebben, bijv. anders-onbekend: Anders/onbekend.`
			};
		if (!name) return { ok: false, message: `Regel ${i + 1}: de naam ontbreekt; schrijf sleutel: Naam.` };
		if (name.length > 60) return { ok: false, message: `Regel ${i + 1}: een naam heeft hoogstens 60 tekens.` };
		if (values.some((v) => v.key === key))
			return { ok: false, message: `Regel ${i + 1}: de sleutel ${key} staat er al.` };
		values.push({ key, name, ...(archived ? { archived: true } : {}) });
	}
	if (values.length < 2) return { ok: false, message: 'Een dimensie heeft minstens twee waarden, elk op een regel.' };
	return { ok: true, value: values };
}

/** A dimension from its form: `key` (made from the name when left empty), `name`, `values`. */
export function readDimensionForm(values: FormValues): FormResult<Dimension> {
	const errors: Errors = {};
	const name = one(values.name);
	if (!name) errors.name = 'Vul een naam in, bijv. Geslacht.';
	else if (name.length > 60) errors.name = 'Een naam heeft hoogstens 60 tekens.';
	const key = one(values.key) || keyOf(name);
	if (!KEY.test(key)) errors.key = 'Een sleutel heeft alleen kleine letters, cijfers en streepjes, bijv. geslacht.';
	const list = readValuesText(one(values.values));
	if (!list.ok) errors.values = list.message;
	if (Object.keys(errors).length || !list.ok) return { ok: false, errors };
	const parsed = dimensionSchema.safeParse({ key, name, values: list.value }, inDutch);
	if (!parsed.success) return { ok: false, errors: { values: parsed.error.issues[0].message } };
	return { ok: true, value: parsed.data };
}

/** The programme's minimum group size from its form field: a whole number in `MIN_GROUP_SIZE_RANGE`. */
export function readMinGroupSize(values: FormValues): FormResult<number> {
	const raw = one(values.minGroupSize);
	const n = Number(raw);
	const { min, max } = MIN_GROUP_SIZE_RANGE;
	if (!raw || !Number.isInteger(n) || n < min || n > max)
		return { ok: false, errors: { minGroupSize: `Vul een heel getal in van ${min} tot en met ${max}.` } };
	return { ok: true, value: n };
}

/** A category with its words, for messages: "meisje (geslacht)". */
export interface NamedCategory {
	dimension: string;
	category: string;
	label: string;
}

/** Categories of `before` that `after` no longer has (a value or a whole dimension left out). */
export function removedCategories(before: readonly Dimension[], after: readonly Dimension[]): NamedCategory[] {
	const kept = new Set(after.flatMap((d) => d.values.map((v) => categoryKey({ dimension: d.key, category: v.key }))));
	return before.flatMap((d) =>
		d.values
			.filter((v) => !kept.has(categoryKey({ dimension: d.key, category: v.key })))
			.map((v) => ({ dimension: d.key, category: v.key, label: `${v.name} (${d.name.toLowerCase()})` }))
	);
}

/** The refusal of removing a value that measurements carry, in Dutch. */
export const usedValueMessage = (c: NamedCategory) =>
	`${c.label} staat in metingen: archiveer de waarde (zet "(gearchiveerd)" erachter) in plaats van haar te verwijderen.`;

/** The refusal of taking a dimension off an indicator whose measurements carry it, in Dutch. */
export const detachMessage = (dimension: string) =>
	`Metingen van deze indicator zijn uitgesplitst naar ${dimension}: die uitsplitsing kan er niet meer af.`;

/**
 * Category targets against the programme's dimensions and the indicator's own: each names a category of
 * a dimension the indicator is split by, once; field-keyed messages (`ct:<dimension>:<category>`).
 */
export function categoryTargetIssues(
	targets: readonly CategoryTarget[],
	own: readonly string[],
	dimensions: readonly Dimension[]
): Errors {
	const errors: Errors = {};
	for (const t of targets) {
		const field = `ct:${t.dimension}:${t.category}`;
		const d = dimensions.find((x) => x.key === t.dimension);
		if (!d || !d.values.some((v) => v.key === t.category)) errors[field] = 'Onbekende categorie.';
		else if (!own.includes(t.dimension))
			errors[field] =
				`Vink ${d.name.toLowerCase()} aan bij de uitsplitsing, of maak deze cellen leeg: de indicator wordt er niet naar uitgesplitst.`;
	}
	return errors;
}
