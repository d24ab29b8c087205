import type { ChartDataset, PointStyle } from 'chart.js';
import type { Unit } from '$lib/domain/plan.schema';
import { shortDate } from '$lib/domain/dutch-format';
import { PALETTE, prefersReducedMotion } from './chart-palette';

export interface IndicatorPoint {
	date: string;
	value: number;
	demo: boolean;
	/** past its validity today: drawn hollow and grey */
	stale: boolean;
}

export interface IndicatorSeries {
	points: IndicatorPoint[];
	baseline: number | null;
	target: number | null;
	/** the baseline's and target's dates: the axis spans them too, so the lines run from the one to the other */
	baselineDate?: string | null;
	targetDate?: string | null;
	unit: Unit;
	/** a per-period indicator's running total at each point (null: between phases), drawn dash-dot */
	running?: { label: string; values: (number | null)[]; demo: boolean[] };
}

const DAY = 86_400_000;
/** A calendar date as a day number, so the x axis is proportional to real time without a date adapter. */
export const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;
const isoOfDay = (day: number) => new Date(Math.round(day) * DAY).toISOString().slice(0, 10);

const STALE = PALETTE.stale;
type Dataset = ChartDataset<'line', { x: number; y: number | null }[]>;

/**
 * The indicator page's chart: measured values over a linear day axis (real time, Dutch date ticks), stale
 * values hollow and grey, demo values as diamonds; for a per-period indicator its running total; the baseline
 * (dashes) and target (dots) across the whole span. chart.js is loaded only when the chart is drawn.
 */
export async function drawIndicatorChart(canvas: HTMLCanvasElement, s: IndicatorSeries): Promise<{ destroy(): void }> {
	const { Chart, LineController, LineElement, PointElement, LinearScale, Legend, Tooltip } = await import('chart.js');
	Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);
	const xs = s.points.map((p) => dayNumber(p.date));
	const ends = [s.baseline !== null ? s.baselineDate : null, s.target !== null ? s.targetDate : null]
		.filter((d): d is string => !!d)
		.map(dayNumber);
	const all = [...xs, ...ends];
	const first = all.length ? Math.min(...all) : dayNumber(new Date().toISOString().slice(0, 10));
	const last = all.length ? Math.max(...all) : first;
	// at least a month wide, so ticks never repeat one day
	const span = [first, Math.max(last, first + 30)];
	const flat = (label: string, y: number, colour: string, dash: number[]): Dataset => ({
		label,
		data: span.map((x) => ({ x, y })),
		borderColor: colour,
		backgroundColor: colour,
		borderDash: dash,
		pointRadius: 0,
		borderWidth: 2
	});
	const style = (demo: boolean, real: PointStyle): PointStyle => (demo ? 'rectRot' : real);
	const datasets: Dataset[] = [
		{
			label: 'Meting',
			data: s.points.map((p, i) => ({ x: xs[i], y: p.value })),
			borderColor: PALETTE.measured,
			backgroundColor: PALETTE.measured,
			pointStyle: s.points.map((p) => style(p.demo, 'circle')),
			pointBackgroundColor: s.points.map((p) => (p.stale ? '#ffffff' : PALETTE.measured)),
			pointBorderColor: s.points.map((p) => (p.stale ? STALE : PALETTE.measured)),
			pointBorderWidth: s.points.map((p) => (p.stale ? 2 : 1)),
			pointRadius: 5,
			borderWidth: 3
		},
		...(s.running
			? [
					{
						label: s.running.label,
						data: s.running.values.map((y, i) => ({ x: xs[i], y })),
						borderColor: PALETTE.running,
						backgroundColor: PALETTE.running,
						borderDash: [10, 3, 2, 3],
						pointStyle: s.running.demo.map((d) => style(d, 'triangle')),
						pointRadius: 6,
						borderWidth: 3
					}
				]
			: []),
		...(s.baseline !== null ? [flat('Nulmeting', s.baseline, PALETTE.baseline, [8, 4])] : []),
		...(s.target !== null ? [flat('Streefwaarde', s.target, PALETTE.target, [2, 3])] : [])
	];
	return new Chart(canvas, {
		type: 'line',
		data: { datasets },
		options: {
			animation: prefersReducedMotion() ? false : { duration: 300 },
			maintainAspectRatio: false,
			scales: {
				x: {
					type: 'linear',
					min: span[0],
					max: span[1],
					ticks: { maxTicksLimit: 6, callback: (v) => shortDate(isoOfDay(Number(v))) }
				},
				y: { beginAtZero: s.unit !== 'score', ...(s.unit === 'percent' ? { suggestedMax: 100 } : {}) }
			},
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
									pointStyle:
										l.datasetIndex === 1 && s.running ? 'triangle' : l.datasetIndex === 0 ? 'circle' : l.pointStyle
								};
							})
					}
				},
				tooltip: { callbacks: { title: (items) => (items[0] ? shortDate(isoOfDay(items[0].parsed.x ?? 0)) : '') } }
			}
		}
	});
}
