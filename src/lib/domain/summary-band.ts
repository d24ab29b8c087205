import { statusText, trendText, type Status, type Trend } from './on-track.ts';
import type { CurvePoint } from './curve.ts';
import { balanceText, evaluationMoment, expectedText, freshText, staleText } from './coverage-text.ts';
import { monthYear, plural, shortDate } from './dutch-format.ts';
import { formatValue } from './kompas.ts';
import { formatProgress } from './progress.ts';
import type { IndicatorFigure, ThemeProgress } from './programme-progress.ts';

/**
 * "Op koers?" — what the top of the dashboard and the report say per theme and per key indicator, in words
 * (status and trend come from on-track.ts through computeProgress; the wording from coverage-text.ts). Pure:
 * the service hands it the progress, the component only lays the rows out.
 */

export interface SummaryRow {
	id: number;
	code: string;
	number: number;
	title: string;
	status: Status | null;
	/** "✓ op koers", "niet te bepalen" */
	statusText: string;
	trend: Trend | null;
	/** "↗ beter", "geen trend" */
	trendText: string;
	/** "2 beter, 1 slechter"; null without any trend */
	balance: string | null;
	/** whole percentages for the bar; null = geen data */
	progress: number | null;
	expected: number | null;
	/** "62%" or "geen data" */
	progressText: string;
	/** "verwacht 45%" */
	expectedText: string | null;
	/** "5 van 9 indicatoren met recente gegevens" */
	coverage: string;
	/** "evaluatie Oktober 2026-2027: Voortzetten", or "nog geen evaluatie" */
	evaluation: string;
	/** "12 acties in deze fase" */
	actions: string;
}

const percent = (share: number | null) => (share === null ? null : Math.round(share * 100));

/**
 * One row per theme. `schoolYearOfPhase` names the evaluation's school year, `decisionLabel` its decision in
 * Dutch, `actionSpan` the actions' span ("in deze fase", "in dit schooljaar").
 */
export function summaryRows(
	themes: readonly ThemeProgress[],
	{
		schoolYearOfPhase,
		decisionLabel,
		actionSpan
	}: {
		schoolYearOfPhase: ReadonlyMap<number, string>;
		decisionLabel: Readonly<Record<string, string>>;
		actionSpan: string;
	}
): SummaryRow[] {
	return themes.map((t) => {
		const e = t.evaluation;
		const decision = e && (e.decision ? (decisionLabel[e.decision] ?? e.decision) : 'geen besluit');
		return {
			id: t.id,
			code: t.code,
			number: t.number,
			title: t.title,
			status: t.status,
			statusText: statusText(t.status),
			trend: t.trend,
			trendText: trendText(t.trend),
			balance: balanceText(t.trends),
			progress: percent(t.progress),
			expected: percent(t.expected),
			progressText: formatProgress(t.progress),
			expectedText: expectedText(t.expected),
			coverage: freshText(t.indicatorsFresh, t.indicatorCount),
			evaluation: e
				? `evaluatie ${evaluationMoment(e.phaseName, schoolYearOfPhase.get(e.phaseId) ?? null)}: ${decision}`
				: 'nog geen evaluatie',
			actions: `${plural(t.actions, 'actie', 'acties')} ${actionSpan}`
		};
	});
}

/** The newest points a sparkline draws: a stated limit, whatever the length of the history. */
export const SPARK_MAX = 8;

export interface KeyIndicatorRow {
	code: string;
	name: string;
	/** "28%" with "3 dec 2026", the figure that counts; or its verouderd value; or null */
	value: string | null;
	date: string | null;
	/** "verouderd (gemeten 30 jun 2025)" when only a verouderd value is there */
	stale: string | null;
	demo: boolean;
	status: Status | null;
	statusText: string;
	trend: Trend | null;
	trendText: string;
	/** "was 30% op 3 jun 2026"; null without a trend */
	trendDetail: string | null;
	/** what the figure is measured against: "nulmeting 50% (31 dec 2023) · streefwaarde 45% (31 dec 2027)" */
	reference: string | null;
	/** the newest SPARK_MAX points of the curve, oldest first */
	spark: { date: string; value: number; stale: boolean }[];
	/** the sparkline in words: "juni 2024 – december 2026: 30% → 29% → 28%"; null without points */
	sparkText: string | null;
}

function referenceText(ind: Pick<IndicatorFigure, 'baseline' | 'target' | 'unit'>): string | null {
	const at = (date: string | null) => (date ? ` (${shortDate(date)})` : '');
	const parts = [
		ind.baseline && `nulmeting ${formatValue(ind.baseline.value, ind.unit)}${at(ind.baseline.date)}`,
		ind.target && `streefwaarde ${formatValue(ind.target.value, ind.unit)}${at(ind.target.date)}`
	].filter((p) => p !== null);
	return parts.length === 0 ? null : parts.join(' · ');
}

export function keyIndicatorRow(ind: IndicatorFigure, points: readonly CurvePoint[]): KeyIndicatorRow {
	const shown = ind.latest ?? ind.stale;
	const spark = points.slice(-SPARK_MAX).map((p) => ({ date: p.date, value: p.value, stale: p.stale }));
	const first = spark[0];
	const last = spark[spark.length - 1];
	const span =
		first &&
		(first.date.slice(0, 7) === last.date.slice(0, 7)
			? monthYear(last.date)
			: `${monthYear(first.date)} – ${monthYear(last.date)}`);
	return {
		code: ind.code,
		name: ind.name,
		value: shown ? formatValue(shown.value, ind.unit) : null,
		date: shown ? shortDate(shown.date) : null,
		stale: ind.latest === null && ind.stale ? staleText(ind.stale.date) : null,
		demo: shown?.demo ?? false,
		status: ind.status,
		statusText: statusText(ind.status),
		trend: ind.trend,
		trendText: trendText(ind.trend),
		trendDetail: ind.trendBasis
			? `was ${formatValue(ind.trendBasis.previous.value, ind.unit)} op ${shortDate(ind.trendBasis.previous.date)}`
			: null,
		reference: referenceText(ind),
		spark,
		sparkText: first ? `${span}: ${spark.map((p) => formatValue(p.value, ind.unit)).join(' → ')}` : null
	};
}
