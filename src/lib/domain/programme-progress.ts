import { derivedObservations, totals, type ActionGroup, type Reached } from './action-figures.ts';
import type { EvaluationState, EvaluationStatus } from './evaluation.ts';
import { phaseOf } from './phase-calendar.ts';
import type { NodeLevel } from './kompas.ts';
import type { DerivedComputation } from './derived.ts';
import { figurePeriod, inActionSpan, type Period } from './period.ts';
import type { Aggregation, Direction, Frequency, Unit } from './plan.schema.ts';
import { indicatorProgress, meanProgress, planningWarning } from './progress.ts';
import {
	balanceOf,
	expectedProgress,
	statusOf,
	trendOf,
	type PathPoint,
	type Status,
	type Trend,
	type TrendBalance
} from './on-track.ts';
import { addDays } from './phase-calendar.ts';
import { comparability, type Comparability } from './comparability.ts';
import type { Placement } from './system-map.ts';
import { figureSuppression } from './category-progress.ts';
import { throughCategory } from './category-view.ts';
import type { Suppression } from './small-groups.ts';
import {
	indicatorFigure,
	isPerPeriod,
	type Figure,
	type FigurePeriod,
	type FigureResult,
	type Observation,
	type RegionNode,
	type Rolled
} from './rollup.ts';

/**
 * A programme's progress for a region and period, assembled from plain rows: each indicator's value rolled
 * up over time and over the region's subtree (rollup.ts), its progress (progress.ts, the one definition),
 * and per theme the mean progress, latest final evaluation, actions and people reached.
 */

export interface ProgressRegion extends RegionNode {
	slug: string;
	name: string;
	kind: string;
}

export interface ProgressNode {
	id: number;
	code: string;
	title: string;
	/** theme of a next step, next step of a solution */
	parentId: number | null;
	/** a theme's or next step's place on the system map (system-map.ts); absent = none given */
	placement?: Placement;
}

export interface ProgressIndicator {
	id: number;
	code: string;
	name: string;
	kind: 'population' | 'programme';
	unit: Unit;
	direction: Direction;
	frequency: Frequency;
	aggregation: Aggregation;
	source: string;
	node: { level: NodeLevel; id: number };
	/** `region`: the area the baseline was measured for (a region slug, `nederland`), null = the programme's own */
	baseline: { value: number; date: string | null; source: string | null; demo: boolean; region: string | null } | null;
	target: { value: number; date: string | null; demo: boolean } | null;
	/** the action log's rule, with its split by target group when its indicator has one */
	derived: DerivedComputation | null;
	/** the plan's own validity of a value in months (else the frequency's) */
	validMonths: number | null;
	/** the plan says values of every region compare with the baseline */
	comparable: boolean;
	/** the plan's period targets (per school year) between baseline and target */
	targets?: readonly PathPoint[];
	/** the plan marks it a key indicator (shown first to funders) */
	key?: boolean;
	/** the programme's dimensions (keys) its values are split by (breakdown.ts) */
	splitBy?: readonly string[];
}

export interface ProgressEvaluation {
	nextStepId: number;
	phaseId: number;
	state: EvaluationState;
	status: EvaluationStatus | null;
	decision: string | null;
}

/**
 * Approved values per indicator id: per region at least those that can count for the period — the latest
 * up to its end for a cumulative indicator, (per-day sums of) the school year's values for a per-period one.
 */
export type IndicatorValues = ReadonlyMap<number, readonly Observation[]>;

export interface ProgressInput {
	programmeStart: string;
	regions: ProgressRegion[];
	/** phases of every school year: for the latest evaluation and for derived values (phaseOf) */
	phases: { id: number; name: string; start: string; end: string }[];
	themes: (ProgressNode & { number: number })[];
	nextSteps: ProgressNode[];
	solutions: ProgressNode[];
	ambitions: ProgressNode[];
	outcomes: ProgressNode[];
	indicators: ProgressIndicator[];
	evaluations: ProgressEvaluation[];
	values: IndicatorValues;
	/** actions of the period's school year (at least the window) in the region's subtree */
	actionGroups: ActionGroup[];
	regionId: number | null;
	period: Period;
	/**
	 * per (indicator, region) the approved value before its latest one (the `latest` value's predecessor):
	 * with `values` it gives the figure as it stood the day before the newest value, for the trend
	 */
	previous?: IndicatorValues;
	/** false: no trends (a view that shows none, such as the overview of all programmes, saves their cost) */
	trend?: boolean;
	/** the day the figures are read on (YYYY-MM-DD); default the period's end */
	today?: string;
	/**
	 * one category (`?geslacht=meisje`): `values` and `previous` are already the category's (breakdown.ts
	 * throughCategory) and the indicators' plans its own; a derived one's action-log observations are seen
	 * through the category `key` here; indicators not in `split` have no figure
	 */
	category?: { key: string; split: ReadonlySet<number>; minGroupSize: number };
}

/** Under a category: not split by its dimension (no figure, left out of every group), or not shown (small-groups.ts). */
export type CategoryState = 'not_split' | Suppression;

/** What a figure's trend compares: the latest value and the one before it (for a per-period one, two phases). */
export interface TrendBasis {
	latest: { value: number; date: string };
	previous: { value: number; date: string };
}

export interface IndicatorFigure {
	id: number;
	code: string;
	name: string;
	kind: ProgressIndicator['kind'];
	unit: Unit;
	direction: Direction;
	aggregation: Aggregation;
	perPeriod: boolean;
	derived: boolean;
	source: string;
	node: { level: NodeLevel; id: number };
	themeId: number | null;
	nextStepId: number | null;
	baseline: ProgressIndicator['baseline'];
	target: ProgressIndicator['target'];
	/** the figure that counts for the period: fresh, rolled up, with its coverage; null = no recent data */
	latest: Figure | null;
	/** when nothing counts: the newest value there is, verouderd (shown with its date, never counted) */
	stale: Rolled | null;
	/** per-period values of the school year dated between its phases: counted in no phase */
	outsidePhases: Rolled | null;
	/** progress against the baseline; null without a fresh value, baseline or target */
	progress: number | null;
	/** whether the region's values compare with the baseline's scope; if not, left out of theme progress */
	comparability: Comparability;
	/** a planning error in words (target on the wrong side of the baseline) */
	warning: string | null;
	/** progress expected at the figure's date (on-track.ts); null without an expected path */
	expected: number | null;
	/** op koers / achter / geen recente gegevens; null = niet te bepalen */
	status: Status | null;
	trend: Trend | null;
	/** the values the trend compares; null without a trend */
	trendBasis: TrendBasis | null;
	/** under a category: why no figure is shown; null or absent = shown as it is */
	category?: CategoryState | null;
}

export interface EvaluationSummary {
	phaseId: number;
	phaseName: string;
	status: string | null;
	decision: string | null;
}

export interface NextStepProgress {
	id: number;
	code: string;
	title: string;
	progress: number | null;
	evaluation: EvaluationSummary | null;
	indicators: string[];
}

export interface ThemeProgress {
	id: number;
	code: string;
	number: number;
	title: string;
	progress: number | null;
	evaluation: EvaluationSummary | null;
	actions: number;
	reached: Reached;
	/**
	 * "Zonder data: indicatorsWithoutData van indicatorCount" — both count the same set, the theme's numeric
	 * indicators. A text indicator collects stories, never a figure, so it can be neither with nor without
	 * data: counting it in the total only made the total look worse than the data is.
	 */
	indicatorCount: number;
	indicatorsWithoutData: number;
	/** numeric indicators with a fresh value: "5 van 9 indicatoren met recente gegevens" */
	indicatorsFresh: number;
	/** actions of the period's school year dated in no phase ("buiten de fasen") */
	outsidePhases: { actions: number; reached: Reached };
	/** codes of every indicator of the theme, text ones included */
	indicators: string[];
	nextSteps: NextStepProgress[];
	/** mean expected progress of the indicators counted in `progress` that have an expected path */
	expected: number | null;
	status: Status | null;
	/** the balance of the indicators' trends */
	trend: Trend | null;
	trends: TrendBalance;
}

export interface BeleidFigure {
	indicator: IndicatorFigure;
	nodeTitle: string;
	/** the figure shown: the fresh value, else the newest verouderd one, else the baseline */
	shown: {
		value: number;
		date: string | null;
		source: string | null;
		isBaseline: boolean;
		demo: boolean;
		stale: boolean;
	} | null;
	/** the figure dates from before the programme started */
	beforeStart: boolean;
}

export interface ProgrammeProgress {
	regionId: number | null;
	period: Period;
	themes: ThemeProgress[];
	beleid: BeleidFigure[];
	indicators: IndicatorFigure[];
	/** everything of the school year up to the period's end dated in no phase: counted, and shown apart */
	outsidePhases: { actions: number; reached: Reached; indicators: string[] };
	/** numeric indicators with a fresh value, of all numeric ones */
	fresh: { indicators: number; of: number };
}

/** The theme and next step an indicator belongs to (through its node), if any. */
export function placeOf(
	node: ProgressIndicator['node'],
	nextSteps: readonly ProgressNode[],
	solutions: readonly ProgressNode[]
) {
	const stepTheme = (stepId: number | null) => nextSteps.find((s) => s.id === stepId)?.parentId ?? null;
	switch (node.level) {
		case 'theme':
			return { themeId: node.id, nextStepId: null };
		case 'nextStep':
			return { themeId: stepTheme(node.id), nextStepId: node.id };
		case 'solution': {
			const stepId = solutions.find((s) => s.id === node.id)?.parentId ?? null;
			return { themeId: stepTheme(stepId), nextStepId: stepId };
		}
		default:
			return { themeId: null, nextStepId: null };
	}
}

/** The period as the figure rules need it, with every phase of the programme. */
export const figurePeriodOf = (input: Pick<ProgressInput, 'period' | 'phases'>): FigurePeriod =>
	figurePeriod(input.period, input.phases);

/** The rule an indicator's values roll up by (rollup.ts). */
const ruleOf = (ind: ProgressIndicator) => ({
	aggregation: ind.aggregation,
	frequency: ind.frequency,
	derived: ind.derived,
	validMonths: ind.validMonths,
	targetDate: ind.target?.date ?? null
});

/** An indicator's figure in a region (null = whole programme) for a period. */
export function valueIn(
	ind: ProgressIndicator,
	input: Pick<ProgressInput, 'regions' | 'values' | 'actionGroups' | 'nextSteps' | 'phases'>,
	regionId: number | null,
	period: FigurePeriod
): FigureResult {
	return valueFromObservations(ind, input.regions, observationsOf(ind, input), regionId, period);
}

/** The values an indicator's figure is made of: approved measurements, or for a derived one the action log's. */
export function observationsOf(
	ind: ProgressIndicator,
	input: Pick<ProgressInput, 'values' | 'actionGroups' | 'nextSteps' | 'phases' | 'category'>
): readonly Observation[] {
	if (!ind.derived) return input.values.get(ind.id) ?? [];
	const themeOfStep = new Map(input.nextSteps.map((s) => [s.id, s.parentId ?? -1]));
	const observations = derivedObservations(input.actionGroups, ind.derived, ind.node, themeOfStep, input.phases);
	return input.category ? throughCategory(observations, input.category.key) : observations;
}

/** An indicator's figure from raw observations (a chart's series): the same rules as valueIn. */
export function valueFromObservations(
	ind: ProgressIndicator,
	regions: readonly RegionNode[],
	observations: readonly Observation[],
	regionId: number | null,
	period: FigurePeriod
): FigureResult {
	return indicatorFigure(ruleOf(ind), regions, observations, regionId, period);
}

/**
 * What an indicator's trend compares (on-track.ts): a cumulative figure against the figure as it stood the
 * day before its newest value (each region's value before then: its latest, or the one before it); a
 * per-period figure's last two phases that have ended by `today`.
 */
export function trendBasis(
	ind: ProgressIndicator,
	input: Pick<ProgressInput, 'regions' | 'values' | 'actionGroups' | 'nextSteps' | 'phases' | 'previous'>,
	regionId: number | null,
	period: FigurePeriod,
	figure: Figure | null,
	today: string
): TrendBasis | null {
	if (figure === null) return null;
	if (isPerPeriod(ind)) {
		const endOf = new Map(period.phases.map((p) => [p.id, p.end]));
		const ended = (figure.phases ?? []).filter((p) => (endOf.get(p.phaseId) ?? today) <= today);
		const [previous, latest] = ended.slice(-2);
		if (!latest) return null;
		return {
			latest: { value: latest.value, date: endOf.get(latest.phaseId) ?? today },
			previous: { value: previous.value, date: endOf.get(previous.phaseId) ?? today }
		};
	}
	const observations = [...observationsOf(ind, input), ...(input.previous?.get(ind.id) ?? [])];
	const before = { ...period, window: { ...period.window, end: addDays(figure.date, -1) } };
	const { figure: then, stale } = valueFromObservations(ind, input.regions, observations, regionId, before);
	const previous = then ?? stale;
	return previous && { latest: { value: figure.value, date: figure.date }, previous: previous };
}

/** Progress expected where the figure stands: at its date, for a per-period one at `today` in its school year. */
function expectedOf(ind: ProgressIndicator, input: ProgressInput, figure: Figure | null, today: string) {
	const plan = { direction: ind.direction, baseline: ind.baseline, target: ind.target, targets: ind.targets };
	const phases = input.period.schoolYear?.phases ?? [];
	if (isPerPeriod(ind) && phases.length > 0) {
		const at = today < input.period.window.end ? today : input.period.window.end;
		const year = { start: phases[0].start, end: phases[phases.length - 1].end };
		return expectedProgress(plan, at, input.programmeStart, year);
	}
	return figure && expectedProgress(plan, figure.date, input.programmeStart);
}

/** Progress that counts in a group's mean: against a comparable baseline. */
const counting = (i: IndicatorFigure) => (i.comparability.comparable ? i.progress : null);

/**
 * A group's progress, expected progress, status and trend from its indicators' figures — a theme's (its own
 * indicators, its next steps' and their solutions'), or a next step's (its own and its solutions'): the mean
 * of the comparable progress, the mean expected progress of those counted, status by statusOf (null for a
 * group without numeric indicators), trend as the balance of the indicators' trends.
 */
export function onTrackOf(figures: readonly IndicatorFigure[]) {
	const numeric = figures.filter((i) => i.unit !== 'text');
	const progress = meanProgress(figures.map(counting));
	const expected = meanProgress(figures.filter((i) => counting(i) !== null).map((i) => i.expected));
	const fresh = numeric.some((i) => i.latest !== null);
	const { trend, counts } = balanceOf(numeric.map((i) => i.trend));
	const status = numeric.length === 0 ? null : statusOf({ fresh, progress, expected });
	return { progress, expected, status, trend, trends: counts };
}

/**
 * A category's figures as they may be shown: one whose group is too small is dropped (counted as no data),
 * and what would show the parts of a shown one (its phases, the values the trend compares) is left out.
 */
function categoryResult(
	ind: ProgressIndicator,
	result: FigureResult,
	minGroupSize: number
): FigureResult & { state: CategoryState | null } {
	const hide = (f: Rolled | null) => (f && figureSuppression(ind.unit, f, minGroupSize) ? null : f);
	const small = result.figure && figureSuppression(ind.unit, result.figure, minGroupSize);
	return {
		figure: small || !result.figure ? null : { ...result.figure, phases: null },
		stale: hide(result.stale),
		outsidePhases: hide(result.outsidePhases),
		state: small ?? null
	};
}

/**
 * Under a category, why a figure of this indicator is not shown: not split by its dimension (a derived one's
 * action-log total is not the category's), or too small a group; null = shown. Charts use it for each point.
 */
export function categoryHidden(
	ind: Pick<ProgressIndicator, 'id' | 'unit'>,
	input: Pick<ProgressInput, 'category'>,
	figure: { value: number; n: number | null } | null
): CategoryState | null {
	const c = input.category;
	if (!c) return null;
	if (!c.split.has(ind.id)) return 'not_split';
	return figureSuppression(ind.unit, figure, c.minGroupSize);
}

export function computeProgress(input: ProgressInput): ProgrammeProgress {
	const { period, regionId, category } = input;
	const forPeriod = figurePeriodOf(input);
	const today = input.today ?? period.window.end;
	const none: FigureResult = { figure: null, stale: null, outsidePhases: null };
	const indicators: IndicatorFigure[] = input.indicators.map((ind) => {
		const notSplit = category !== undefined && (ind.unit === 'text' || !category.split.has(ind.id));
		const result = ind.unit === 'text' || notSplit ? none : valueIn(ind, input, regionId, forPeriod);
		const shown = category && !notSplit ? categoryResult(ind, result, category.minGroupSize) : null;
		const { figure, stale, outsidePhases } = shown ?? result;
		const state: CategoryState | null = notSplit ? 'not_split' : (shown?.state ?? null);
		const plan = { direction: ind.direction, baseline: ind.baseline?.value ?? null, target: ind.target?.value ?? null };
		const progress = indicatorProgress({ ...plan, latest: figure?.value ?? null });
		const expected = notSplit ? null : expectedOf(ind, input, figure, today);
		const basis = input.trend === false ? null : trendBasis(ind, input, regionId, forPeriod, figure, today);
		const trend = basis && trendOf(ind, basis.latest.value, basis.previous.value);
		return {
			id: ind.id,
			code: ind.code,
			name: ind.name,
			kind: ind.kind,
			unit: ind.unit,
			direction: ind.direction,
			aggregation: ind.aggregation,
			perPeriod: isPerPeriod(ind),
			derived: ind.derived !== null,
			source: ind.source,
			node: ind.node,
			...placeOf(ind.node, input.nextSteps, input.solutions),
			baseline: ind.baseline,
			target: ind.target,
			latest: figure,
			stale,
			outsidePhases,
			progress,
			comparability: comparability(
				{ comparable: ind.comparable, baselineScope: ind.baseline?.region ?? null },
				input.regions,
				regionId
			),
			warning: planningWarning(plan),
			expected,
			// under a category, one not split or not shown has no status ("geen recente gegevens" would mislead)
			status: ind.unit === 'text' || state ? null : statusOf({ fresh: figure !== null, progress, expected }),
			trend,
			// under a category the values compared could be a small group's: the direction only
			trendBasis: trend && !category ? basis : null,
			...(category ? { category: state } : {})
		};
	});
	// under a category, an indicator not split by its dimension counts in no group (it has no figure of its own)
	const counted = indicators.filter((i) => i.category !== 'not_split');

	const phaseById = new Map(input.phases.map((p) => [p.id, p]));
	const evaluationOf = (stepIds: readonly number[]): EvaluationSummary | null => {
		let best: { e: ProgressEvaluation; start: string; order: number } | null = null;
		for (const e of input.evaluations) {
			const phase = phaseById.get(e.phaseId);
			const order = stepIds.indexOf(e.nextStepId);
			if (e.state !== 'final' || order < 0 || !phase || phase.start > period.window.end) continue;
			if (!best || phase.start > best.start || (phase.start === best.start && order < best.order))
				best = { e, start: phase.start, order };
		}
		return (
			best && {
				phaseId: best.e.phaseId,
				phaseName: phaseById.get(best.e.phaseId)!.name,
				status: best.e.status,
				decision: best.e.decision
			}
		);
	};

	const inSpan = input.actionGroups.filter((g) => inActionSpan(g.date, period));
	const outside = period.outside;
	const between = outside
		? input.actionGroups.filter(
				(g) => g.date >= outside.start && g.date <= outside.end && phaseOf(g.date, input.phases) === null
			)
		: [];
	const themes: ThemeProgress[] = input.themes.map((t) => {
		const steps = input.nextSteps.filter((s) => s.parentId === t.id);
		const stepIds = steps.map((s) => s.id);
		const all = indicators.filter((i) => i.themeId === t.id);
		const mine = counted.filter((i) => i.themeId === t.id);
		const numeric = mine.filter((i) => i.unit !== 'text');
		const { actions, reached } = totals(inSpan.filter((g) => stepIds.includes(g.nextStepId)));
		const outsidePhases = totals(between.filter((g) => stepIds.includes(g.nextStepId)));
		const { progress, expected, status, trend, trends } = onTrackOf(mine);
		return {
			id: t.id,
			code: t.code,
			number: t.number,
			title: t.title,
			progress,
			expected,
			status,
			trend,
			trends,
			evaluation: evaluationOf(stepIds),
			actions,
			reached,
			indicatorCount: numeric.length,
			indicatorsWithoutData: numeric.filter((i) => i.latest === null).length,
			indicatorsFresh: numeric.filter((i) => i.latest !== null).length,
			outsidePhases,
			indicators: all.map((i) => i.code),
			nextSteps: steps.map((s) => {
				const own = mine.filter((i) => i.nextStepId === s.id);
				return {
					id: s.id,
					code: s.code,
					title: s.title,
					progress: meanProgress(own.map(counting)),
					evaluation: evaluationOf([s.id]),
					indicators: all.filter((i) => i.nextStepId === s.id).map((i) => i.code)
				};
			})
		};
	});

	const nodeTitle = new Map<string, string>([
		...input.ambitions.map((a) => [`ambition:${a.id}`, a.title] as const),
		...input.outcomes.map((o) => [`outcome:${o.id}`, o.title] as const)
	]);
	const beleid: BeleidFigure[] = indicators
		.filter((i) => i.node.level === 'ambition' || i.node.level === 'outcome')
		.map((i) => {
			const measured = i.latest ?? i.stale;
			const shown = measured
				? {
						value: measured.value,
						date: measured.date,
						source: measured.source,
						isBaseline: false,
						demo: measured.demo,
						stale: i.latest === null
					}
				: i.baseline
					? {
							value: i.baseline.value,
							date: i.baseline.date,
							source: i.baseline.source,
							isBaseline: true,
							demo: i.baseline.demo,
							stale: false
						}
					: null;
			return {
				indicator: i,
				nodeTitle: nodeTitle.get(`${i.node.level}:${i.node.id}`) ?? '',
				shown,
				beforeStart: shown?.date != null && shown.date < input.programmeStart
			};
		});

	const numeric = counted.filter((i) => i.unit !== 'text');
	return {
		regionId,
		period,
		themes,
		beleid,
		indicators,
		outsidePhases: {
			...totals(between),
			indicators: indicators.filter((i) => i.outsidePhases !== null).map((i) => i.code)
		},
		fresh: { indicators: numeric.filter((i) => i.latest !== null).length, of: numeric.length }
	};
}
