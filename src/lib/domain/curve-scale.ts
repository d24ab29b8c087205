import type { Curve } from './curve.ts';
import type { PathPoint } from './on-track.ts';
import { shortMonthYear } from './dutch-format.ts';

/**
 * The scales of a static curve chart (CurveSvg.svelte): a real time axis over every date the curve holds,
 * a value axis over every value with some room, and "nice" ticks for both. Pure, so the chart needs no
 * JavaScript in the browser and the same numbers print.
 */

const DAY = 86_400_000;
export const dayOf = (iso: string) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY;
const isoOf = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

/** Every point a chart draws, for its extent. */
export function curveExtent(curve: Curve): PathPoint[] {
	return [
		...curve.points,
		...(curve.baseline ? [curve.baseline] : []),
		...(curve.target ? [curve.target] : []),
		...(curve.expected ?? []),
		...(curve.forecast ? [curve.forecast.from, curve.forecast.to] : [])
	];
}

/** 1, 2, 2.5, 5 × 10^k: a step giving about `count` ticks over the span. */
function niceStep(span: number, count: number): number {
	const raw = span / Math.max(1, count);
	const mag = 10 ** Math.floor(Math.log10(raw));
	return [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
}

export function valueTicks(min: number, max: number, count = 4): { min: number; max: number; ticks: number[] } {
	if (min === max) {
		const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
		min -= pad;
		max += pad;
	}
	const step = niceStep(max - min, count);
	const lo = Math.floor(min / step) * step;
	const hi = Math.ceil(max / step) * step;
	const ticks: number[] = [];
	for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
	return { min: lo, max: hi, ticks };
}

/** First days of months (or of years, over a long span) inside [from, to], at most about `count`. */
export function dateTicks(from: string, to: string, count = 5): { date: string; label: string }[] {
	const months = (+to.slice(0, 4) - +from.slice(0, 4)) * 12 + (+to.slice(5, 7) - +from.slice(5, 7));
	const every = [1, 2, 3, 4, 6, 12, 24, 36, 60].find((m) => months / m <= count) ?? 120;
	const ticks: { date: string; label: string }[] = [];
	let y = +from.slice(0, 4);
	let m = +from.slice(5, 7);
	// start on a month that is a multiple of the step (January for whole years), on or after `from`
	for (;;) {
		const iso = `${y}-${String(m).padStart(2, '0')}-01`;
		if (iso > to) break;
		const on = every <= 12 ? (m - 1) % every === 0 : m === 1 && y % (every / 12) === 0;
		if (iso >= from && on) ticks.push({ date: iso, label: every >= 12 ? String(y) : shortMonthYear(iso) });
		m++;
		if (m > 12) {
			m = 1;
			y++;
		}
	}
	return ticks;
}

export interface CurveScale {
	x: (iso: string) => number;
	y: (value: number) => number;
	dateTicks: { date: string; label: string }[];
	valueTicks: number[];
}

/** The scales onto a plot area [left, right] × [top, bottom] (SVG units, y downwards). */
export function curveScale(
	curve: Curve,
	area: { left: number; right: number; top: number; bottom: number }
): CurveScale {
	const all = curveExtent(curve);
	const days = all.map((p) => dayOf(p.date));
	let d0 = Math.min(...days);
	let d1 = Math.max(...days);
	if (d0 === d1) {
		d0 -= 30;
		d1 += 30;
	}
	const values = all.map((p) => p.value);
	const v = valueTicks(Math.min(...values), Math.max(...values));
	const x = (iso: string) => area.left + ((dayOf(iso) - d0) / (d1 - d0)) * (area.right - area.left);
	const y = (value: number) => area.bottom - ((value - v.min) / (v.max - v.min)) * (area.bottom - area.top);
	return { x, y, dateTicks: dateTicks(isoOf(d0), isoOf(d1)), valueTicks: v.ticks };
}
