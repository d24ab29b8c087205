import type { ChartDataset, PointStyle } from 'chart.js';
import type { Unit } from '$lib/domain/plan.schema';
import type { DimensionBreakdown } from '$lib/domain/breakdown-view';
import { shortDate } from '$lib/domain/dutch-format';
import { formatValue } from '$lib/domain/kompas';
import { PALETTE, prefersReducedMotion } from '$lib/components/chart-palette';
import { curveScales, dayNumber } from '$lib/components/indicator-chart';

const DAY = 86_400_000;
const isoOfDay = (day: number) => new Date(Math.round(day) * DAY).toISOString().slice(0, 10);

/** Each category's look: colour, point shape and dash differ together, so no category is told by colour alone. */
const LOOKS: { colour: string; point: PointStyle; dash: number[] }[] = [
	{ colour: PALETTE.measured, point: 'circle', dash: [] },
	{ colour: PALETTE.baseline, point: 'rect', dash: [8, 4] },
	{ colour: PALETTE.target, point: 'triangle', dash: [2, 3] },
	{ colour: PALETTE.extra[1], point: 'rectRot', dash: [12, 3, 2, 3] },
	{ colour: PALETTE.extra[0], point: 'star', dash: [4, 4] },
	{ colour: PALETTE.expected, point: 'crossRot', dash: [1, 2] }
];
export const lookOf = (i: number) => LOOKS[i % LOOKS.length];

type Dataset = ChartDataset<'line', { x: number; y: number | null }[]>;

/**
 * One dimension's breakdown as lines, one per category over time (a linear day axis, as the curve chart):
 * a suppressed or missing figure is a break in its line (its value never reaches the browser); a stale one
 * hollow; the category's own baseline (dashes) and target (dots) thin in its colour, named in the caption.
 */
export async function drawBreakdownChart(
	canvas: HTMLCanvasElement,
	breakdown: DimensionBreakdown,
	unit: Unit
): Promise<{ destroy(): void }> {
	const { Chart, LineController, LineElement, PointElement, LinearScale, Legend, Tooltip } = await import('chart.js');
	Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);
	const { rows, categories } = breakdown;
	const days = [
		...rows.map((r) => r.date),
		...categories.flatMap((c) => [c.baseline?.date, c.target?.date].filter((d): d is string => !!d))
	].map(dayNumber);
	const first = Math.min(...days);
	const last = Math.max(Math.max(...days), first + 30);
	// a little room at both ends, so the first and last points are drawn whole
	const margin = Math.max(10, (last - first) * 0.03);
	const span: [number, number] = [first - margin, last + margin];
	const figures: Dataset[] = categories.map((c, i) => {
		const look = lookOf(i);
		const cells = rows.map((r) => r.cells[i]);
		return {
			label: c.name,
			data: rows.map((r, k) => ({ x: dayNumber(r.date), y: cells[k]?.value ?? null })),
			borderColor: look.colour,
			backgroundColor: look.colour,
			borderDash: look.dash,
			pointStyle: look.point,
			pointBackgroundColor: cells.map((cell) => (cell?.stale ? '#ffffff' : look.colour)),
			pointBorderColor: look.colour,
			pointBorderWidth: 2,
			pointRadius: 5,
			borderWidth: 2.5
		};
	});
	const flat = (label: string, value: number, colour: string, dash: number[]): Dataset => ({
		label,
		data: span.map((x) => ({ x, y: value })),
		borderColor: colour,
		backgroundColor: colour,
		borderDash: dash,
		borderWidth: 1,
		pointRadius: 0
	});
	const plan: Dataset[] = categories.flatMap((c, i) => [
		...(c.baseline ? [flat(`${c.name}: nulmeting`, c.baseline.value, lookOf(i).colour, [6, 4])] : []),
		...(c.target ? [flat(`${c.name}: streefwaarde`, c.target.value, lookOf(i).colour, [1, 3])] : [])
	]);
	return new Chart(canvas, {
		type: 'line',
		data: { datasets: [...figures, ...plan] },
		options: {
			animation: prefersReducedMotion() ? false : { duration: 300 },
			maintainAspectRatio: false,
			scales: curveScales(span, unit),
			plugins: {
				legend: {
					labels: {
						usePointStyle: true,
						// the categories only (their baselines and targets are said in the caption), each in its own
						// look, not that of its first point (which may be stale)
						filter: (item) => (item.datasetIndex ?? 0) < figures.length,
						generateLabels: (chart) =>
							Chart.defaults.plugins.legend.labels.generateLabels(chart).map((l) => {
								const look = lookOf(l.datasetIndex ?? 0);
								return { ...l, fillStyle: look.colour, strokeStyle: look.colour, pointStyle: look.point };
							})
					}
				},
				tooltip: {
					callbacks: {
						title: (items) => (items[0] ? shortDate(isoOfDay(items[0].parsed.x ?? 0)) : ''),
						label: (item) => `${item.dataset.label}: ${formatValue(item.parsed.y, unit)}`
					}
				}
			}
		}
	});
}
