import { categoryKey, dimensionsOf, throughCategory, type Dimension } from './breakdown.ts';
import { dutchNumber } from './dutch-format.ts';
import { formatValue } from './kompas.ts';
import { addDays } from './phase-calendar.ts';
import {
	figurePeriodOf,
	valueFromObservations,
	type ProgressIndicator,
	type ProgressInput
} from './programme-progress.ts';
import type { FigurePeriod, Observation, RegionNode } from './rollup.ts';
import { suppressed, SUPPRESSION_TEXT } from './small-groups.ts';

/**
 * The gap between categories on the report (issue 17): per dimension an indicator is split by, each current
 * category's figure by the same roll-up rules as the total (throughCategory), and the distance between the
 * highest and lowest shown one, now and as it stood before the newest of them ("was 21"). Shown beside the
 * total, so primary and secondary suppression (small-groups.ts `suppressed`) decide what may be shown; the
 * gap is taken from shown figures only.
 */

export interface CategoryGap {
	dimension: string;
	/** "meisje 58%, jongen 41% — verschil 17 procentpunt, was 21" */
	text: string;
	gap: number | null;
	previousGap: number | null;
}

type Where = Pick<ProgressInput, 'regionId' | 'period' | 'phases'> & { regions: readonly RegionNode[] };

/** Each category's figure for the period, with what suppression leaves of it. */
function figures(
	ind: ProgressIndicator,
	where: Where,
	observations: readonly Observation[],
	d: Dimension,
	period: FigurePeriod,
	minGroupSize: number
) {
	const list = d.values
		.filter((v) => !v.archived)
		.map((v) => {
			const seen = throughCategory(observations, categoryKey({ dimension: d.key, category: v.key }));
			const { figure } = valueFromObservations(ind, where.regions, seen, where.regionId, period);
			return {
				dimension: d.key,
				name: v.name.toLowerCase(),
				value: figure?.value ?? null,
				n: figure?.n ?? null,
				date: figure?.date ?? null
			};
		});
	const marks = suppressed(list, ind.unit, minGroupSize);
	return list.map((f, i) => ({ ...f, mark: f.value === null ? null : marks[i] }));
}

const gapOf = (list: readonly { value: number | null; mark: unknown }[]) => {
	const shown = list.filter((f) => f.value !== null && f.mark === null).map((f) => f.value!);
	return shown.length < 2 ? null : Math.max(...shown) - Math.min(...shown);
};

export function categoryGaps(
	ind: ProgressIndicator,
	where: Where,
	observations: readonly Observation[],
	programmeDimensions: readonly Dimension[],
	minGroupSize: number
): CategoryGap[] {
	if (ind.unit === 'text' || ind.derived || !ind.splitBy?.length) return [];
	const period = figurePeriodOf(where);
	const round = (n: number) => dutchNumber(Math.round(n * 10) / 10);
	const unitWord = ind.unit === 'percent' ? ' procentpunt' : '';
	return dimensionsOf(programmeDimensions, ind.splitBy).flatMap((d) => {
		const now = figures(ind, where, observations, d, period, minGroupSize);
		if (now.every((f) => f.value === null)) return [];
		const newest = now.reduce<string | null>((a, f) => (f.date && (!a || f.date > a) ? f.date : a), null)!;
		const before = { ...period, window: { ...period.window, end: addDays(newest, -1) } };
		const gap = gapOf(now);
		const previousGap = gap === null ? null : gapOf(figures(ind, where, observations, d, before, minGroupSize));
		const parts = now.map(
			(f) =>
				`${f.name} ${f.value === null ? 'geen data' : f.mark ? SUPPRESSION_TEXT[f.mark] : formatValue(f.value, ind.unit)}`
		);
		const tail =
			gap === null
				? ''
				: ` — verschil ${round(gap)}${unitWord}${previousGap === null ? '' : `, was ${round(previousGap)}`}`;
		return [{ dimension: d.name, text: `${d.name}: ${parts.join(', ')}${tail}`, gap, previousGap }];
	});
}
