import { dutchDate, dutchNumber } from './dutch-format.ts';

/**
 * An indicator's validation rules (the plan's `rules`): the allowed range of a value, and the largest change
 * against the previous approved value, absolute and in the indicator's unit (percentage points for a
 * percentage). Each is optional; null = no rule.
 */
export interface ValueRules {
	min: number | null;
	max: number | null;
	maxChange: number | null;
}

export const NO_RULES: ValueRules = { min: null, max: null, maxChange: null };

/** The most recent approved value of the same indicator and region before the new one's date. */
export interface PreviousValue {
	value: number;
	date: string;
}

export interface ValueCheck {
	/** why the value is refused (outside the allowed range), or null */
	refused: string | null;
	/** why a reviewer should look twice (a change larger than allowed); accepted all the same */
	flags: string[];
}

const signed = (n: number) => (n > 0 ? `+${dutchNumber(n)}` : n < 0 ? `-${dutchNumber(-n)}` : '0');

/** Rounds away floating-point noise (40.1 − 40 = 0.10000000000000142) before a difference is compared or shown. */
const tidy = (n: number) => Number(n.toPrecision(12));

function rangeText(min: number | null, max: number | null): string {
	if (min !== null && max !== null) return `${dutchNumber(min)}–${dutchNumber(max)}`;
	return min !== null ? `vanaf ${dutchNumber(min)}` : `tot en met ${dutchNumber(max!)}`;
}

/**
 * Checks a numeric value against an indicator's rules, one definition for entry (form and API), import and
 * approval: a value outside the range is refused; a change against the previous value larger than
 * `maxChange` is accepted but flagged for the reviewer, with the reason. The bounds themselves are allowed.
 * A story (no number) and a value without a previous one have nothing to compare.
 */
export function checkValue(
	rules: ValueRules | null | undefined,
	value: number | null,
	previous: PreviousValue | null
): ValueCheck {
	if (!rules || value === null) return { refused: null, flags: [] };
	const { min, max, maxChange } = rules;
	if ((min !== null && value < min) || (max !== null && value > max))
		return {
			refused: `Waarde ${dutchNumber(value)} ligt buiten het toegestane bereik ${rangeText(min, max)}.`,
			flags: []
		};
	const flags: string[] = [];
	if (maxChange !== null && previous) {
		const change = tidy(value - previous.value);
		if (Math.abs(change) > maxChange)
			flags.push(
				`Verandering van ${signed(change)} t.o.v. vorige meting (${dutchNumber(previous.value)} op ${dutchDate(previous.date)}) is groter dan toegestaan (${dutchNumber(maxChange)}).`
			);
	}
	return { refused: null, flags };
}

/** Whether any rule is set (an indicator without rules needs no previous value looked up). */
export const hasRules = (r: ValueRules | null | undefined): r is ValueRules =>
	!!r && (r.min !== null || r.max !== null || r.maxChange !== null);

/**
 * The issues of a set of rules, for the plan file and the plan editor alike: min ≤ max, maxChange > 0.
 * Keys are the rule's field names.
 */
export function ruleIssues(r: Partial<ValueRules>): { field: keyof ValueRules; message: string }[] {
	const issues: { field: keyof ValueRules; message: string }[] = [];
	if (r.min != null && r.max != null && r.min > r.max)
		issues.push({
			field: 'max',
			message: `het maximum (${dutchNumber(r.max)}) is kleiner dan het minimum (${dutchNumber(r.min)})`
		});
	if (r.maxChange != null && !(r.maxChange > 0))
		issues.push({ field: 'maxChange', message: 'de grootste verandering is een getal groter dan 0' });
	return issues;
}

/** The review flags as the `review_flags` column stores them (JSON list; null for none). */
export const storeFlags = (flags: readonly string[]): string | null => (flags.length ? JSON.stringify(flags) : null);

/** The stored `review_flags` column as a list; [] for none (or anything that is not a list of text). */
export function parseFlags(stored: string | null): string[] {
	if (stored === null) return [];
	try {
		const list: unknown = JSON.parse(stored);
		return Array.isArray(list) ? list.filter((f): f is string => typeof f === 'string') : [];
	} catch {
		return [];
	}
}

/** An indicator's stored rule columns as its rules; null when it has none. */
export function storedRules(row: {
	rule_min: number | null;
	rule_max: number | null;
	rule_max_change: number | null;
}): ValueRules | null {
	const rules = { min: row.rule_min, max: row.rule_max, maxChange: row.rule_max_change };
	return hasRules(rules) ? rules : null;
}
