import { derivedObservations, totals, type ActionGroup, type Reached } from './action-figures.ts';
import type { EvaluationState, EvaluationStatus } from './evaluation.ts';
import type { DerivedRule, NodeLevel } from './kompas.ts';
import { inActionSpan, type Period } from './period.ts';
import type { Aggregation, Direction, Unit } from './plan.schema.ts';
import { indicatorProgress, meanProgress } from './progress.ts';
import {
	isPerPeriod,
	rollUpRegion,
	rollUpTime,
	subtree,
	type Observation,
	type RegionNode,
	type Rolled,
	type Window
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
}

export interface ProgressIndicator {
	id: number;
	code: string;
	name: string;
	kind: 'population' | 'programme';
	unit: Unit;
	direction: Direction;
	frequency: string;
	aggregation: Aggregation;
	source: string;
	node: { level: NodeLevel; id: number };
	baseline: { value: number; date: string | null; source: string | null; demo: boolean } | null;
	target: { value: number; date: string | null; demo: boolean } | null;
	derived: DerivedRule | null;
}

export interface ProgressEvaluation {
	nextStepId: number;
	phaseId: number;
	state: EvaluationState;
	status: EvaluationStatus | null;
	decision: string | null;
}

/** Per (indicator, region): the latest counting value up to the window's end, and the window's sum. */
export interface RegionFigures {
	latest: Map<number, Map<number, Rolled>>;
	sum: Map<number, Map<number, Rolled>>;
}

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
	figures: RegionFigures;
	/** actions of the period's school year (at least the window) in the region's subtree */
	actionGroups: ActionGroup[];
	regionId: number | null;
	period: Period;
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
	latest: Rolled | null;
	progress: number | null;
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
	/** codes of every indicator of the theme, text ones included */
	indicators: string[];
	nextSteps: NextStepProgress[];
}

export interface BeleidFigure {
	indicator: IndicatorFigure;
	nodeTitle: string;
	/** the figure shown: the latest approved value, else the baseline */
	shown: { value: number; date: string | null; source: string | null; isBaseline: boolean; demo: boolean } | null;
	/** the figure dates from before the programme started */
	beforeStart: boolean;
}

export interface ProgrammeProgress {
	regionId: number | null;
	period: Period;
	themes: ThemeProgress[];
	beleid: BeleidFigure[];
	indicators: IndicatorFigure[];
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

/** An indicator's value in a region (null = whole programme) for a window. */
export function valueIn(
	ind: ProgressIndicator,
	input: Pick<ProgressInput, 'regions' | 'figures' | 'actionGroups' | 'nextSteps' | 'phases'>,
	regionId: number | null,
	window: Window
): Rolled | null {
	if (ind.derived) {
		// actions are events: everything logged anywhere in the subtree adds up
		const inTree = new Set(subtree(input.regions, regionId));
		const themeOfStep = new Map(input.nextSteps.map((s) => [s.id, s.parentId ?? -1]));
		const obs = derivedObservations(input.actionGroups, ind.derived, ind.node, themeOfStep, input.phases).filter((o) =>
			inTree.has(o.regionId)
		);
		const perDay = rollUpTime(obs, true, window);
		return perDay && { ...perDay, n: null };
	}
	const own = (isPerPeriod(ind) ? input.figures.sum : input.figures.latest).get(ind.id) ?? new Map();
	return rollUpRegion(ind.aggregation, input.regions, own, regionId);
}

/** Rolled values from raw observations of one indicator (a chart's series), the same rules as valueIn. */
export function valueFromObservations(
	ind: ProgressIndicator,
	regions: readonly RegionNode[],
	observations: readonly Observation[],
	regionId: number | null,
	window: Window
): Rolled | null {
	const perPeriod = isPerPeriod(ind);
	const byRegion = new Map<number, Observation[]>();
	for (const o of observations) byRegion.set(o.regionId, [...(byRegion.get(o.regionId) ?? []), o]);
	const own = new Map<number, Rolled>();
	for (const [id, obs] of byRegion) {
		const v = rollUpTime(obs, perPeriod, window);
		if (v) own.set(id, v);
	}
	return rollUpRegion(ind.aggregation, regions, own, regionId);
}

export function computeProgress(input: ProgressInput): ProgrammeProgress {
	const { period, regionId } = input;
	const indicators: IndicatorFigure[] = input.indicators.map((ind) => {
		const latest = ind.unit === 'text' ? null : valueIn(ind, input, regionId, period.window);
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
			latest,
			progress: indicatorProgress({
				direction: ind.direction,
				baseline: ind.baseline?.value ?? null,
				target: ind.target?.value ?? null,
				latest: latest?.value ?? null
			})
		};
	});

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
	const themes: ThemeProgress[] = input.themes.map((t) => {
		const steps = input.nextSteps.filter((s) => s.parentId === t.id);
		const stepIds = steps.map((s) => s.id);
		const mine = indicators.filter((i) => i.themeId === t.id);
		const numeric = mine.filter((i) => i.unit !== 'text');
		const { actions, reached } = totals(inSpan.filter((g) => stepIds.includes(g.nextStepId)));
		return {
			id: t.id,
			code: t.code,
			number: t.number,
			title: t.title,
			progress: meanProgress(mine.map((i) => i.progress)),
			evaluation: evaluationOf(stepIds),
			actions,
			reached,
			indicatorCount: numeric.length,
			indicatorsWithoutData: numeric.filter((i) => i.latest === null).length,
			indicators: mine.map((i) => i.code),
			nextSteps: steps.map((s) => {
				const own = mine.filter((i) => i.nextStepId === s.id);
				return {
					id: s.id,
					code: s.code,
					title: s.title,
					progress: meanProgress(own.map((i) => i.progress)),
					evaluation: evaluationOf([s.id]),
					indicators: own.map((i) => i.code)
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
			const shown = i.latest
				? {
						value: i.latest.value,
						date: i.latest.date,
						source: i.latest.source,
						isBaseline: false,
						demo: i.latest.demo
					}
				: i.baseline
					? {
							value: i.baseline.value,
							date: i.baseline.date,
							source: i.baseline.source,
							isBaseline: true,
							demo: i.baseline.demo
						}
					: null;
			return {
				indicator: i,
				nodeTitle: nodeTitle.get(`${i.node.level}:${i.node.id}`) ?? '',
				shown,
				beforeStart: shown?.date != null && shown.date < input.programmeStart
			};
		});

	return { regionId, period, themes, beleid, indicators };
}
