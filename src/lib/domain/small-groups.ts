import type { Unit } from './plan.schema.ts';

/**
 * Small-group suppression, a privacy safeguard for a youth domain (issue 17, README "Privacy"): no figure of
 * a category describing fewer people than the programme's minimum group size is shown or exported
 * (primary suppression), and no other shown figure lets it be derived by subtraction from the total
 * (secondary suppression). One definition, used by every page, the API and every download.
 *
 * The size of a category's group is its n; a count without n counts people itself, so its value is its
 * size. A percentage or score without n has an unknown group and is never shown.
 */

export const DEFAULT_MIN_GROUP_SIZE = 10;
/** The range a programme's setting may take: below 5 protects nobody, above 100 hides nearly everything. */
export const MIN_GROUP_SIZE_RANGE = { min: 5, max: 100 } as const;

/** Why a figure is not shown: `small` — too few people; `derivable` — would reveal a small one by subtraction. */
export type Suppression = 'small' | 'derivable';

export const SUPPRESSION_TEXT: Record<Suppression, string> = {
	small: 'te weinig respondenten',
	derivable: 'verborgen: zou een kleine groep verraden'
};

export interface GroupFigure {
	dimension: string;
	value: number | null;
	n?: number | null;
}

/** The number of people a category's figure describes, or null when unknown. */
export function groupSize(unit: Unit, figure: { value: number | null; n?: number | null }): number | null {
	if (figure.n !== undefined && figure.n !== null) return figure.n;
	return unit === 'count' && figure.value !== null ? Math.abs(figure.value) : null;
}

/**
 * Which figures of one breakdown (the categories of one total, over any number of dimensions) are
 * suppressed, in the list's order (null = shown). Primary: a group smaller than `minGroupSize`, or of
 * unknown size. Secondary, per dimension: when exactly one of its categories is suppressed while another
 * is shown, the total and the shown ones would give it away, so the smallest shown one is hidden too.
 */
export function suppressed<T extends GroupFigure>(
	figures: readonly T[],
	unit: Unit,
	minGroupSize: number
): (Suppression | null)[] {
	const result: (Suppression | null)[] = figures.map((f) => {
		const size = groupSize(unit, f);
		return size === null || size < minGroupSize ? 'small' : null;
	});
	const dimensions = new Set(figures.map((f) => f.dimension));
	for (const dimension of dimensions) {
		const members = figures.map((f, i) => ({ f, i })).filter(({ f }) => f.dimension === dimension);
		const hidden = members.filter(({ i }) => result[i] !== null);
		const open = members.filter(({ i }) => result[i] === null);
		if (hidden.length !== 1 || open.length === 0) continue;
		const smallest = open.reduce((a, b) => ((groupSize(unit, b.f) ?? 0) < (groupSize(unit, a.f) ?? 0) ? b : a));
		result[smallest.i] = 'derivable';
	}
	return result;
}

/** A figure as it may be shown: its value and n, or why it is not shown. */
export type Shown<T> =
	(T & { suppressed: null }) | (Omit<T, 'value' | 'n'> & { value: null; n: null; suppressed: Suppression });

/** The figures with every suppressed value and n removed (not just hidden): what pages, API and downloads get. */
export function withSuppression<T extends GroupFigure>(
	figures: readonly T[],
	unit: Unit,
	minGroupSize: number
): Shown<T>[] {
	const marks = suppressed(figures, unit, minGroupSize);
	return figures.map((f, i) => {
		const mark = marks[i];
		return mark === null ? { ...f, suppressed: null } : { ...f, value: null, n: null, suppressed: mark };
	}) as Shown<T>[];
}
