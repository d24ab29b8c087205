import type { ChartDataset, PointStyle } from 'chart.js';
import type { Unit } from '$lib/domain/plan.schema';
import { PALETTE, prefersReducedMotion } from './chart-palette';

export interface ProgressSeries {
	/** the legend's name of the measured line */
	label: string;
	labels: string[];
	values: (number | null)[];
	/** a demo value is drawn as a diamond, a real one as a circle */
	demo: boolean[];
	/** a verouderd value (not counted) is drawn hollow and grey */
	stale?: boolean[];
	baseline: number | null;
	target: number | null;
	unit: Unit;
	/** a per-period indicator's running total within the school year, drawn dash-dot with triangles */
	running?: { label: string; values: (number | null)[]; demo: boolean[] };
}

/**
 * The one look of every progress chart: measured values (solid), and for a per-period indicator their running
 * total (dash-dot), against the baseline (dashes) and the target (dots), colours from the colour-blind-safe
 * palette. chart.js is loaded only when a chart is drawn.
 */
type Dataset = ChartDataset<'line', (number | null)[]>;

export async function drawProgressChart(canvas: HTMLCanvasElement, s: ProgressSeries): Promise<{ destroy(): void }> {
	const { Chart, LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip } =
		await import('chart.js');
	Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);
	const flat = (v: number) => s.labels.map(() => v);
	const line = (label: string, data: (number | null)[], colour: string, dash: number[]): Dataset => ({
		label,
		data,
		borderColor: colour,
		backgroundColor: colour,
		borderDash: dash,
		pointRadius: 0,
		borderWidth: 2
	});
	const points = (demo: boolean[], real: PointStyle): PointStyle[] => demo.map((d) => (d ? 'rectRot' : real));
	const datasets: Dataset[] = [
		{
			label: s.label,
			data: s.values,
			borderColor: PALETTE.measured,
			backgroundColor: PALETTE.measured,
			pointStyle: points(s.demo, 'circle'),
			pointRadius: 5,
			...(s.stale?.some(Boolean)
				? {
						pointBackgroundColor: s.stale.map((x) => (x ? '#ffffff' : PALETTE.measured)),
						pointBorderColor: s.stale.map((x) => (x ? PALETTE.stale : PALETTE.measured)),
						pointBorderWidth: s.stale.map((x) => (x ? 2 : 1))
					}
				: {}),
			borderWidth: 3
		},
		...(s.running
			? [
					{
						label: s.running.label,
						data: s.running.values,
						borderColor: PALETTE.running,
						backgroundColor: PALETTE.running,
						borderDash: [10, 3, 2, 3],
						pointStyle: points(s.running.demo, 'triangle'),
						pointRadius: 6,
						borderWidth: 3
					}
				]
			: []),
		...(s.baseline !== null ? [line('Nulmeting', flat(s.baseline), PALETTE.baseline, [8, 4])] : []),
		...(s.target !== null ? [line('Streefwaarde', flat(s.target), PALETTE.target, [2, 3])] : [])
	];
	return new Chart(canvas, {
		type: 'line',
		data: { labels: s.labels, datasets },
		options: {
			animation: prefersReducedMotion() ? false : { duration: 300 },
			maintainAspectRatio: false,
			scales: { y: { beginAtZero: s.unit !== 'score', ...(s.unit === 'percent' ? { suggestedMax: 100 } : {}) } },
			plugins: { legend: { labels: { usePointStyle: true } } }
		}
	});
}
