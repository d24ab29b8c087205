import { addDays, phaseOf, type PhaseSpan } from './phase-calendar.ts';
import type { Frequency } from './plan.schema.ts';

/**
 * How long a measured value describes its region (DESIGN.md "Progress, defined once", Validity): from its
 * date until the indicator's next measurement is due — its frequency plus a grace. Past that the value is
 * verouderd: shown with its date and a mark, never counted.
 */

/** Months a value stays valid, per frequency (per phase and once have their own rule). */
export const VALID_MONTHS: Record<Exclude<Frequency, 'per_phase' | 'once'>, number> = {
	yearly: 15,
	every_2_years: 27,
	every_4_years: 51
};

/** A day no period reaches: "valid as long as there is data". */
export const FOREVER = '9999-12-31';

export interface ValidityRule {
	frequency: Frequency;
	/** the plan's own validity in months, overriding the frequency's */
	validMonths: number | null;
	/** the target's date: a value measured once stays valid until then */
	targetDate: string | null;
}

/** `date` plus `months` calendar months, on the same day or the month's last (31 Jan + 1 = 28/29 Feb). */
export function addMonths(date: string, months: number): string {
	const [y, m, d] = date.split('-').map(Number);
	const total = y * 12 + (m - 1) + months;
	const year = Math.floor(total / 12);
	const month = (total % 12) + 1;
	const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
	const pad = (n: number, w = 2) => String(n).padStart(w, '0');
	return `${pad(year, 4)}-${pad(month)}-${pad(Math.min(d, last))}`;
}

/**
 * The last day a value dated `date` is valid. Per phase: to the end of the phase after the one it falls in
 * (a value between phases: the end of the next phase to start); with no such phase yet, open-ended, since
 * no period lies beyond the last phase.
 */
export function validUntil(date: string, rule: ValidityRule, phases: readonly PhaseSpan[]): string {
	if (rule.validMonths !== null) return addMonths(date, rule.validMonths);
	switch (rule.frequency) {
		case 'per_phase': {
			const sorted = [...phases].sort((a, b) => a.start.localeCompare(b.start));
			const own = phaseOf(date, sorted);
			const next = own ? sorted[sorted.indexOf(own) + 1] : sorted.find((p) => p.start > date);
			return next?.end ?? FOREVER;
		}
		case 'once':
			return rule.targetDate !== null && rule.targetDate >= date ? rule.targetDate : FOREVER;
		default:
			return addMonths(date, VALID_MONTHS[rule.frequency]);
	}
}

/** Is a value dated `date` still valid on `at` (the end of the period it is used for)? */
export const isValidAt = (date: string, at: string, rule: ValidityRule, phases: readonly PhaseSpan[]): boolean =>
	date <= at && validUntil(date, rule, phases) >= at;

/** The last day a value is valid, for a file's "verouderd na" column; null when it stays valid as long as there is data. */
export function staleAfter(date: string, rule: ValidityRule, phases: readonly PhaseSpan[]): string | null {
	const until = validUntil(date, rule, phases);
	return until === FOREVER ? null : until;
}

/**
 * The earliest date a value can have and still be valid on `at` (the reverse of validUntil), so a history
 * read from `at` on can leave older values out; null when any older value may still be valid (once, or a
 * per-phase value before the first phase).
 */
export function validFrom(at: string, rule: ValidityRule, phases: readonly PhaseSpan[]): string | null {
	// a few days' margin for addMonths' month-end rounding
	if (rule.validMonths !== null) return addDays(addMonths(at, -rule.validMonths), -3);
	switch (rule.frequency) {
		case 'per_phase': {
			// valid on `at` only up to the end of the next phase: from the phase before the first ending on or after `at`
			const sorted = [...phases].sort((a, b) => a.start.localeCompare(b.start));
			const first = sorted.findIndex((p) => p.end >= at);
			return first > 0 ? sorted[first - 1].start : null;
		}
		case 'once':
			return null;
		default:
			return addDays(addMonths(at, -VALID_MONTHS[rule.frequency]), -3);
	}
}
