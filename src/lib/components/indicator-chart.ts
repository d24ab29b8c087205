import type { ChartDataset, PointStyle } from 'chart.js';
import type { Unit } from '$lib/domain/plan.schema';
import type { Curve } from '$lib/domain/curve';
import { FORECAST_LABEL } from '$lib/domain/on-track';
import { shortDate } from '$lib/domain/dutch-format';
import { formatValue } from '$lib/domain/kompas';
import { calendarTicks } from '$lib/domain/time-axis';
import { PALETTE, prefersReducedMotion } from './chart-palette';

const DAY = 86_400_000;
/** A calendar date as a day number, so the x axis is proportional to real time without a date adapter. */
export const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;
const isoOfDay = (day: number) => new Date(Math.round(day) * DAY).toISOString().slice(0, 10);

/** The curve chart's lines, in drawing order; the figure's `data-series` lists those drawn. */
export const SERIES = {
	figure: 'Cijfer',
	baseline: 'Nulmeting',
	target: 'Streefwaarde',
	expected: 'Verwachte lijn',
	forecast: FORECAST_LABEL
} as const;

/** The lines a curve has (a baseline or forecast may be missing), by their labels. */
export function seriesOf(curve: Curve): string[] {
	return [
		SERIES.figure,
		...(curve.baseline ? [SERIES.baseline] : []),
		...(curve.target ? [SERIES.target] : []),
		...(curve.expected ? [SERIES.expected] : []),
		...(curve.forecast ? [SERIES.forecast] : [])
	];
}

type Dataset = ChartDataset<'line', { x: number; y: number | null }[]>;

/**
 * The time axis and value axis both curve charts share: days from `span[0]` to `span[1]` with ticks on calendar
 * boundaries (1 January, 1 July, …) rather than at evenly spaced odd days; values fitted to the lines, not to
 * 0–100, so a curve's turn of a few points is visible.
 */
export const curveScales = (span: [number, number], unit: Unit) => ({
	x: {
		type: 'linear' as const,
		min: span[0],
		max: span[1],
		afterBuildTicks: (axis: { ticks: { value: number }[] }) => {
			const ticks = calendarTicks(span[0], span[1]);
			axis.ticks = (ticks.length >= 2 ? ticks : span).map((value) => ({ value }));
		},
		ticks: { autoSkip: true, maxRotation: 0, callback: (v: string | number) => shortDate(isoOfDay(Number(v))) }
	},
	y: { grace: '10%', ticks: { callback: (v: string | number) => formatValue(Number(v), unit) } }
});

/**
 * The indicator page's curve chart ("turn the curve"): the region's figure at each phase end on a linear day
 * axis (real time, Dutch date ticks), stale values hollow and grey, demo values as diamonds; the baseline
 * (dashes) and target (dots) across the whole span; the expected path (long dashes, through the period
 * targets); the forecast (short dashes, thin). Each line differs in dash, not only in colour. chart.js is
 * loaded only when the chart is drawn.
 */
export async function drawCurveChart(
	canvas: HTMLCanvasElement,
	curve: Curve,
	unit: Unit
): Promise<{ destroy(): void }> {
	const { Chart, LineController, LineElement, PointElement, LinearScale, Legend, Tooltip } = await import('chart.js');
	Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);
	const points = curve.points;
	const dates = [
		...points.map((p) => p.date),
		...(curve.baseline ? [curve.baseline.date] : []),
		...(curve.target ? [curve.target.date] : []),
		...(curve.expected ?? []).map((p) => p.date),
		...(curve.forecast ? [curve.forecast.from.date, curve.forecast.to.date] : [])
	].map(dayNumber);
	const first = dates.length ? Math.min(...dates) : dayNumber(new Date().toISOString().slice(0, 10));
	// at least a month wide, so ticks never repeat one day
	const span: [number, number] = [first, Math.max(dates.length ? Math.max(...dates) : first, first + 30)];
	const line = (
		label: string,
		data: { x: number; y: number }[],
		colour: string,
		dash: number[],
		width = 2
	): Dataset => ({
		label,
		data,
		borderColor: colour,
		backgroundColor: colour,
		borderDash: dash,
		pointRadius: 0,
		pointHitRadius: 6,
		borderWidth: width
	});
	const flat = (y: number) => span.map((x) => ({ x, y }));
	const xy = (p: { date: string; value: number }) => ({ x: dayNumber(p.date), y: p.value });
	const style = (demo: boolean): PointStyle => (demo ? 'rectRot' : 'circle');
	const datasets: Dataset[] = [
		{
			label: SERIES.figure,
			data: points.map(xy),
			borderColor: PALETTE.measured,
			backgroundColor: PALETTE.measured,
			pointStyle: points.map((p) => style(p.demo)),
			pointBackgroundColor: points.map((p) => (p.stale ? '#ffffff' : PALETTE.measured)),
			pointBorderColor: points.map((p) => (p.stale ? PALETTE.stale : PALETTE.measured)),
			pointBorderWidth: points.map((p) => (p.stale ? 2 : 1)),
			pointRadius: 5,
			borderWidth: 3
		},
		...(curve.baseline ? [line(SERIES.baseline, flat(curve.baseline.value), PALETTE.baseline, [8, 4])] : []),
		...(curve.target ? [line(SERIES.target, flat(curve.target.value), PALETTE.target, [2, 3])] : []),
		...(curve.expected ? [line(SERIES.expected, curve.expected.map(xy), PALETTE.expected, [14, 5])] : []),
		...(curve.forecast
			? [line(SERIES.forecast, [xy(curve.forecast.from), xy(curve.forecast.to)], PALETTE.measured, [5, 5], 2)]
			: [])
	];
	return new Chart(canvas, {
		type: 'line',
		data: { datasets },
		options: {
			animation: prefersReducedMotion() ? false : { duration: 300 },
			maintainAspectRatio: false,
			scales: curveScales(span, unit),
			plugins: {
				// the legend shows each line's own look, not that of its first point (which may be stale or demo)
				legend: {
					labels: {
						usePointStyle: true,
						generateLabels: (chart) =>
							Chart.defaults.plugins.legend.labels.generateLabels(chart).map((l) => {
								const colour = datasets[l.datasetIndex ?? 0]?.borderColor as string;
								return {
									...l,
									fillStyle: colour,
									strokeStyle: colour,
									pointStyle: l.datasetIndex === 0 ? 'circle' : 'line'
								};
							})
					}
				},
				tooltip: { callbacks: { title: (items) => (items[0] ? shortDate(isoOfDay(items[0].parsed.x ?? 0)) : '') } }
			}
		}
	});
}
