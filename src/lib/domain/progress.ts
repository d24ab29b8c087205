import type { Direction } from './plan.schema.ts';

/**
 * Progress, defined once (DESIGN.md "Progress, defined once"). Everything on screen that says
 * "voortgang" comes from these functions.
 */
export interface ProgressInput {
	direction: Direction;
	baseline: number | null;
	target: number | null;
	/** most recent approved (or derived) value in the chosen region and period */
	latest: number | null;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** (latest − baseline) / (target − baseline), clamped to [0, 1]; null when it cannot be computed. */
export function indicatorProgress({ direction, baseline, target, latest }: ProgressInput): number | null {
	if (direction === 'none' || baseline === null || target === null || latest === null) return null;
	if (target === baseline) {
		const reached = direction === 'higher_is_better' ? latest >= target : latest <= target;
		return reached ? 1 : 0;
	}
	// A target on the wrong side of the baseline for its direction is a planning error, not progress.
	const wantsUp = direction === 'higher_is_better';
	if (wantsUp !== target > baseline) return null;
	return clamp01((latest - baseline) / (target - baseline));
}

/** Mean of the non-null progress values; null when none has any. */
export function meanProgress(values: readonly (number | null)[]): number | null {
	const known = values.filter((v): v is number => v !== null);
	return known.length === 0 ? null : known.reduce((a, b) => a + b, 0) / known.length;
}

/** Progress as shown: a whole percentage, or "geen data" — never 0 for unknown. */
export function formatProgress(progress: number | null): string {
	return progress === null ? 'geen data' : `${Math.round(progress * 100)}%`;
}

/**
 * A target on the wrong side of the baseline for the indicator's direction: a planning error, said in
 * words (plan editor, plan:load, indicator page) instead of a silent "geen data".
 */
export function planningWarning({
	direction,
	baseline,
	target
}: Pick<ProgressInput, 'direction' | 'baseline' | 'target'>): string | null {
	if (direction === 'none' || baseline === null || target === null || target === baseline) return null;
	const wantsUp = direction === 'higher_is_better';
	if (wantsUp === target > baseline) return null;
	const nl = (x: number) => x.toLocaleString('nl-NL');
	return wantsUp
		? `De streefwaarde (${nl(target)}) ligt onder de nulmeting (${nl(baseline)}), terwijl hoger beter is: zo is geen voortgang te berekenen.`
		: `De streefwaarde (${nl(target)}) ligt boven de nulmeting (${nl(baseline)}), terwijl lager beter is: zo is geen voortgang te berekenen.`;
}
