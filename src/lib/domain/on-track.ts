import type { Direction } from './plan.schema.ts';
import { indicatorProgress } from './progress.ts';
import { validUntil, type ValidityRule } from './validity.ts';
import type { PhaseSpan } from './phase-calendar.ts';

/**
 * Status, trend and forecast, defined once (DESIGN.md "Progress, defined once": Status and trend).
 * Everything on screen or in a file that says "op koers", "achter", "trend" or "prognose" comes from here.
 *
 * - Expected progress at a date follows the expected path: linear from the baseline (date, value) to the
 *   target (date, value), through the plan's period targets where it gives them. A per-period indicator
 *   (a count that starts again each school year) is expected to grow linearly over the school year, from
 *   its baseline at the first phase's start to the school year's target at the last phase's end — the
 *   period target dated in that school year, else the final target.
 * - Status: op koers when progress ≥ expected − 0.10, achter below that, geen recente gegevens without a
 *   fresh value; null ("niet te bepalen") when a fresh value has no progress or no expected path (no
 *   baseline, no target date, no direction).
 * - Trend: the latest value against the previous one, direction-aware: beter, gelijk or slechter. A change
 *   smaller than 1% of the distance from baseline to target (when both are known) is gelijk. A theme's trend
 *   is the balance of its indicators' trends.
 * - Forecast ("prognose bij gelijkblijvende trend"): a least-squares line through the last values that
 *   follow each other within their validity (no value went verouderd before the next one came), the newest
 *   still valid today; only with at least three such values.
 */

export type Status = 'op_koers' | 'achter' | 'geen_gegevens';
export type Trend = 'beter' | 'gelijk' | 'slechter';

/** How far below the expected progress a figure may lie and still be op koers. */
export const TOLERANCE = 0.1;
/** A change smaller than this share of |target − baseline| is "gelijk". */
export const SAME = 0.01;
/** The forecast needs this many values, and uses at most the newest `FORECAST_MAX`. */
export const FORECAST_MIN = 3;
export const FORECAST_MAX = 8;

export const STATUS_LABEL: Record<Status, string> = {
	op_koers: 'op koers',
	achter: 'achter',
	geen_gegevens: 'geen recente gegevens'
};
/** The icon beside the word (never the colour alone): check, exclamation, question mark. */
export const STATUS_ICON: Record<Status, string> = { op_koers: '✓', achter: '!', geen_gegevens: '?' };
export const UNDETERMINED = 'niet te bepalen';
export const TREND_LABEL: Record<Trend, string> = { beter: 'beter', gelijk: 'gelijk', slechter: 'slechter' };
/** Arrows say better or worse (not up or down), so "lager is beter" reads the same way. */
export const TREND_ARROW: Record<Trend, string> = { beter: '↗', gelijk: '→', slechter: '↘' };
export const FORECAST_LABEL = 'prognose bij gelijkblijvende trend';

export interface PathPoint {
	date: string;
	value: number;
}

export interface PlanLine {
	direction: Direction;
	baseline: { value: number; date: string | null } | null;
	target: { value: number; date: string | null } | null;
	/** the plan's period targets (per school year), any order */
	targets?: readonly PathPoint[];
}

/** A school year's span as the per-period path needs it: first phase's start to last phase's end. */
export interface YearSpan {
	start: string;
	end: string;
}

const DAY = 86_400_000;
const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;
const dateOfDay = (day: number) => new Date(Math.round(day) * DAY).toISOString().slice(0, 10);

/**
 * The expected path of an indicator: baseline, the period targets between, the target; null when it
 * cannot be drawn (no baseline or target, no target date). `from` dates an undated baseline (the
 * programme's start). With `year`, the path of a per-period indicator over that school year.
 */
export function expectedPath(plan: PlanLine, from: string, year?: YearSpan): PathPoint[] | null {
	const { baseline, target } = plan;
	if (baseline === null || target === null) return null;
	const targets = [...(plan.targets ?? [])].sort((a, b) => a.date.localeCompare(b.date));
	if (year) {
		const yearTarget = targets.find((t) => t.date >= year.start && t.date <= year.end)?.value ?? target.value;
		return [
			{ date: year.start, value: baseline.value },
			{ date: year.end, value: yearTarget }
		];
	}
	if (target.date === null) return null;
	const start = { date: baseline.date ?? from, value: baseline.value };
	const end = { date: target.date, value: target.value };
	if (end.date <= start.date) return null;
	const between = targets.filter((t) => t.date > start.date && t.date < end.date);
	return [start, ...between, end];
}

/** The path's value on a date: linear between its points, flat before the first and after the last. */
export function pathValue(path: readonly PathPoint[], at: string): number {
	if (at <= path[0].date) return path[0].value;
	const last = path[path.length - 1];
	if (at >= last.date) return last.value;
	const i = path.findIndex((p) => p.date > at);
	const [a, b] = [path[i - 1], path[i]];
	const share = (dayNumber(at) - dayNumber(a.date)) / (dayNumber(b.date) - dayNumber(a.date));
	return a.value + share * (b.value - a.value);
}

/** Expected progress (0–1) at a date: the progress the expected path's value would make; null without a path. */
export function expectedProgress(plan: PlanLine, at: string, from: string, year?: YearSpan): number | null {
	const path = expectedPath(plan, from, year);
	if (path === null) return null;
	const target = year ? path[path.length - 1].value : (plan.target?.value ?? null);
	return indicatorProgress({
		direction: plan.direction,
		baseline: plan.baseline?.value ?? null,
		target,
		latest: pathValue(path, at)
	});
}

/** Status from a fresh value's progress and the expected progress; null = niet te bepalen. */
export function statusOf({
	fresh,
	progress,
	expected
}: {
	fresh: boolean;
	progress: number | null;
	expected: number | null;
}): Status | null {
	if (!fresh) return 'geen_gegevens';
	if (progress === null || expected === null) return null;
	// the epsilon keeps "exactly 0.10 behind" op koers despite floating point
	return progress >= expected - TOLERANCE - 1e-9 ? 'op_koers' : 'achter';
}

/** Latest against previous, direction-aware; null without a previous value or a direction. */
export function trendOf(
	plan: Pick<PlanLine, 'direction' | 'baseline' | 'target'>,
	latest: number | null,
	previous: number | null
): Trend | null {
	if (plan.direction === 'none' || latest === null || previous === null) return null;
	const gap = plan.baseline && plan.target ? Math.abs(plan.target.value - plan.baseline.value) : 0;
	const threshold = Math.max(gap * SAME, 1e-9 * Math.max(1, Math.abs(latest), Math.abs(previous)));
	const change = latest - previous;
	if (Math.abs(change) <= threshold) return 'gelijk';
	return change > 0 === (plan.direction === 'higher_is_better') ? 'beter' : 'slechter';
}

export interface TrendBalance {
	beter: number;
	gelijk: number;
	slechter: number;
}

/** A theme's trend: the balance of its indicators' trends; null when none has one. */
export function balanceOf(trends: readonly (Trend | null)[]): { trend: Trend | null; counts: TrendBalance } {
	const counts: TrendBalance = { beter: 0, gelijk: 0, slechter: 0 };
	for (const t of trends) if (t) counts[t]++;
	const net = counts.beter - counts.slechter;
	const any = counts.beter + counts.gelijk + counts.slechter > 0;
	return { trend: !any ? null : net > 0 ? 'beter' : net < 0 ? 'slechter' : 'gelijk', counts };
}

export interface Forecast {
	/** the fitted line from the first value used to `until` */
	from: PathPoint;
	to: PathPoint;
	/** the values the line was fitted through */
	used: number;
	/** change per year */
	perYear: number;
}

/**
 * Where the values head if the recent trend continues: least squares through the newest run of values that
 * follow each other within their validity, the newest valid on `today`; null with fewer than three.
 */
export function forecast(
	points: readonly PathPoint[],
	{ rule, phases, today, until }: { rule: ValidityRule; phases: readonly PhaseSpan[]; today: string; until: string }
): Forecast | null {
	const sorted = [...points].filter((p) => p.date <= today).sort((a, b) => a.date.localeCompare(b.date));
	const newest = sorted[sorted.length - 1];
	if (!newest || validUntil(newest.date, rule, phases) < today) return null;
	let first = sorted.length - 1;
	while (first > 0 && sorted.length - first < FORECAST_MAX) {
		const prev = sorted[first - 1];
		if (validUntil(prev.date, rule, phases) < sorted[first].date) break;
		first--;
	}
	const run = sorted.slice(first);
	const xs = run.map((p) => dayNumber(p.date));
	if (new Set(xs).size < FORECAST_MIN) return null;
	const fit = leastSquares(
		xs,
		run.map((p) => p.value)
	);
	const end = Math.max(dayNumber(until), xs[xs.length - 1]);
	return {
		from: { date: run[0].date, value: fit.at(xs[0]) },
		to: { date: dateOfDay(end), value: fit.at(end) },
		used: run.length,
		perYear: fit.slope * 365.25
	};
}

/** Ordinary least squares y = a + b·x. */
export function leastSquares(xs: readonly number[], ys: readonly number[]) {
	const n = xs.length;
	const mx = xs.reduce((a, b) => a + b, 0) / n;
	const my = ys.reduce((a, b) => a + b, 0) / n;
	let sxy = 0;
	let sxx = 0;
	for (let i = 0; i < n; i++) {
		sxy += (xs[i] - mx) * (ys[i] - my);
		sxx += (xs[i] - mx) ** 2;
	}
	const slope = sxx === 0 ? 0 : sxy / sxx;
	return { slope, at: (x: number) => my + slope * (x - mx) };
}

/** "op koers", "achter", "geen recente gegevens" or "niet te bepalen", with its icon. */
export const statusText = (status: Status | null) =>
	status === null ? UNDETERMINED : `${STATUS_ICON[status]} ${STATUS_LABEL[status]}`;

/** "↗ beter", or "geen trend". */
export const trendText = (trend: Trend | null) =>
	trend === null ? 'geen trend' : `${TREND_ARROW[trend]} ${TREND_LABEL[trend]}`;
