import {
	dateFromCell,
	dutchCount,
	isNotApplicable,
	parseDate,
	parseNumber,
	shorten,
	type DecimalMark,
	type Parsed
} from './dutch-format.ts';
import type { Unit } from './plan.schema.ts';
import { can, type Actor } from './permissions.ts';
import { isInt32, MAX_INT } from './input-rules.ts';
import { checkValue, type ValueRules } from './value-rules.ts';
import { categoryKey, type CategoryValue, type Dimension } from './breakdown.ts';
import { checkCategories, type RawCategory } from './measurement-categories.ts';

/** A measurement as pages and the API show it. */
export interface MeasurementView {
	id: number;
	indicator: string;
	region: string;
	date: string;
	value: number | null;
	text: string | null;
	n: number | null;
	source: string | null;
	note: string | null;
	status: MeasurementStatus;
	demo: boolean;
	/** computed from the action log (a derived indicator), never typed in */
	derived?: true;
	/** made by closing this poll (issue 18), not typed in; absent for typed, imported and derived values */
	poll?: MeasurementPoll;
}

/** The poll a measurement came from: its pages say "uit peiling <naam>" and link to it. */
export interface MeasurementPoll {
	id: number;
	name: string;
}

/** The poll of a stored row (`poll_id`, `poll_name`), as the view's optional field. */
export const pollOf = (r: { poll_id: number | null; poll_name: string | null }): { poll?: MeasurementPoll } =>
	r.poll_id === null ? {} : { poll: { id: r.poll_id, name: r.poll_name ?? '' } };

export const MEASUREMENT_STATUSES = ['submitted', 'approved', 'returned'] as const;
export type MeasurementStatus = (typeof MEASUREMENT_STATUSES)[number];

export const STATUS_LABEL: Record<MeasurementStatus, string> = {
	submitted: 'ingediend',
	approved: 'goedgekeurd',
	returned: 'teruggestuurd'
};

/** Only approved measurements count in progress, charts and funder views. */
export const counts = (m: Pick<MeasurementView, 'status'>) => m.status === 'approved';

/** The most recent counting numeric value, or null. */
export function latestValue(
	measurements: readonly Pick<MeasurementView, 'date' | 'value' | 'status'>[]
): number | null {
	let best: { date: string; value: number } | null = null;
	for (const m of measurements)
		if (counts(m) && m.value !== null && (best === null || m.date > best.date)) best = { date: m.date, value: m.value };
	return best?.value ?? null;
}

/** A measurement with what editing and reviewing need: its version (optimistic locking) and the review. */
export interface MeasurementRecord extends MeasurementView {
	indicatorName: string;
	unit: Unit;
	regionName: string;
	version: number;
	reviewComment: string | null;
	/** why a reviewer should look twice (value-rules.ts: a change larger than the plan allows); [] for none */
	reviewFlags: string[];
	/** the values per category as entered (breakdown.ts), unsuppressed: for data entry and review only */
	categories: CategoryValue[];
	createdBy: number | null;
	createdByName: string | null;
	updatedAt: string;
}

export const MEASUREMENT_FIELDS = ['indicator', 'region', 'date', 'value', 'n', 'source', 'note'] as const;
export type MeasurementField = (typeof MEASUREMENT_FIELDS)[number];
/**
 * Problems per field; `text` only when a story was given apart from the value (the API's `text`); a
 * category's as `categories.<i>.value` (measurement-categories.ts).
 */
export type FieldErrors = Partial<Record<MeasurementField | 'text', string>> & {
	[category: `categories${string}`]: string;
};

/** What a rule needs to know of an indicator and a region. */
export interface IndicatorRef {
	id: number;
	code: string;
	unit: Unit;
	derived: boolean;
	/** the plan's validation rules (value-rules.ts); absent or null = none */
	rules?: ValueRules | null;
	/** the dimensions the indicator is split by (breakdown.ts); absent or [] = none */
	dimensions?: readonly Dimension[];
}
export interface RegionRef {
	id: number;
	slug: string;
}

/** A field as a form, the API or a file hands it over: text, a number, or a spreadsheet's typed cell. */
export type RawValue = string | number | Date | null;

/**
 * A measurement as typed in a form, posted to the API or read from a file row. `text` is a story given in
 * its own field (the API); forms and files put a story in `value`.
 */
export type RawEntry = Partial<Record<MeasurementField | 'text', RawValue>> & {
	/** values per category (measurement-categories.ts); absent or [] = the total only */
	categories?: readonly RawCategory[];
};

/** A measurement that passed every rule. */
export interface CheckedEntry {
	indicator: IndicatorRef;
	region: RegionRef;
	date: string;
	value: number | null;
	text: string | null;
	n: number | null;
	source: string | null;
	note: string | null;
	/** the values per category, checked; [] = the total only */
	categories: CategoryValue[];
	/** what the reviewer should look at in the categories (breakdown.ts `categoryFlags`) */
	categoryFlags: string[];
}

export interface EntryContext {
	indicator(code: string): IndicatorRef | undefined;
	region(slugOrName: string): RegionRef | undefined;
	/** ISO date of today: a measurement is never dated later */
	today: string;
	/** how to read a number typed as text */
	decimal: DecimalMark;
}

export const DERIVED_REFUSAL =
	'deze indicator wordt afgeleid uit het actielog: metingen worden niet ingevoerd of geïmporteerd';
export const NOT_A_STORY = 'bij deze indicator hoort een verhaal of citaat, geen getal';
export const NOT_A_NUMBER = 'bij deze indicator hoort een getal, geen tekst';
export const LIMITS = { source: 500, note: 2000, text: 5000 } as const;

/** Only digits, separators, a sign or a % sign: a value, not a story. */
const BARE_NUMBER = /^[-+\u2212]?[\d.,\s\u00a0]*\d[\d.,\s\u00a0]*%?$/;

/** The rules for a measurement value of each unit, on a number already read. */
export const VALUE_RULES: Record<Exclude<Unit, 'text'>, (v: number) => string | null> = {
	percent: (v) => (v < 0 || v > 100 ? `een percentage ligt tussen 0 en 100 (niet ${v})` : null),
	count: (v) => (!Number.isInteger(v) || v < 0 ? `een aantal is een heel getal van 0 of meer (niet ${v})` : null),
	score: () => null
};

function readNumber(raw: string | number | Date, decimal: DecimalMark): Parsed<{ number: number; percent: boolean }> {
	if (raw instanceof Date) return { ok: false, message: 'een datum is geen getal' };
	return typeof raw === 'number'
		? Number.isFinite(raw)
			? { ok: true, value: { number: raw, percent: false } }
			: { ok: false, message: 'geen getal' }
		: parseNumber(raw, decimal);
}

function readDate(raw: string | Date | number): Parsed<string> {
	return typeof raw === 'string' ? parseDate(raw) : dateFromCell(raw);
}

/** The value, or null when it is missing or blank text. */
const given = (v: RawValue | undefined): string | number | Date | null =>
	v === undefined || v === null || (typeof v === 'string' && v.trim() === '') ? null : v;

/**
 * Every rule of a measurement in one place, for the form, the API and each row of an import:
 * a known, non-derived indicator; a region of this programme; a date not after today; a value fitting
 * the unit (percent 0–100, count a whole number ≥ 0) or, for a `text` indicator, a story (never a bare
 * number, and a numeric indicator never a story given as text) and within the plan's allowed range
 * (value-rules.ts); n a whole number ≥ 1 when given, within an integer column.
 */
export function checkEntry(
	raw: RawEntry,
	ctx: EntryContext,
	storedCategories: readonly CategoryValue[] = []
): { ok: true; entry: CheckedEntry } | { ok: false; errors: FieldErrors } {
	const errors: FieldErrors = {};
	const str = (v: RawValue | undefined) => {
		const g = given(v);
		return g === null ? null : String(g).trim();
	};

	const code = str(raw.indicator);
	const indicator = code === null ? undefined : ctx.indicator(code);
	if (code === null) errors.indicator = 'kies een indicator';
	else if (!indicator) errors.indicator = `onbekende indicator ${shorten(code)} in dit programma`;
	else if (indicator.derived) errors.indicator = DERIVED_REFUSAL;

	const regionKey = str(raw.region);
	const region = regionKey === null ? undefined : ctx.region(regionKey);
	if (regionKey === null) errors.region = 'kies een regio';
	else if (!region) errors.region = `onbekende regio ${shorten(regionKey)} in dit programma`;

	let date: string | null = null;
	const rawDate = given(raw.date);
	if (rawDate === null) errors.date = 'datum ontbreekt';
	else {
		const d = readDate(rawDate);
		if (!d.ok) errors.date = d.message;
		else if (d.value > ctx.today) errors.date = `datum ${d.value} ligt na vandaag`;
		else date = d.value;
	}

	let value: number | null = null;
	let text: string | null = null;
	const unit = indicator?.unit;
	const rawValue = given(raw.value);
	if (unit === 'text') {
		const field = given(raw.text) === null ? 'value' : 'text';
		const story = raw[field];
		if (typeof story === 'number' || (typeof story === 'string' && BARE_NUMBER.test(story.trim())))
			errors[field] = NOT_A_STORY;
		else {
			text = str(story);
			if (text === null) errors.value = 'schrijf het verhaal of citaat';
			else if (text.length > LIMITS.text) errors[field] = `hoogstens ${LIMITS.text} tekens`;
		}
	} else if (given(raw.text) !== null) {
		if (indicator) errors.text = NOT_A_NUMBER;
	} else if (rawValue === null) errors.value = 'waarde ontbreekt';
	else if (typeof rawValue === 'string' && isNotApplicable(rawValue))
		errors.value = 'n.v.t. is geen waarde: laat de rij weg als er niets gemeten is';
	else {
		const v = readNumber(rawValue, ctx.decimal);
		const problem = !v.ok
			? v.message
			: unit && v.value.percent && unit !== 'percent'
				? 'een %-teken hoort alleen bij een percentage'
				: unit
					? VALUE_RULES[unit](v.value.number)
					: null;
		// the plan's allowed range; a too-large change is the caller's flag (it needs the previous value)
		const refused = v.ok && !problem ? checkValue(indicator?.rules, v.value.number, null).refused : null;
		if (problem || refused) errors.value = (problem ?? refused)!;
		else if (v.ok) value = v.value.number;
	}

	let n: number | null = null;
	const rawN = given(raw.n);
	if (rawN !== null && !(typeof rawN === 'string' && isNotApplicable(rawN))) {
		const v = readNumber(rawN, ctx.decimal);
		if (!v.ok || v.value.percent) errors.n = v.ok ? 'n is een aantal, geen percentage' : v.message;
		else if (!Number.isInteger(v.value.number) || v.value.number < 1)
			errors.n = `n is een heel getal van 1 of meer (niet ${v.value.number})`;
		else if (!isInt32(v.value.number)) errors.n = `n is hoogstens ${dutchCount(MAX_INT)} (niet ${v.value.number})`;
		else n = v.value.number;
	}

	const source = str(raw.source);
	if (source && source.length > LIMITS.source) errors.source = `hoogstens ${LIMITS.source} tekens`;
	const note = str(raw.note);
	if (note && note.length > LIMITS.note) errors.note = `hoogstens ${LIMITS.note} tekens`;

	// the categories are checked against the total, so only once the total itself is right
	let categories: CategoryValue[] = [];
	let categoryFlags: string[] = [];
	if (raw.categories?.length && indicator && errors.value === undefined && errors.n === undefined) {
		const checked = checkCategories(raw.categories, {
			unit: indicator.unit,
			dimensions: indicator.dimensions ?? [],
			rules: indicator.rules,
			total: { value, n },
			stored: storedCategories,
			decimal: ctx.decimal
		});
		if (!checked.ok) Object.assign(errors, checked.errors);
		else ({ categories, flags: categoryFlags } = checked);
	}

	if (Object.keys(errors).length || !indicator || !region || date === null) return { ok: false, errors };
	return {
		ok: true,
		entry: { indicator, region, date, value, text, n, source, note, categories, categoryFlags }
	};
}

/** The key that makes (indicator, region, date) one measurement. */
export const measurementKey = (indicatorId: number, regionId: number, date: string) =>
	`${indicatorId}|${regionId}|${date}`;

/** What makes two measurements of the same key say the same; categories absent = none. */
type Content = Pick<CheckedEntry, 'value' | 'text' | 'n' | 'source' | 'note'> & {
	categories?: readonly CategoryValue[];
};

/** Whether two lists of categories hold the same figures, whatever their order. */
export function sameCategories(a: readonly CategoryValue[], b: readonly CategoryValue[]): boolean {
	if (a.length !== b.length) return false;
	const byKey = new Map(a.map((c) => [categoryKey(c), c]));
	return b.every((c) => {
		const o = byKey.get(categoryKey(c));
		return o !== undefined && o.value === c.value && (o.n ?? null) === (c.n ?? null);
	});
}

/** Whether a stored measurement already says exactly this, its categories included (an import then leaves it alone). */
export const sameContent = (a: Content, b: Content) =>
	a.value === b.value &&
	a.text === b.text &&
	a.n === b.n &&
	a.source === b.source &&
	a.note === b.note &&
	sameCategories(a.categories ?? [], b.categories ?? []);

/**
 * Who may change a stored measurement: an approver always; whoever entered it while it is not yet
 * approved (a returned measurement goes back to the queue when edited).
 */
export function canEditMeasurement(
	actor: Actor | null,
	programmeId: number,
	m: { createdBy: number | null; status: MeasurementStatus }
): boolean {
	if (can(actor, 'measurement:approve', programmeId)) return true;
	return (
		can(actor, 'measurement:submit', programmeId) &&
		m.status !== 'approved' &&
		m.createdBy !== null &&
		actor!.userId === m.createdBy
	);
}
