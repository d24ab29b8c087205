import type { Programme } from '../db/schema.ts';
import type { Conn } from '../db/types.ts';
import type { ProgrammeContext } from '../request-context.ts';
import type { ActionGroup } from '../../domain/action-figures.ts';
import { choosePeriod, type Period, type PeriodSchoolYear } from '../../domain/period.ts';
import type { PhaseSpan } from '../../domain/phase-calendar.ts';
import { validFrom } from '../../domain/validity.ts';
import {
	computeProgress,
	type ProgrammeProgress,
	type ProgressIndicator,
	type ProgressInput,
	type ProgressNode,
	type ProgressRegion
} from '../../domain/programme-progress.ts';
import { liveTree, nodeOfIndicator } from '../../domain/plan-tree.ts';
import { isPerPeriod, subtree, type Coverage, type Observation, type Rolled } from '../../domain/rollup.ts';
import * as repo from '../repositories/progress.repository.ts';
import { ensureCurrentSchoolYear } from './phase.service.ts';
import { todayIso } from '../../domain/dutch-format.ts';
import { parseDerivedRule, parsePeriodTargets } from '../../domain/plan.schema.ts';
import { EVALUATION_STATES, EVALUATION_STATUSES } from '../../domain/evaluation.ts';
import { invalid, ok, refuse, type Result } from '../../domain/result.ts';
import { placementOf } from '../../domain/system-map.ts';
import {
	parseCategories,
	parseCategoryTargets,
	parseDimensions,
	parseIndicatorDimensions,
	throughCategory,
	type Dimension
} from '../../domain/breakdown.ts';
import { withReachSplit } from '../../domain/derived.ts';
import { categoryHeading, categoryPlan, chooseCategory, type ChosenCategory } from '../../domain/category-progress.ts';

export type {
	ProgrammeProgress,
	ThemeProgress,
	NextStepProgress,
	IndicatorFigure,
	BeleidFigure
} from '../../domain/programme-progress.ts';

/**
 * Progress of a programme for a region and a phase or school year: the numbers behind the dashboard, the
 * funder report, the progress API and evaluation snapshots. A fixed number of queries whatever the size:
 * the frame, the indicators, the approved measurement figures and the action log's groups (plus the
 * stories when asked for).
 */

export interface ProgressSelection {
	/** region slug; absent or null = the whole programme */
	region?: string | null;
	/**
	 * a phase id ("12") or a school year ("2024-2025"); absent = the phase of today (or the latest started),
	 * after making sure today's school year exists (ensureCurrentSchoolYear), so the default does not depend on
	 * whether someone opened the phases first
	 */
	phase?: string | null;
	/** YYYY-MM-DD, default today */
	today?: string;
	/**
	 * one category, `geslacht:meisje` (category-progress.ts chooseCategory reads it from a URL): every figure
	 * is then the category's; absent or null = the totals
	 */
	category?: string | null;
}

export interface ProgressOptions {
	/** the indicator whose every value (up to the school year's end) is wanted for its chart: a code, or a choice from the plan */
	series?: string | null | ((indicators: readonly ProgressIndicator[]) => string | null);
	/**
	 * the indicators whose every value (up to the school year's end) is wanted for their curves and sparklines;
	 * `tree` places an indicator in its theme (placeOf)
	 */
	histories?: (
		indicators: readonly ProgressIndicator[],
		tree: { nextSteps: readonly ProgressNode[]; solutions: readonly ProgressNode[] }
	) => readonly ProgressIndicator[];
	/**
	 * the first day the `histories` are drawn from (curve.ts `since`): values that cannot be valid by then are
	 * not read (validity.ts validFrom); absent = every value
	 */
	historySince?: (period: Period) => string;
	/** quotes from the action log: the newest `perStep` per next step, shareable ones only if `publicOnly` */
	stories?: { publicOnly: boolean; perStep: number };
	/** false: no trends, and the values before each latest (what they compare) are not read */
	trend?: boolean;
	/** the `histories` values carry their categories (`Observation.categories`): for the gaps between categories */
	historyCategories?: boolean;
}

export interface Story {
	id: number;
	date: string;
	nextStepId: number;
	regionId: number;
	quote: string;
	shareable: boolean;
	demo: boolean;
}

/** Everything loaded for one selection; pages that draw more than progress use the parts. */
export interface ProgressContext {
	input: ProgressInput;
	/** the day the period was chosen for (YYYY-MM-DD) */
	today: string;
	progress: ProgrammeProgress;
	regions: ProgressRegion[];
	region: ProgressRegion | null;
	schoolYears: PeriodSchoolYear[];
	/** every approved value of the `series` indicator, by region */
	series: { indicator: ProgressIndicator; observations: Observation[] } | null;
	/** every approved value of the `histories` indicators (derived ones: none, their values are the action log's), by indicator id */
	histories: ReadonlyMap<number, Observation[]>;
	stories: Story[];
	/** the newest approved measurement or live action on or before the period's end in the region's subtree */
	lastData: string | null;
	/** the category every figure is of (null = the totals), with the programme's smallest group shown */
	category: (ChosenCategory & { minGroupSize: number }) | null;
	/** the programme's dimensions (what a breakdown may choose from) */
	dimensions: Dimension[];
}

/**
 * A value of a column that holds only `values` (the services write it through a zod enum; schema.ts types it
 * so), typed again after the frame's union has made it a string.
 */
function oneOf<T extends string>(values: readonly T[], v: string | null): T {
	const known = values.find((x) => x === v);
	if (known === undefined) throw new Error(`unexpected value in the database: ${v}`);
	return known;
}

/** A selection the programme does not have: 400, on the query parameter that names it. */
const unknownSelection = (path: string, message: string) => invalid([{ path, message }], message);

function parseFrame(rows: repo.FrameRow[]) {
	const of = (k: repo.FrameKind) => rows.filter((r) => r.kind === k).sort((a, b) => a.sort - b.sort || a.id - b.id);
	const node = (r: repo.FrameRow): ProgressNode => ({
		id: r.id,
		code: r.code ?? '',
		title: r.title ?? '',
		parentId: r.parent
	});
	const placed = (r: repo.FrameRow) =>
		placementOf({ level: r.a === null ? null : Number(r.a), perspectives: r.b, trend: r.c });
	const phases = of('phase').map((r) => ({
		id: r.id,
		yearId: r.parent!,
		name: r.title!,
		start: r.a!,
		end: r.b!,
		evaluationDate: r.c!
	}));
	phases.sort((a, b) => a.start.localeCompare(b.start));
	return {
		regions: of('region').map((r): ProgressRegion => ({
			id: r.id,
			parentId: r.parent,
			slug: r.code!,
			name: r.title!,
			kind: r.a ?? ''
		})),
		schoolYears: of('school_year').map((y): PeriodSchoolYear => ({
			id: y.id,
			name: y.title!,
			phases: phases.filter((p) => p.yearId === y.id)
		})),
		phases,
		ambitions: of('ambition').map(node),
		outcomes: of('outcome').map(node),
		themes: of('theme').map((r) => ({ ...node(r), number: r.ref ?? 0, placement: placed(r) })),
		nextSteps: of('next_step').map((r) => ({ ...node(r), placement: placed(r) })),
		solutions: of('solution').map(node),
		evaluations: of('evaluation').map((r) => ({
			nextStepId: r.parent!,
			phaseId: r.ref!,
			state: oneOf(EVALUATION_STATES, r.a),
			status: r.b === null ? null : oneOf(EVALUATION_STATUSES, r.b),
			decision: r.c
		}))
	};
}

type Frame = ReturnType<typeof parseFrame>;
type IndicatorRow = Awaited<ReturnType<typeof repo.listIndicators>>[number];

/**
 * The frame and indicators without what an archived node takes with it: next steps of an archived theme,
 * solutions below an archived step, their evaluations and every indicator below an archived node (the
 * queries leave out only rows archived themselves; liveTree is the one rule).
 */
function live(frame: Frame, indicatorRows: IndicatorRow[]) {
	const tree = liveTree({
		ambitions: frame.ambitions,
		outcomes: frame.outcomes,
		themes: frame.themes,
		nextSteps: frame.nextSteps.map((s) => ({ id: s.id, theme_id: s.parentId! })),
		solutions: frame.solutions.map((s) => ({ id: s.id, next_step_id: s.parentId! })),
		indicators: indicatorRows
	});
	return {
		frame: {
			...frame,
			nextSteps: frame.nextSteps.filter((s) => tree.nextStepIds.has(s.id)),
			solutions: frame.solutions.filter((s) => tree.solutionIds.has(s.id)),
			evaluations: frame.evaluations.filter((e) => tree.nextStepIds.has(e.nextStepId))
		},
		indicatorRows: tree.indicators
	};
}

/** The school years the period is chosen from, today's among them (created from the template when missing). */
async function withCurrentSchoolYear(
	db: Conn,
	programme: Programme,
	frameRows: repo.FrameRow[],
	today: string
): Promise<Frame> {
	const frame = parseFrame(frameRows);
	const known = { schoolYears: frame.schoolYears.map((y) => y.name), phases: frame.phases };
	// the common case (it exists) costs no query; creating it happens once per programme and school year
	return (await ensureCurrentSchoolYear(db, programme, today, known))
		? parseFrame(await repo.loadFrame(db, [programme.id]))
		: frame;
}

function toIndicator(i: IndicatorRow, dimensions: readonly Dimension[]): ProgressIndicator {
	const { level, id } = nodeOfIndicator(i);
	return {
		id: i.id,
		code: i.code,
		name: i.name,
		kind: i.kind,
		unit: i.unit,
		direction: i.direction,
		frequency: i.frequency,
		aggregation: i.aggregation,
		source: i.source,
		node: { level, id: id! },
		baseline:
			i.baseline_value === null
				? null
				: {
						value: i.baseline_value,
						date: i.baseline_date,
						source: i.baseline_source,
						demo: i.baseline_demo === 1,
						region: i.baseline_region
					},
		target: i.target_value === null ? null : { value: i.target_value, date: i.target_date, demo: i.target_demo === 1 },
		targets: parsePeriodTargets(i.targets).map(({ date, value }) => ({ date, value })),
		derived: withReachSplit(parseDerivedRule(i.derived), parseIndicatorDimensions(i.dimensions), dimensions),
		validMonths: i.valid_months,
		comparable: i.comparable === 1,
		key: i.key_indicator === 1,
		// a derived one is split only by target group, its reach per group coming from the action log (derived.ts)
		splitBy: parseIndicatorDimensions(i.dimensions)
	};
}

/**
 * The chosen category and, per indicator, its plan as the category sees it: split by the category's
 * dimension, its category's baseline and target (none of its own: none); not split, no plan at all (it shows
 * no figure). Derived indicators are not split: their values are the action log's totals.
 */
function categoryOf(programme: Programme, rows: IndicatorRow[], indicators: ProgressIndicator[], key: string) {
	const [dimensionKey, valueKey] = key.split(':');
	const dimension = parseDimensions(programme.dimensions).find((d) => d.key === dimensionKey);
	const value = dimension?.values.find((v) => v.key === valueKey);
	if (!dimension || !value) return null;
	const split = new Set(
		rows.filter((r) => parseIndicatorDimensions(r.dimensions).includes(dimension.key)).map((r) => r.id)
	);
	const targetsOf = new Map(rows.map((r) => [r.id, r.category_targets]));
	return {
		chosen: { dimension, value, key, minGroupSize: programme.min_group_size },
		split,
		indicators: indicators.map((i) =>
			split.has(i.id)
				? categoryPlan(i, parseCategoryTargets(targetsOf.get(i.id) ?? null), key)
				: { ...i, baseline: null, target: null, targets: [] }
		)
	};
}

const maxDate = (a: string, b: string | undefined) => (b !== undefined && b > a ? b : a);

function add(map: Map<number, Observation[]>, id: number, o: Observation) {
	const list = map.get(id);
	if (list) list.push(o);
	else map.set(id, [o]);
}

/**
 * The approved values per indicator (what can count for the period), the values before each region's latest
 * (for the trend) and the chart's indicator's every value.
 */
function toValues(
	rows: repo.FigureRow[],
	perPeriodIds: ReadonlySet<number>,
	category: string | null
): { values: Map<number, Observation[]>; previous: Map<number, Observation[]>; raw: Map<number, Observation[]> } {
	const values = new Map<number, Observation[]>();
	const previous = new Map<number, Observation[]>();
	const raw = new Map<number, Observation[]>();
	for (const r of rows) {
		const total: Observation = {
			regionId: r.region_id,
			date: r.date,
			value: r.value,
			n: r.n,
			source: r.source,
			demo: r.demo === 1
		};
		if (r.kind === 'newest_action') continue;
		// one category: the measurement seen through it (the query read only those that have it)
		const categories = r.categories ? parseCategories(r.categories) : null;
		const o =
			category === null
				? categories
					? { ...total, categories }
					: total
				: throughCategory([{ ...total, categories: categories ?? [] }], category)[0];
		if (!o) continue;
		if (r.kind === 'raw') add(raw, r.indicator_id, o);
		else if (r.kind === 'previous') add(previous, r.indicator_id, o);
		// a per-period indicator counts its days' sums, a cumulative one its latest value per region
		else if ((r.kind === 'day') === perPeriodIds.has(r.indicator_id)) add(values, r.indicator_id, o);
	}
	return { values, previous, raw };
}

const toGroup = (g: Awaited<ReturnType<typeof repo.loadActionGroups>>[number]): ActionGroup => ({
	date: g.date,
	nextStepId: g.next_step_id,
	solutionId: g.solution_id,
	kind: g.kind,
	regionId: g.region_id,
	actions: Number(g.actions),
	jongeren: Number(g.jongeren),
	ouders: Number(g.ouders),
	professionals: Number(g.professionals),
	demo: Number(g.demo) === 1
});

/** The first date a history from `since` needs for all of these indicators; null = from the beginning. */
function historyStart(
	indicators: readonly ProgressIndicator[],
	since: string | null,
	phases: readonly PhaseSpan[]
): string | null {
	if (since === null) return null;
	let start = since;
	for (const i of indicators) {
		const from = validFrom(since, { frequency: i.frequency, validMonths: i.validMonths, targetDate: null }, phases);
		if (from === null) return null;
		if (from < start) start = from;
	}
	return start;
}

/**
 * The category a page's or the API's query asks for (`?geslacht=meisje`), checked against the programme's
 * dimensions: its key for ProgressSelection.category, null for the totals, or 400 `invalid_filter`.
 * `reserved`: the parameters that are the view's own (regio, fase …).
 */
export function categoryFilter(
	programme: Pick<Programme, 'dimensions'>,
	params: Iterable<[string, string]>,
	reserved: readonly string[]
): Result<string | null> {
	const chosen = chooseCategory(params, parseDimensions(programme.dimensions), reserved);
	return chosen.ok ? ok(chosen.value?.key ?? null) : chosen;
}

/** Everything for one selection, in four or five queries (a few more once, when today's school year is created). */
export async function loadProgress(
	{ db, programme }: ProgrammeContext,
	selection: ProgressSelection = {},
	options: ProgressOptions = {}
): Promise<Result<ProgressContext>> {
	const [loaded] = await loadProgresses(db, [programme], selection, options);
	return loaded;
}

/**
 * The same selection for several programmes in the same four queries (the overview): each programme's frame,
 * indicators, figures and action groups come back in one query each, whatever the number of programmes.
 * Stories, when asked for, cost one query per programme (only a single programme's pages ask).
 */
export async function loadProgresses(
	db: Conn,
	programmes: readonly Programme[],
	selection: ProgressSelection = {},
	options: ProgressOptions = {}
): Promise<Result<ProgressContext>[]> {
	if (programmes.length === 0) return [];
	if (programmes.length > 1 && (selection.region || selection.category || options.series || options.histories))
		throw new Error('loadProgresses: a region, category, series or histories select within one programme');
	const ids = programmes.map((p) => p.id);
	const [frameRows, allIndicatorRows] = await Promise.all([repo.loadFrame(db, ids), repo.listIndicators(db, ids)]);
	const today = selection.today ?? todayIso();
	const prepared: Result<Prepared>[] = [];
	for (const programme of programmes)
		prepared.push(
			prepare(
				programme,
				await withCurrentSchoolYear(
					db,
					programme,
					frameRows.filter((r) => r.programme === programme.id),
					today
				),
				allIndicatorRows.filter((i) => i.programme_id === programme.id),
				{ ...selection, today },
				options
			)
		);
	const ready = prepared.flatMap((p) => (p.ok ? [p.value] : []));
	if (ready.length === 0) return prepared as Result<ProgressContext>[];
	// a region, series and histories belong to a single programme's read (refused above for several)
	const regionIds = ready.length === 1 ? ready[0].regionIds : null;
	const raw = ready.length === 1 ? ready[0].raw : undefined;
	const [figureRows, groupRows, storyRows] = await Promise.all([
		repo.loadFigures(db, {
			windows: ready.map((p) => p.figures),
			regionIds,
			perPeriodIds: ready.flatMap((p) => [...p.perPeriodIds]),
			previous: options.trend !== false,
			raw,
			category: ready.length === 1 ? (ready[0].category?.chosen.key ?? null) : null
		}),
		// to the school year's 31 July once its last phase is chosen: the summer's actions count apart
		repo.loadActionGroups(
			db,
			ready.map((p) => p.actions),
			regionIds
		),
		Promise.all(
			ready.map((p) =>
				options.stories
					? repo.loadStories(db, p.programme.id, {
							regionIds: p.regionIds,
							start: p.period.actions.start,
							end: p.period.actions.end,
							publicOnly: options.stories.publicOnly,
							perStep: options.stories.perStep
						})
					: Promise.resolve([])
			)
		)
	]);
	return prepared.map((p) => {
		if (!p.ok) return p;
		const k = ready.indexOf(p.value);
		const id = p.value.programme.id;
		return ok(
			assemble(
				p.value,
				figureRows.filter((r) => r.programme_id === id),
				groupRows.filter((g) => g.programme_id === id),
				storyRows[k],
				today
			)
		);
	});
}

/** One programme's selection checked and its windows chosen, before its figures are read. */
interface Prepared {
	programme: Programme;
	frame: Frame;
	indicators: ProgressIndicator[];
	region: ProgressRegion | null;
	regionIds: number[] | null;
	period: Period;
	perPeriodIds: Set<number>;
	seriesIndicator: ProgressIndicator | null;
	trend: boolean;
	category: NonNullable<ReturnType<typeof categoryOf>> | null;
	raw: { indicatorIds: number[]; start: string | null; end: string; categories: boolean };
	figures: repo.FigureWindow;
	actions: repo.ActionWindow;
}

function prepare(
	programme: Programme,
	currentFrame: Frame,
	allIndicatorRows: IndicatorRow[],
	selection: ProgressSelection & { today: string },
	options: ProgressOptions
): Result<Prepared> {
	const { today } = selection;
	const { frame, indicatorRows } = live(currentFrame, allIndicatorRows);
	const region = selection.region ? frame.regions.find((r) => r.slug === selection.region) : null;
	if (region === undefined) return unknownSelection('region', 'Onbekende regio voor dit programma');
	const period = choosePeriod(frame.schoolYears, selection.phase ?? null, today);
	if (!period) return unknownSelection('phase', 'Onbekende fase of onbekend schooljaar voor dit programma');

	const all = indicatorRows.map((i) => toIndicator(i, parseDimensions(programme.dimensions)));
	const category = selection.category ? categoryOf(programme, indicatorRows, all, selection.category) : null;
	if (category === null && selection.category) {
		const message = 'Onbekende uitsplitsing voor dit programma';
		const path = selection.category.split(':')[0];
		return refuse({ code: 'invalid_filter', status: 400, message, issues: [{ path, message }] });
	}
	const indicators = category?.indicators ?? all;
	const seriesCode = typeof options.series === 'function' ? options.series(indicators) : options.series;
	const seriesIndicator = seriesCode ? (indicators.find((i) => i.code === seriesCode) ?? null) : null;
	const historyOf = options.histories?.(indicators, frame) ?? [];
	const rawIndicators = [...new Set([seriesIndicator, ...historyOf])].filter(
		(i): i is ProgressIndicator => i !== null && !i.derived
	);
	const rawStart = historyStart(rawIndicators, options.historySince?.(period) ?? null, frame.phases);
	const perPeriodIds = new Set(indicators.filter((i) => isPerPeriod(i) && !i.derived).map((i) => i.id));
	const yearStart = period.outside?.start ?? period.window.start;
	const yearEnd = period.schoolYear?.phases.at(-1)?.end ?? period.window.end;
	return ok({
		programme,
		frame,
		indicators,
		region,
		regionIds: region ? subtree(frame.regions, region.id) : null,
		period,
		perPeriodIds,
		seriesIndicator,
		trend: options.trend !== false,
		category,
		raw: {
			indicatorIds: rawIndicators.map((i) => i.id),
			start: rawStart,
			end: yearEnd,
			// only when one of them is split: otherwise the query stays exactly the one without categories
			categories: options.historyCategories === true && rawIndicators.some((i) => i.splitBy?.length)
		},
		figures: {
			programmeId: programme.id,
			end: period.window.end,
			perPeriodStart: yearStart,
			perPeriodEnd: period.outside?.end ?? period.window.end
		},
		actions: { programmeId: programme.id, start: yearStart, end: maxDate(yearEnd, period.outside?.end) }
	});
}

function assemble(
	p: Prepared,
	figureRows: repo.FigureRow[],
	groupRows: Awaited<ReturnType<typeof repo.loadActionGroups>>,
	storyRows: Awaited<ReturnType<typeof repo.loadStories>>,
	today: string
): ProgressContext {
	const { programme, frame, indicators, region, period, perPeriodIds, seriesIndicator } = p;
	const { values, previous, raw } = toValues(figureRows, perPeriodIds, p.category?.chosen.key ?? null);
	const seriesObservations = seriesIndicator ? (raw.get(seriesIndicator.id) ?? []) : [];
	const lastData = figureRows
		.filter((r) => r.kind === 'latest' || r.kind === 'newest_action')
		.reduce<string | null>((last, r) => (last === null || r.date > last ? r.date : last), null);
	const input: ProgressInput = {
		programmeStart: programme.start_date,
		regions: frame.regions,
		phases: frame.phases,
		themes: frame.themes,
		nextSteps: frame.nextSteps,
		solutions: frame.solutions,
		ambitions: frame.ambitions,
		outcomes: frame.outcomes,
		indicators,
		evaluations: frame.evaluations,
		values,
		actionGroups: groupRows.map(toGroup),
		regionId: region?.id ?? null,
		period,
		previous,
		trend: p.trend,
		today,
		...(p.category
			? {
					category: {
						key: p.category.chosen.key,
						split: p.category.split,
						minGroupSize: p.category.chosen.minGroupSize
					}
				}
			: {})
	};
	return {
		input,
		today,
		progress: computeProgress(input),
		regions: frame.regions,
		region,
		schoolYears: frame.schoolYears,
		series: seriesIndicator ? { indicator: seriesIndicator, observations: seriesObservations } : null,
		histories: raw,
		lastData,
		category: p.category?.chosen ?? null,
		dimensions: parseDimensions(programme.dimensions),
		stories: storyRows.map((s) => ({
			id: s.id,
			date: s.date,
			nextStepId: s.next_step_id,
			regionId: s.region_id,
			quote: s.quote ?? '',
			shareable: s.quote_public === 1,
			demo: s.demo === 1
		}))
	};
}

/**
 * The progress of a programme for a region and period: per theme (and next step) the mean progress of its
 * indicators, latest final evaluation, actions and people reached; per indicator its rolled-up latest value
 * and progress. The one entry point for pages, API and evaluation snapshots.
 */
export async function programmeProgress(
	ctx: ProgrammeContext,
	selection: ProgressSelection = {}
): Promise<Result<ProgrammeProgress>> {
	const loaded = await loadProgress(ctx, selection);
	return loaded.ok ? ok(loaded.value.progress) : loaded;
}

/** The progress API's answer: the same numbers the dashboard shows, each dated, with what it covers. */
export function progressResponse(ctx: ProgressContext) {
	const { period } = ctx.progress;
	const slugOf = new Map(ctx.regions.map((r) => [r.id, r.slug]));
	const coverage = (c: Coverage | null) =>
		c && {
			aggregation: c.aggregation,
			used: c.used.map((id) => slugOf.get(id) ?? String(id)),
			leftOut: c.leftOut.map((l) => ({ region: slugOf.get(l.regionId) ?? String(l.regionId), reason: l.reason })),
			n: c.n,
			unweighted: c.unweighted
		};
	const datedOf = (v: Rolled) => ({ value: v.value, date: v.date, n: v.n, source: v.source, demo: v.demo });
	const dated = (v: Rolled | null) => v && datedOf(v);
	const keyIds = new Set(ctx.input.indicators.filter((i) => i.key).map((i) => i.id));
	const c = ctx.category;
	return {
		region: ctx.region ? { slug: ctx.region.slug, name: ctx.region.name } : null,
		category: c && {
			dimension: c.dimension.key,
			category: c.value.key,
			name: categoryHeading(c),
			minGroupSize: c.minGroupSize
		},
		schoolYear: period.schoolYear?.name ?? null,
		phase: period.phase
			? { id: period.phase.id, name: period.phase.name, start: period.phase.start, end: period.phase.end }
			: null,
		fresh: ctx.progress.fresh,
		outsidePhases: ctx.progress.outsidePhases,
		themes: ctx.progress.themes.map((t) => ({
			id: t.id,
			code: t.code,
			number: t.number,
			title: t.title,
			progress: t.progress,
			onTrack: t.status,
			expected: t.expected,
			trend: t.trend,
			trends: t.trends,
			status: t.evaluation?.status ?? null,
			decision: t.evaluation?.decision ?? null,
			evaluationPhase: t.evaluation ? { id: t.evaluation.phaseId, name: t.evaluation.phaseName } : null,
			actions: t.actions,
			reached: t.reached,
			indicators: t.indicatorCount,
			indicatorsWithoutData: t.indicatorsWithoutData,
			indicatorsFresh: t.indicatorsFresh,
			outsidePhases: t.outsidePhases
		})),
		indicators: ctx.progress.indicators
			.filter((i) => i.unit !== 'text')
			.map((i) => ({
				code: i.code,
				theme: i.themeId,
				perPeriod: i.perPeriod,
				/** the figure that counts: the latest value (cumulative) or the sum so far this school year (per period) */
				value: i.latest && {
					...datedOf(i.latest),
					own: i.latest.own,
					coverage: coverage(i.latest.coverage),
					phases: i.latest.phases?.map((p) => ({ phaseId: p.phaseId, value: p.value })) ?? null
				},
				stale: dated(i.stale),
				outsidePhases: dated(i.outsidePhases),
				baseline: i.baseline,
				target: i.target,
				progress: i.progress,
				expected: i.expected,
				status: i.status,
				trend: i.trend,
				trendBasis: i.trendBasis,
				key: keyIds.has(i.id),
				comparable: i.comparability.comparable,
				comparability: i.comparability.comparable ? null : i.comparability.label,
				warning: i.warning,
				suppressed: i.category && i.category !== 'not_split' ? i.category : null,
				notSplit: i.category === 'not_split'
			}))
	};
}
