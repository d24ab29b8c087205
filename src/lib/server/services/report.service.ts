import type { Programme } from '../db/schema.ts';
import type { ProgrammeContext } from '../request-context.ts';
import {
	placeOf,
	type IndicatorFigure,
	type ProgressIndicator,
	type ProgressNode
} from '../../domain/programme-progress.ts';
import { curveOf, recentSince, RECENT_YEARS } from '../../domain/curve.ts';
import { listFinalWithFollowUps } from '../repositories/evaluation.repository.ts';
import { figureTexts, periodOptions, regionOptions, selectionOf, summaryOf } from './dashboard.service.ts';
import { loadProgress, type ProgressContext } from './progress.service.ts';
import { ok, type Result } from '../../domain/result.ts';

import { DECISION_LABEL, EVALUATION_STATUS_LABEL } from '../../domain/evaluation.ts';
import { todayIso } from '../../domain/dutch-format.ts';
import { coverageLine, curveText, freshText } from '../../domain/coverage-text.ts';
import { STATUS_LABEL, TREND_LABEL, UNDETERMINED, type Status, type Trend } from '../../domain/on-track.ts';
import { UNIT_LABEL } from '../../domain/kompas.ts';
import { NATIONAL } from '../../domain/comparability.ts';
import { categoryHeading } from '../../domain/category-progress.ts';
import { categoryGaps } from '../../domain/category-gaps.ts';

/**
 * The funder report: the kompas, per theme its progress, indicators (baseline / latest / target), final
 * evaluation decisions and shareable stories, for a region and period. The page, the CSV/XLSX downloads
 * and the PDF all come from this one view.
 */
export async function report(
	ctx: ProgrammeContext,
	q: { region?: string | null; phase?: string | null; today?: string; category?: string | null },
	{ charts = true }: { charts?: boolean } = {}
): Promise<Result<ReportView>> {
	const loaded = await loadProgress(ctx, q, {
		stories: { publicOnly: true, perStep: 3 },
		// the downloads hold tables, not charts: they read no history
		histories: charts
			? (indicators, tree) => [
					...chartCandidates(indicators, tree).flatMap(([, list]) => list),
					// the gaps between categories are rolled up from the split indicators' values
					...(q.category ? [] : gapCandidates(indicators))
				]
			: undefined,
		historySince: (period) => recentSince(period.window.end),
		historyCategories: charts && !q.category
	});
	if (!loaded.ok) return loaded;
	const told = stepEvaluations(loaded.value);
	const details = await listFinalWithFollowUps(ctx.db, ctx.programme.id, [...told.values()]);
	return ok(present(ctx.programme, loaded.value, evaluationStories(details), charts));
}

/**
 * At most this many indicators get a line on the gaps between their categories in the report: each costs
 * its whole recent history with categories (npm run bench: the report's p95 425 ms with 20 split indicators,
 * 310 ms with 10, 157 ms with none). Key indicators first, then in plan order.
 */
export const GAP_INDICATORS = 3;
const gapCandidates = (indicators: readonly ProgressIndicator[]) =>
	indicators
		.filter((i) => i.splitBy?.length && !i.derived && i.unit !== 'text')
		.sort((a, b) => Number(b.key === true) - Number(a.key === true))
		.slice(0, GAP_INDICATORS);

/** At most this many curve charts per theme in the report (its first numeric indicators, key ones first). */
export const CHARTS_PER_THEME = 3;
/** Per theme id the numeric indicators that may get a chart: key ones first, then in plan order; bounded. */
function chartCandidates(
	indicators: readonly ProgressIndicator[],
	tree: { nextSteps: readonly ProgressNode[]; solutions: readonly ProgressNode[] }
): [number, ProgressIndicator[]][] {
	const byTheme = new Map<number, ProgressIndicator[]>();
	for (const i of indicators) {
		const { themeId } = placeOf(i.node, tree.nextSteps, tree.solutions);
		if (themeId === null || i.unit === 'text') continue;
		byTheme.set(themeId, [...(byTheme.get(themeId) ?? []), i]);
	}
	return [...byTheme].map(([id, list]) => [
		id,
		[...list.filter((i) => i.key), ...list.filter((i) => !i.key)].slice(0, CHARTS_PER_THEME)
	]);
}

/**
 * Per next step the final evaluation the report tells: the one of the chosen phase, else its latest final one
 * earlier in the school year (a phase is evaluated at its end, so the current one rarely has one yet).
 */
function stepEvaluations({ input, progress }: ProgressContext) {
	const { period } = progress;
	const phases = (period.schoolYear?.phases ?? []).filter((p) => p.start <= period.window.end);
	const order = new Map(phases.map((p, n) => [p.id, n]));
	const chosen = new Map<number, { nextStepId: number; phaseId: number }>();
	for (const e of input.evaluations) {
		if (e.state !== 'final' || !order.has(e.phaseId)) continue;
		const best = chosen.get(e.nextStepId);
		if (!best || order.get(e.phaseId)! > order.get(best.phaseId)!)
			chosen.set(e.nextStepId, { nextStepId: e.nextStepId, phaseId: e.phaseId });
	}
	return chosen;
}

export interface EvaluationStory {
	phaseId: number;
	status: string | null;
	done: string;
	story: string;
	learnings: string;
	decision: string | null;
	followUps: { description: string; owner: string; deadline: string; done: boolean }[];
}

/** The rows of listFinalWithFollowUps (one per follow-up) as one story per next step. */
function evaluationStories(rows: Awaited<ReturnType<typeof listFinalWithFollowUps>>) {
	const byStep = new Map<number, EvaluationStory>();
	for (const r of rows) {
		let e = byStep.get(r.next_step_id);
		if (!e) {
			e = {
				phaseId: r.phase_id,
				status: r.status,
				done: r.done,
				story: r.story,
				learnings: r.learnings,
				decision: r.decision,
				followUps: []
			};
			byStep.set(r.next_step_id, e);
		}
		if (r.follow_up_id !== null)
			e.followUps.push({
				description: r.description ?? '',
				owner: r.owner ?? '',
				deadline: r.deadline ?? '',
				done: r.follow_up_done === 1
			});
	}
	return byStep;
}

function present(
	programme: Programme,
	ctx: ProgressContext,
	told: ReadonlyMap<number, EvaluationStory>,
	withCharts: boolean
) {
	const { input, progress } = ctx;
	const period = progress.period;
	const yearPhases = new Set((period.schoolYear?.phases ?? []).map((p) => p.id));
	const phase = new Map(input.phases.map((p) => [p.id, p]));
	const byCode = new Map(progress.indicators.map((i) => [i.code, i]));
	const candidates = new Map(chartCandidates(input.indicators, input));
	// the report's curves cover the chosen school year and the one before (recentSince); the indicator page has it all
	const since = recentSince(period.window.end);
	const themes = progress.themes.map((t) => {
		const steps = input.nextSteps.filter((s) => s.parentId === t.id);
		const stepIds = steps.map((s) => s.id);
		const numeric = t.indicators.map((code) => byCode.get(code)!).filter((i) => i.unit !== 'text');
		const charts = (withCharts ? (candidates.get(t.id) ?? []) : [])
			.map((ind) => {
				const curve = curveOf(ind, input, ind.derived ? [] : (ctx.histories.get(ind.id) ?? []), ctx.today, since);
				return { code: ind.code, name: ind.name, unit: ind.unit, curve, text: curveText(curve, ind.unit) };
			})
			.filter((c) => c.curve.points.length > 0);
		return {
			...t,
			rows: t.indicators.map((code) => byCode.get(code)!),
			charts,
			/** numeric indicators of the theme without a chart: in the table only */
			withoutChart: numeric.length - charts.length,
			steps: steps.map((s) => {
				const e = told.get(s.id);
				return { id: s.id, title: s.title, evaluation: e ? { ...e, phase: phase.get(e.phaseId)!.name } : null };
			}),
			evaluations: input.evaluations
				.filter(
					(e) =>
						e.state === 'final' &&
						stepIds.includes(e.nextStepId) &&
						yearPhases.has(e.phaseId) &&
						phase.get(e.phaseId)!.start <= period.window.end
				)
				.map((e) => ({
					phase: phase.get(e.phaseId)!.name,
					start: phase.get(e.phaseId)!.start,
					step: steps.find((s) => s.id === e.nextStepId)!.title,
					status: e.status,
					decision: e.decision
				}))
				.sort((a, b) => a.start.localeCompare(b.start)),
			stories: ctx.stories
				.filter((s) => stepIds.includes(s.nextStepId))
				.map((s) => ({ id: s.id, date: s.date, quote: s.quote, demo: s.demo }))
		};
	});
	return {
		programme: {
			slug: programme.slug,
			name: programme.name,
			description: programme.description,
			start: programme.start_date
		},
		generatedOn: todayIso(),
		selection: selectionOf(ctx),
		/** the one-page summary on top (the dashboard's "Op koers?" band) */
		summary: summaryOf(ctx),
		/** region and period in words: the page's heading and the PDF's footer */
		heading: {
			where: ctx.region?.name ?? 'het hele programma',
			when: period.phase
				? `${period.phase.name} ${period.schoolYear?.name ?? ''}`.trim()
				: period.schoolYear
					? `schooljaar ${period.schoolYear.name}`
					: 'alle gegevens',
			/** "Alleen meisje (geslacht)": never mistaken for the total */
			category: ctx.category ? categoryHeading(ctx.category) : null
		},
		regions: regionOptions(ctx),
		schoolYears: periodOptions(ctx.schoolYears),
		kompas: {
			ambitions: input.ambitions.map((a) => a.title),
			outcomes: input.outcomes.map((o) => o.title),
			themes: input.themes.map((t) => ({
				number: t.number,
				title: t.title,
				nextSteps: input.nextSteps
					.filter((s) => s.parentId === t.id)
					.map((s) => ({
						title: s.title,
						solutions: input.solutions.filter((o) => o.parentId === s.id).map((o) => o.title)
					}))
			}))
		},
		beleid: progress.beleid,
		themes,
		chartsPerTheme: CHARTS_PER_THEME,
		curveYears: RECENT_YEARS,
		/** the regions as coverage texts name them (coverage-text.ts) */
		coverageRegions: ctx.regions.map((r) => ({ id: r.id, slug: r.slug, name: r.name, kind: r.kind })),
		texts: {
			...figureTexts(ctx),
			/** per indicator code its gaps between categories, one line per dimension (the totals' page only) */
			gaps: withCharts && !ctx.category ? gapsOf(programme, ctx) : {}
		}
	};
}

/** The gaps between categories of every split indicator (category-gaps.ts), shown beside its total. */
function gapsOf(programme: Programme, ctx: ProgressContext): Record<string, string[]> {
	const { input } = ctx;
	return Object.fromEntries(
		gapCandidates(input.indicators).map((i) => [
			i.code,
			categoryGaps(i, input, ctx.histories.get(i.id) ?? [], ctx.dimensions, programme.min_group_size).map((g) => g.text)
		])
	);
}

export type ReportView = ReturnType<typeof present>;

/** A column of a report table: its key in the rows, header, width in Excel, and how its values are written. */
export interface ReportColumn {
	key: string;
	header: string;
	width: number;
	kind: 'text' | 'number' | 'percent' | 'date' | 'bool';
}

/** A cell's value before it is written; absent and null are empty cells. */
export type ReportValue = string | number | boolean | null | undefined;

/** One table of the report as a file: a CSV each, a sheet each in the XLSX. */
export interface ReportTable {
	/** the CSV's `?tabel=` value */
	name: (typeof REPORT_TABLES)[number];
	sheet: string;
	columns: readonly ReportColumn[];
	rows: Record<string, ReportValue>[];
}

export const REPORT_TABLES = ['indicatoren', 'themas', 'evaluaties', 'verhalen', 'buiten-fasen'] as const;

/** The kind of number a figure is: a cumulative indicator's latest value, or a per-period one's school-year sum. */
export const VALUE_KIND = { latest: 'laatste meting', running: 'opgeteld dit schooljaar' } as const;

const col = (key: string, header: string, width: number, kind: ReportColumn['kind'] = 'text'): ReportColumn => ({
	key,
	header,
	width,
	kind
});
/** status and trend in a file: the words without the icon or arrow (on-track.ts) */
const statusWord = (status: Status | null) => (status === null ? UNDETERMINED : STATUS_LABEL[status]);
const trendWord = (trend: Trend | null) => (trend === null ? 'geen trend' : TREND_LABEL[trend]);
const label = (labels: Readonly<Record<string, string | undefined>>, v: string | null) =>
	v === null ? null : (labels[v] ?? v);

/**
 * The report as tables, what the CSV and XLSX downloads hold: the indicators (Beleid first, then per theme),
 * the theme cards, the final evaluation decisions and the shareable stories, for the report's selection.
 */
export function reportTables(view: ReportView): ReportTable[] {
	const tables = totalTables(view);
	const only = view.heading.category;
	if (only === null) return tables;
	// under a breakdown every table says whose figures it holds (so a file is never mistaken for the total),
	// the indicators why a figure is left out; added after the existing columns, which keep their places
	const why = view.texts.indicators;
	return tables.map((t) => ({
		...t,
		columns: [
			...t.columns,
			col('uitsplitsing', 'uitsplitsing', 26),
			...(t.name === 'indicatoren' ? [col('nietGetoond', 'geen cijfer want', 26)] : [])
		],
		rows: t.rows.map((r) => ({
			...r,
			uitsplitsing: only,
			...(t.name === 'indicatoren' ? { nietGetoond: why[String(r.code)]?.category ?? null } : {})
		}))
	}));
}

function totalTables(view: ReportView): ReportTable[] {
	const selection = {
		regio: view.selection.region?.name ?? 'hele programma',
		periode: view.selection.phaseName
			? `${view.selection.phaseName} ${view.selection.schoolYear}`
			: (view.selection.schoolYear ?? 'alles')
	};
	const where = [col('regio', 'regio', 20), col('periode', 'periode', 22)];
	/** people reached, as the theme table and the summer bucket both give them */
	const reach = [
		col('jongeren', 'bereikt: jongeren', 10, 'number'),
		col('ouders', 'bereikt: ouders', 10, 'number'),
		col('professionals', 'bereikt: professionals', 10, 'number'),
		col('bereikt', 'bereikt: totaal', 10, 'number')
	];
	const indicator = (i: IndicatorFigure, theme: { title: string; progress: number | null } | null, level: string) => {
		const shown = i.latest ?? i.stale;
		return {
			...selection,
			thema: theme?.title ?? level,
			themavoortgang: theme?.progress ?? null,
			code: i.code,
			indicator: i.name,
			eenheid: UNIT_LABEL[i.unit],
			soort: i.perPeriod ? VALUE_KIND.running : VALUE_KIND.latest,
			waarde: i.latest?.value ?? null,
			datum: i.latest?.date ?? null,
			n: i.latest?.n ?? null,
			bron: i.latest?.source ?? null,
			dekking: coverageLine(i.latest, {
				regions: view.coverageRegions,
				regionName: view.selection.region?.name ?? null,
				derived: i.derived
			}),
			waardeDemo: shown ? shown.demo : null,
			// nothing counts but an older value exists: shown apart, with its date
			verouderd: shown ? i.latest === null : null,
			verouderdeWaarde: i.latest ? null : (i.stale?.value ?? null),
			verouderdeDatum: i.latest ? null : (i.stale?.date ?? null),
			nulmeting: i.baseline?.value ?? null,
			nulmetingDatum: i.baseline?.date ?? null,
			nulmetingRegio: i.baseline ? scopeName(i.baseline.region) : null,
			nulmetingDemo: i.baseline ? i.baseline.demo : null,
			streefwaarde: i.target?.value ?? null,
			streefDatum: i.target?.date ?? null,
			streefDemo: i.target ? i.target.demo : null,
			voortgang: i.progress,
			verwacht: i.expected,
			koers: i.unit === 'text' ? null : statusWord(i.status),
			trend: trendWord(i.trend),
			// what the trend compares the value with
			vorigeWaarde: i.trendBasis?.previous.value ?? null,
			vorigeDatum: i.trendBasis?.previous.date ?? null,
			vergelijkbaar: i.comparability.comparable ? 'vergelijkbaar' : i.comparability.label,
			afgeleid: i.derived,
			waarschuwing: i.warning
		};
	};
	/** the area a baseline was measured for, by name */
	const scopeName = (scope: string | null) =>
		scope === null
			? 'dit programma'
			: scope === NATIONAL
				? 'Nederland (landelijk)'
				: (view.coverageRegions.find((r) => r.slug === scope)?.name ?? scope);
	/** every numeric indicator of the report with its theme, or for the Beleid ones its level: Beleid first */
	const numeric = [
		...view.beleid.map((b) => ({
			i: b.indicator,
			t: null,
			level: b.indicator.node.level === 'ambition' ? 'Ambitie' : 'Maatschappelijk resultaat'
		})),
		...view.themes.flatMap((t) => t.rows.filter((i) => i.unit !== 'text').map((i) => ({ i, t, level: 'Thema' })))
	];
	return [
		{
			name: 'indicatoren',
			sheet: 'Indicatoren',
			columns: [
				...where,
				col('thema', 'thema', 30),
				col('themavoortgang', 'voortgang thema', 14, 'percent'),
				col('code', 'code', 22),
				col('indicator', 'indicator', 40),
				col('eenheid', 'eenheid', 10),
				col('soort', 'soort waarde', 22),
				col('waarde', 'waarde', 11, 'number'),
				col('datum', 'datum waarde', 14, 'date'),
				col('n', 'n', 8, 'number'),
				col('bron', 'bron waarde', 24),
				col('dekking', 'dekking', 50),
				col('waardeDemo', 'waarde demo', 10, 'bool'),
				col('verouderd', 'verouderd', 10, 'bool'),
				col('verouderdeWaarde', 'verouderde waarde', 11, 'number'),
				col('verouderdeDatum', 'datum verouderde waarde', 14, 'date'),
				col('nulmeting', 'nulmeting', 11, 'number'),
				col('nulmetingDatum', 'datum nulmeting', 14, 'date'),
				col('nulmetingRegio', 'nulmeting gemeten voor', 16),
				col('nulmetingDemo', 'nulmeting demo', 10, 'bool'),
				col('streefwaarde', 'streefwaarde', 12, 'number'),
				col('streefDatum', 'datum streefwaarde', 14, 'date'),
				col('streefDemo', 'streefwaarde demo', 10, 'bool'),
				col('voortgang', 'voortgang', 11, 'percent'),
				col('vergelijkbaar', 'vergelijkbaarheid', 30),
				col('afgeleid', 'afgeleid uit acties', 10, 'bool'),
				col('waarschuwing', 'waarschuwing', 30),
				// added after the existing columns, so a spreadsheet that refers to them by position still works
				col('verwacht', 'verwachte voortgang', 11, 'percent'),
				col('koers', 'status', 20),
				col('trend', 'trend', 10),
				col('vorigeWaarde', 'vorige waarde (trend)', 11, 'number'),
				col('vorigeDatum', 'datum vorige waarde', 14, 'date')
			],
			rows: numeric.map(({ i, t, level }) => indicator(i, t, level))
		},
		{
			name: 'themas',
			sheet: "Thema's",
			columns: [
				...where,
				col('nummer', 'nummer', 8, 'number'),
				col('thema', 'thema', 30),
				col('voortgang', 'voortgang', 11, 'percent'),
				col('status', 'laatste evaluatie: status', 18),
				col('besluit', 'laatste evaluatie: besluit', 18),
				col('evaluatieFase', 'laatste evaluatie: fase', 18),
				col('acties', 'acties', 9, 'number'),
				...reach,
				col('zonderData', 'indicatoren zonder data', 12, 'number'),
				col('indicatoren', 'indicatoren', 10, 'number'),
				col('recent', 'indicatoren met recente gegevens', 12, 'number'),
				col('verwacht', 'verwachte voortgang', 11, 'percent'),
				col('koers', 'status', 20),
				col('trend', 'trend', 10),
				col('trends', 'trends van de indicatoren', 24),
				col('dekking', 'dekking', 34)
			],
			rows: view.themes.map((t) => ({
				...selection,
				nummer: t.number,
				thema: t.title,
				voortgang: t.progress,
				verwacht: t.expected,
				koers: t.status === null ? null : statusWord(t.status),
				trend: trendWord(t.trend),
				trends: `${t.trends.beter} beter, ${t.trends.gelijk} gelijk, ${t.trends.slechter} slechter`,
				dekking: freshText(t.indicatorsFresh, t.indicatorCount),
				status: label(EVALUATION_STATUS_LABEL, t.evaluation?.status ?? null),
				besluit: label(DECISION_LABEL, t.evaluation?.decision ?? null),
				evaluatieFase: t.evaluation?.phaseName ?? null,
				acties: t.actions,
				jongeren: t.reached.jongeren,
				ouders: t.reached.ouders,
				professionals: t.reached.professionals,
				bereikt: t.reached.total,
				zonderData: t.indicatorsWithoutData,
				indicatoren: t.indicatorCount,
				recent: t.indicatorsFresh
			}))
		},
		{
			name: 'evaluaties',
			sheet: 'Evaluaties',
			columns: [
				...where,
				col('thema', 'thema', 30),
				col('vervolgstap', 'vervolgstap', 40),
				col('fase', 'fase', 16),
				col('status', 'status', 16),
				col('besluit', 'besluit', 14)
			],
			rows: view.themes.flatMap((t) =>
				t.evaluations.map((e) => ({
					...selection,
					thema: t.title,
					vervolgstap: e.step,
					fase: e.phase,
					status: label(EVALUATION_STATUS_LABEL, e.status),
					besluit: label(DECISION_LABEL, e.decision)
				}))
			)
		},
		{
			name: 'verhalen',
			sheet: 'Verhalen',
			columns: [
				...where,
				col('thema', 'thema', 30),
				col('datum', 'datum', 12, 'date'),
				col('verhaal', 'verhaal (deelbaar)', 80),
				col('demo', 'demo', 8, 'bool')
			],
			rows: view.themes.flatMap((t) =>
				t.stories.map((st) => ({ ...selection, thema: t.title, datum: st.date, verhaal: st.quote, demo: st.demo }))
			)
		},
		{
			name: 'buiten-fasen',
			sheet: 'Buiten de fasen',
			columns: [
				...where,
				col('soort', 'soort', 10),
				col('thema', 'thema', 30),
				col('code', 'code', 22),
				col('indicator', 'indicator', 40),
				col('eenheid', 'eenheid', 10),
				col('waarde', 'waarde', 11, 'number'),
				col('datum', 'datum (nieuwste)', 14, 'date'),
				col('n', 'n', 8, 'number'),
				col('demo', 'demo', 8, 'bool'),
				col('acties', 'acties', 9, 'number'),
				...reach
			],
			// what the school year holds between its phases (the summer): counted in no phase, shown apart
			rows: [
				...view.themes
					.filter((t) => t.outsidePhases.actions > 0)
					.map((t) => ({
						...selection,
						soort: 'acties',
						thema: t.title,
						acties: t.outsidePhases.actions,
						jongeren: t.outsidePhases.reached.jongeren,
						ouders: t.outsidePhases.reached.ouders,
						professionals: t.outsidePhases.reached.professionals,
						bereikt: t.outsidePhases.reached.total
					})),
				...numeric.flatMap(({ i, t, level }) =>
					i.outsidePhases
						? [
								{
									...selection,
									soort: 'waarde',
									thema: t?.title ?? level,
									code: i.code,
									indicator: i.name,
									eenheid: UNIT_LABEL[i.unit],
									waarde: i.outsidePhases.value,
									datum: i.outsidePhases.date,
									n: i.outsidePhases.n,
									demo: i.outsidePhases.demo
								}
							]
						: []
				)
			]
		}
	];
}
