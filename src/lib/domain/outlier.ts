import type { Unit } from './plan.schema.ts';
import { formatValue } from './kompas.ts';

/**
 * Whether a submitted value looks odd against the history a reviewer compares it with, and why, in Dutch.
 * A flag asks for a second look; it never refuses anything. Pure: the review service gathers the history.
 */

/** The approved values before this one, oldest first. */
export interface History {
	date: string;
	value: number;
}

/**
 * The reasons to look twice at `value` (empty: nothing odd):
 * - a percentage outside 0–100;
 * - a value outside the range of the previous values by more than the largest step between two of them
 *   (needs at least two previous values, and some movement between them: without it there is no yardstick).
 */
export function outlierReasons(value: number | null, unit: Unit, previous: readonly History[]): string[] {
	if (value === null || unit === 'text') return [];
	const reasons: string[] = [];
	if (unit === 'percent' && (value < 0 || value > 100))
		reasons.push(`${formatValue(value, unit)} ligt buiten 0–100%, terwijl dit een percentage is.`);
	const values = [...previous].sort((a, b) => a.date.localeCompare(b.date)).map((h) => h.value);
	if (values.length < 2) return reasons;
	let step = 0;
	for (let i = 1; i < values.length; i++) step = Math.max(step, Math.abs(values[i] - values[i - 1]));
	if (step === 0) return reasons;
	const [low, high] = [Math.min(...values), Math.max(...values)];
	const f = (v: number) => formatValue(v, unit);
	if (value > high + step || value < low - step)
		reasons.push(
			`${f(value)} ligt meer dan de grootste eerdere sprong (${f(step)}) ${value > high ? 'boven' : 'onder'} de eerdere waarden (${f(low)} tot ${f(high)}).`
		);
	return reasons;
}
