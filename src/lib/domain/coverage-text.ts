import type { Reached } from './action-figures.ts';
import { dutchCount, monthYear, plural, shortDate } from './dutch-format.ts';
import type { Period } from './period.ts';
import type { Aggregation } from './plan.schema.ts';
import type { Coverage, Figure, LeftOutReason, Rolled } from './rollup.ts';
import type { CategoryState, IndicatorFigure, ThemeProgress } from './programme-progress.ts';
import { SUPPRESSION_TEXT } from './small-groups.ts';
import type { Curve } from './curve.ts';
import { FORECAST_LABEL, type PathPoint, type TrendBalance } from './on-track.ts';
import { formatValue } from './kompas.ts';
import type { Unit } from './plan.schema.ts';

/** Said of an indicator that is not split by the chosen category's dimension. */
export const notSplitText = (dimensionName: string) => `niet uitgesplitst naar ${dimensionName.toLowerCase()}`;

/**
 * The words that say what a figure is and what it covers, one wording for the dashboard, the report page
 * and the downloads: its kind ("laatste meting" or "opgeteld dit schooljaar"), date, n and source, which
 * child regions it combines and which it leaves out and why, a verouderd value's date, and the sentences
 * about freshness, the summer bucket and the latest evaluation.
 */

export interface NamedRegion {
	id: number;
	name: string;
	kind: string;
}

/** At most this many left-out regions are named; the rest are counted ("en nog 3"). */
export const LEFT_OUT_NAMED = 5;

const KIND_PLURAL: Record<string, string> = {
	school: 'scholen',
	wijk: 'wijken',
	buurt: 'buurten',
	gemeente: 'gemeenten',
	club: 'clubs',
	vereniging: 'verenigingen',
	regio: "regio's",
	stad: 'steden',
	dorp: 'dorpen'
};

/** A region kind in the plural ("scholen"); an unknown or mixed kind is "regio's". */
export const kindPlural = (kind: string | null) => (kind === null ? "regio's" : (KIND_PLURAL[kind] ?? "regio's"));

const AGGREGATION_WORD: Record<Aggregation, string> = {
	sum: 'som',
	mean: 'gemiddelde',
	weighted_mean: 'gewogen gemiddelde',
	latest: 'nieuwste waarde'
};

const REASON_WORD: Record<LeftOutReason, string> = {
	'geen-n': 'geen n',
	verouderd: 'verouderd',
	'geen-gegevens': 'geen gegevens',
	ouder: 'oudere meting'
};

/** "laatste meting" for a cumulative indicator's value, "opgeteld dit schooljaar" for a per-period running total. */
export const figureWord = (perPeriod: boolean) => (perPeriod ? 'opgeteld dit schooljaar' : 'laatste meting');

/** A verouderd value's mark: "verouderd (gemeten 30 jun 2025)". */
export const staleText = (date: string) => `verouderd (gemeten ${shortDate(date)})`;

/** "n = 412" with the thousands grouped. */
export const nText = (n: number) => `n = ${dutchCount(n)}`;

/** What a combined figure covers: "gewogen gemiddelde van 3 van 4 scholen, n = 412". */
export function coverageText(coverage: Coverage, regions: readonly NamedRegion[]): string {
	const byId = new Map(regions.map((r) => [r.id, r]));
	const all = [...coverage.used, ...coverage.leftOut.map((l) => l.regionId)];
	const kinds = new Set(all.map((id) => byId.get(id)?.kind ?? ''));
	const kind = kinds.size === 1 ? [...kinds][0] : null;
	const word =
		coverage.aggregation === 'weighted_mean' && coverage.unweighted
			? 'gemiddelde (geen n bekend)'
			: AGGREGATION_WORD[coverage.aggregation];
	const n = coverage.n !== null && coverage.aggregation !== 'latest' ? `, ${nText(coverage.n)}` : '';
	return `${word} van ${coverage.used.length} van ${all.length} ${kindPlural(kind)}${n}`;
}

/** Which child regions were left out and why: "niet meegeteld: A (geen n), B (verouderd) en nog 2"; null when none. */
export function leftOutText(coverage: Coverage, regions: readonly NamedRegion[]): string | null {
	if (coverage.leftOut.length === 0) return null;
	const name = new Map(regions.map((r) => [r.id, r.name]));
	const named = coverage.leftOut
		.slice(0, LEFT_OUT_NAMED)
		.map((l) => `${name.get(l.regionId) ?? `regio ${l.regionId}`} (${REASON_WORD[l.reason]})`);
	const rest = coverage.leftOut.length - named.length;
	return `niet meegeteld: ${named.join(', ')}${rest > 0 ? ` en nog ${dutchCount(rest)}` : ''}`;
}

/** Where a counting figure comes from: the region's own measurement, the action log, or its children combined. */
export function originText(
	figure: Figure,
	opts: { regions: readonly NamedRegion[]; regionName: string | null; derived: boolean }
): string {
	if (opts.derived) return `afgeleid uit het actielog van ${opts.regionName ?? 'het hele programma'}`;
	if (figure.coverage) return coverageText(figure.coverage, opts.regions);
	return `eigen meting van ${opts.regionName ?? 'het programma'}`;
}

/** A figure's coverage on one line, as the downloads give it: where it comes from and who was left out. */
export function coverageLine(
	figure: Figure | null,
	opts: { regions: readonly NamedRegion[]; regionName: string | null; derived: boolean }
): string | null {
	if (figure === null) return null;
	const leftOut = figure.coverage ? leftOutText(figure.coverage, opts.regions) : null;
	return [originText(figure, opts), leftOut].filter((t) => t !== null).join('; ');
}

export interface FigureFacts {
	/** "laatste meting" or "opgeteld dit schooljaar" */
	word: string;
	/** "3 okt 2026" */
	date: string;
	/** "n = 412", when the figure has an n */
	n: string | null;
	source: string | null;
	/** "gewogen gemiddelde van 3 van 4 scholen, n = 412" / "eigen meting van OBS Haarzicht" */
	origin: string;
	/** "niet meegeteld: …", when children were left out */
	leftOut: string | null;
	/** per-period: the phases the total adds up ("september t/m november") */
	phases: string | null;
}

/** Everything said beside a counting figure, in words. */
export function figureFacts(
	figure: Figure,
	opts: {
		perPeriod: boolean;
		derived: boolean;
		regions: readonly NamedRegion[];
		regionName: string | null;
		phaseNames: ReadonlyMap<number, string>;
	}
): FigureFacts {
	const parts = figure.phases ?? [];
	const phases =
		opts.perPeriod && parts.length
			? `${plural(parts.length, 'fase', 'fasen')}: ${parts.map((p) => opts.phaseNames.get(p.phaseId) ?? '?').join(' + ')}`
			: null;
	return {
		word: figureWord(opts.perPeriod),
		date: shortDate(figure.date),
		n: figure.n !== null && !opts.derived ? nText(figure.n) : null,
		source: figure.source,
		origin: originText(figure, opts),
		leftOut: figure.coverage ? leftOutText(figure.coverage, opts.regions) : null,
		phases
	};
}

/** A verouderd value in words with its n and source, e.g. for a table cell's note. */
export const staleFacts = (stale: Rolled) => ({
	mark: staleText(stale.date),
	n: stale.n !== null ? nText(stale.n) : null,
	source: stale.source
});

/** A theme's coverage: "5 van 9 indicatoren met recente gegevens". */
export const freshText = (fresh: number, of: number) =>
	`${fresh} van ${plural(of, 'indicator', 'indicatoren')} met recente gegevens`;

/** A theme's trend as the balance of its indicators' trends: "2 beter, 1 slechter"; null when none has a trend. */
export function balanceText(counts: TrendBalance): string | null {
	const parts = (['beter', 'gelijk', 'slechter'] as const).filter((t) => counts[t] > 0).map((t) => `${counts[t]} ${t}`);
	return parts.length === 0 ? null : parts.join(', ');
}

/** The expected progress beside the actual one: "verwacht 45%"; null without an expected path. */
export const expectedText = (expected: number | null) =>
	expected === null ? null : `verwacht ${Math.round(expected * 100)}%`;

/** Indicators measured against a baseline of another area: left out of the theme's progress; null when none. */
export const notComparableText = (count: number) =>
	count === 0
		? null
		: `${plural(count, 'indicator', 'indicatoren')} met een nulmeting van een ander gebied ${count === 1 ? 'telt' : 'tellen'} niet mee in de voortgang van het thema`;

/** The summer bucket: "Buiten de fasen (zomer): 12 acties, 340 bereikt — tellen in geen fase mee"; null when empty. */
export function outsidePhasesText(bucket: { actions: number; reached: Reached }, values = 0): string | null {
	if (bucket.actions === 0 && bucket.reached.total === 0 && values === 0) return null;
	const what = [
		plural(bucket.actions, 'actie', 'acties'),
		`${dutchCount(bucket.reached.total)} bereikt`,
		...(values > 0 ? [`waarden van ${plural(values, 'indicator', 'indicatoren')}`] : [])
	];
	return `Buiten de fasen (zomer): ${what.join(', ')} — tellen in geen fase mee`;
}

/** The latest evaluation's moment with its school year: "Oktober 2026-2027". */
export const evaluationMoment = (phaseName: string, schoolYear: string | null) =>
	schoolYear ? `${phaseName} ${schoolYear}` : phaseName;

/** A period as a sentence names it: a one-month phase as its month ("december 2026"), else phase and school year. */
export function periodText(period: Pick<Period, 'phase' | 'schoolYear'>): string {
	const { phase, schoolYear } = period;
	if (phase) {
		if (phase.start.slice(0, 7) === phase.end.slice(0, 7)) return monthYear(phase.start);
		return `${phase.name.toLowerCase()} ${schoolYear?.name ?? ''}`.trim();
	}
	return schoolYear ? `schooljaar ${schoolYear.name}` : 'deze periode';
}

/**
 * The one sentence when nothing fresh counts in the period: "In december 2026 is nog niets gemeten of gelogd;
 * de laatste gegevens zijn van juni 2025".
 */
export function noFreshDataText(period: Pick<Period, 'phase' | 'schoolYear'>, lastDate: string | null): string {
	const first = `In ${periodText(period)} is nog niets gemeten of gelogd`;
	return lastDate
		? `${first}; de laatste gegevens zijn van ${monthYear(lastDate)}`
		: `${first}; er zijn nog geen gegevens`;
}

/** What the pages and files say beside one indicator: its counting figure, else its verouderd value, and marks. */
export interface IndicatorTexts {
	figure: FigureFacts | null;
	stale: ReturnType<typeof staleFacts> | null;
	/** "landelijke nulmeting — niet vergelijkbaar" */
	comparability: string | null;
	/** per-period values dated between phases: "buiten de fasen (zomer): 40, gemeten 15 jul 2026 — telt in geen fase mee" */
	outside: string | null;
	/** under a category, why no figure is shown: "niet uitgesplitst naar geslacht", "te weinig respondenten" */
	category?: string | null;
}

/** Under a category (`?geslacht=meisje`), why an indicator shows no figure, in the page's words; null = shown. */
export function categoryStateText(state: CategoryState | null | undefined, dimensionName: string): string | null {
	if (!state) return null;
	return state === 'not_split' ? notSplitText(dimensionName) : SUPPRESSION_TEXT[state];
}

export function describeIndicator(
	ind: Pick<
		IndicatorFigure,
		'latest' | 'stale' | 'outsidePhases' | 'comparability' | 'perPeriod' | 'derived' | 'category'
	>,
	opts: {
		regions: readonly NamedRegion[];
		regionName: string | null;
		phaseNames: ReadonlyMap<number, string>;
		/** the chosen category's dimension, by name */
		dimensionName?: string;
	}
): IndicatorTexts {
	return {
		...(opts.dimensionName ? { category: categoryStateText(ind.category, opts.dimensionName) } : {}),
		figure: ind.latest && figureFacts(ind.latest, { ...opts, perPeriod: ind.perPeriod, derived: ind.derived }),
		stale: ind.latest === null && ind.stale ? staleFacts(ind.stale) : null,
		comparability: ind.comparability.comparable ? null : ind.comparability.label,
		outside:
			ind.outsidePhases &&
			`buiten de fasen (zomer): ${dutchCount(ind.outsidePhases.value)}, tot ${shortDate(ind.outsidePhases.date)} — telt in geen fase mee`
	};
}

/** What a theme card says besides its progress. */
export function describeTheme(
	theme: Pick<ThemeProgress, 'indicatorsFresh' | 'indicatorCount' | 'outsidePhases' | 'evaluation' | 'indicators'>,
	indicators: readonly Pick<IndicatorFigure, 'code' | 'unit' | 'comparability'>[],
	schoolYearOfPhase: ReadonlyMap<number, string>
) {
	const notComparable = indicators.filter(
		(i) => theme.indicators.includes(i.code) && i.unit !== 'text' && !i.comparability.comparable
	).length;
	return {
		fresh: freshText(theme.indicatorsFresh, theme.indicatorCount),
		notComparable: notComparableText(notComparable),
		outside: outsidePhasesText(theme.outsidePhases),
		evaluation: theme.evaluation
			? evaluationMoment(theme.evaluation.phaseName, schoolYearOfPhase.get(theme.evaluation.phaseId) ?? null)
			: null
	};
}

/**
 * A curve chart's text alternative (curve.ts): baseline, the values (how many verouderd), the latest, the
 * target, the expected path and the forecast, in one sentence each part.
 */
export function curveText(curve: Curve, unit: Unit): string {
	const v = (p: PathPoint) => `${formatValue(p.value, unit)} (${shortDate(p.date)})`;
	const parts: string[] = [];
	if (curve.baseline) parts.push(`nulmeting ${v(curve.baseline)}`);
	const { points } = curve;
	const stale = points.filter((p) => p.stale).length;
	if (points.length > 0) {
		const latest = points[points.length - 1];
		parts.push(
			points.length === 1
				? `één waarde: ${v(latest)}${latest.stale ? ', verouderd' : ''}`
				: `${points.length} waarden van ${shortDate(points[0].date)} tot ${shortDate(latest.date)}, laatste ${v(latest)}` +
						(stale > 0 ? `; ${stale} verouderd (open punt)` : '')
		);
	} else parts.push('nog geen waarden');
	if (curve.target) parts.push(`streefwaarde ${v(curve.target)}`);
	if (curve.expected) parts.push('verwachte lijn van nulmeting naar streefwaarde');
	if (curve.forecast) parts.push(`${FORECAST_LABEL}: ${v(curve.forecast.to)}`);
	return parts.join('; ');
}
