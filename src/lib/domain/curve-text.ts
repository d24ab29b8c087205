import type { Curve } from './curve.ts';
import { plural, shortDate } from './dutch-format.ts';
import { formatValue } from './kompas.ts';
import { FORECAST_LABEL, FORECAST_MIN, type PathPoint } from './on-track.ts';
import type { Unit } from './plan.schema.ts';

/**
 * The curve chart's text alternative, one wording for the indicator page (and any other curve): the
 * values, baseline, target, the expected path and the forecast in words.
 */

const at = (p: PathPoint, unit: Unit) => `${formatValue(p.value, unit)} (${shortDate(p.date)})`;

/** "verwachte lijn: van 0% (1 sep 2024) via 30% (30 jun 2025) naar 75% (30 jun 2027)". */
export function expectedPathText(path: readonly PathPoint[] | null, unit: Unit): string {
	if (path === null || path.length < 2) return 'geen verwachte lijn (nulmeting of streefwaarde met datum ontbreekt)';
	const between = path.slice(1, -1);
	const via = between.length ? ` via ${between.map((p) => at(p, unit)).join(' en ')}` : '';
	return `verwachte lijn: van ${at(path[0], unit)}${via} naar ${at(path[path.length - 1], unit)}`;
}

/** "prognose bij gelijkblijvende trend: 73,1% op 30 jun 2027 (lijn door de laatste 3 waarden)". */
export function forecastText(forecast: Curve['forecast'], unit: Unit): string {
	if (forecast === null)
		return `geen ${FORECAST_LABEL}: daarvoor zijn minstens ${FORECAST_MIN} opeenvolgende geldige waarden nodig`;
	return `${FORECAST_LABEL}: ${formatValue(forecast.to.value, unit)} op ${shortDate(forecast.to.date)} (lijn door de laatste ${plural(forecast.used, 'waarde', 'waarden')})`;
}

/** The whole text alternative of a curve chart, one sentence. */
export function curveText(title: string, curve: Curve, unit: Unit): string {
	const parts: string[] = [];
	const { points } = curve;
	if (points.length) {
		const last = points[points.length - 1];
		parts.push(
			`${plural(points.length, 'waarde', 'waarden')}, de laatste op ${shortDate(last.date)}: ${formatValue(last.value, unit)}${last.stale ? ' (verouderd)' : ''}`
		);
		const stale = points.filter((p) => p.stale).length;
		if (stale) parts.push(`${plural(stale, 'waarde is', 'waarden zijn')} verouderd`);
	} else parts.push('nog geen waarden');
	if (curve.baseline) parts.push(`nulmeting ${at(curve.baseline, unit)}`);
	if (curve.target) parts.push(`streefwaarde ${at(curve.target, unit)}`);
	parts.push(expectedPathText(curve.expected, unit));
	parts.push(forecastText(curve.forecast, unit));
	if (points.some((p) => p.demo)) parts.push('bevat demo-waarden');
	return `${title}: ${parts.join('; ')}.`;
}
