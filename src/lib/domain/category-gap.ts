import { monthYear } from './dutch-format.ts';
import { formatValue } from './kompas.ts';
import type { Unit } from './plan.schema.ts';

/**
 * The gap between categories over time, in one Dutch line ("Verschil meisje–jongen: 17 procentpunt (was 21
 * in juni 2025)"), so a narrowing or widening gap is read without comparing lines. Only shown figures count:
 * a suppressed one (small-groups.ts) is null here and never part of a gap.
 */

export interface GapRow {
	date: string;
	/** every category of one dimension in the same order in each row; value null = not shown at this date */
	figures: readonly { name: string; value: number | null }[];
}

const shown = (unit: Unit, gap: number) => {
	const number = formatValue(gap, 'count');
	if (unit === 'percent') return `${number} procentpunt`;
	if (unit === 'score') return `${number} ${Math.abs(gap) === 1 ? 'punt' : 'punten'}`;
	return number;
};

/**
 * The gap between the highest and the lowest shown category at the latest date with two shown, and, when an
 * earlier date shows both of them, the gap between the same two at the first such date; null when no date
 * shows two categories.
 */
export function categoryGap(rows: readonly GapRow[], unit: Unit): string | null {
	const sorted = [...rows].sort((a, b) => a.date.localeCompare(b.date));
	const count = (r: GapRow) => r.figures.filter((f) => f.value !== null).length;
	const latest = sorted.findLast((r) => count(r) >= 2);
	if (!latest) return null;
	let high = -1;
	let low = -1;
	latest.figures.forEach((f, i) => {
		if (f.value === null) return;
		if (high < 0 || f.value > latest.figures[high].value!) high = i;
		if (low < 0 || f.value < latest.figures[low].value!) low = i;
	});
	if (high === low) low = latest.figures.findIndex((f, i) => i !== high && f.value !== null);
	const gapAt = (r: GapRow) => r.figures[high].value! - r.figures[low].value!;
	const names = `${latest.figures[high].name.toLowerCase()}–${latest.figures[low].name.toLowerCase()}`;
	const first = sorted.find((r) => r.figures[high]?.value != null && r.figures[low]?.value != null)!;
	const was =
		first.date < latest.date ? ` (was ${formatValue(gapAt(first), 'count')} in ${monthYear(first.date)})` : '';
	return `Verschil ${names}: ${shown(unit, gapAt(latest))}${was}`;
}
