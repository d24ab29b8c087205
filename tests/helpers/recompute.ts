import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema.ts';
import { phaseOf } from '../../src/lib/domain/phase-calendar.ts';

/**
 * An independent recomputation of the figures users get (issue 13, "Proof"): straight from the table rows,
 * with queries of its own and the rules of DESIGN.md "Progress, defined once" written out again here. It
 * imports nothing of the figure rules in src/lib/domain (rollup, validity, comparability, progress,
 * programme-progress, running-total, dashboard); only phaseOf, the phase-of-a-date rule. Where DESIGN.md
 * leaves a choice open, the comment at that place says which choice is taken.
 *
 * `loadRows` reads a programme once; `recompute` then answers any region × period in memory.
 */

type Aggregation = 'sum' | 'mean' | 'weighted_mean' | 'latest';
interface DerivedSpec {
	measure: 'actions' | 'reached';
	targetGroup?: 'jongeren' | 'ouders' | 'professionals';
	kinds?: string[];
}

export interface RecomputeRows {
	slug: string;
	regions: { id: number; parentId: number | null; slug: string; name: string; sort: number }[];
	years: { id: number; name: string }[];
	/** every phase of the programme, by start date */
	phases: { id: number; yearId: number; name: string; start: string; end: string }[];
	themes: { id: number; code: string }[];
	/** live next steps in plan order */
	steps: { id: number; themeId: number }[];
	solutions: { id: number; stepId: number }[];
	indicators: {
		id: number;
		code: string;
		unit: string;
		direction: string;
		frequency: string;
		aggregation: Aggregation;
		baseline: number | null;
		baselineRegion: string | null;
		target: number | null;
		targetDate: string | null;
		validMonths: number | null;
		comparable: boolean;
		derived: DerivedSpec | null;
		node: { level: 'ambition' | 'outcome' | 'theme' | 'nextStep' | 'solution'; id: number };
		themeId: number | null;
	}[];
	/** approved numeric measurements */
	measurements: {
		indicatorId: number;
		regionId: number;
		date: string;
		value: number;
		n: number | null;
		demo: boolean;
	}[];
	/** live (not deleted) actions */
	actions: {
		date: string;
		stepId: number;
		solutionId: number | null;
		kind: string;
		regionId: number;
		jongeren: number;
		ouders: number;
		professionals: number;
		demo: boolean;
	}[];
	evaluations: { stepId: number; phaseId: number; state: string; status: string | null; decision: string | null }[];
}

/** Reads what the figures are made of, with plain queries of its own. */
export async function loadRows(db: Kysely<Database>, slug: string): Promise<RecomputeRows> {
	const p = await db.selectFrom('programmes').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
	const [regions, years, phases, themes, steps, solutions, ambitions, outcomes, indicators] = await Promise.all([
		db
			.selectFrom('regions')
			.select(['id', 'parent_id', 'slug', 'name', 'sort_order'])
			.where('programme_id', '=', p.id)
			.orderBy('sort_order')
			.orderBy('id')
			.execute(),
		db.selectFrom('school_years').select(['id', 'name']).where('programme_id', '=', p.id).execute(),
		db
			.selectFrom('phases')
			.select(['id', 'school_year_id', 'name', 'start_date', 'end_date'])
			.where('programme_id', '=', p.id)
			.orderBy('start_date')
			.execute(),
		db
			.selectFrom('themes')
			.select(['id', 'code'])
			.where('programme_id', '=', p.id)
			.where('archived_at', 'is', null)
			.orderBy('sort_order')
			.orderBy('id')
			.execute(),
		db
			.selectFrom('next_steps')
			.select(['id', 'theme_id'])
			.where('programme_id', '=', p.id)
			.where('archived_at', 'is', null)
			.orderBy('sort_order')
			.orderBy('id')
			.execute(),
		db
			.selectFrom('solutions')
			.select(['id', 'next_step_id'])
			.where('programme_id', '=', p.id)
			.where('archived_at', 'is', null)
			.execute(),
		db.selectFrom('ambitions').select('id').where('programme_id', '=', p.id).where('archived_at', 'is', null).execute(),
		db.selectFrom('outcomes').select('id').where('programme_id', '=', p.id).where('archived_at', 'is', null).execute(),
		db
			.selectFrom('indicators')
			.selectAll()
			.where('programme_id', '=', p.id)
			.where('archived_at', 'is', null)
			.orderBy('sort_order')
			.orderBy('id')
			.execute()
	]);
	// live: a step of a live theme, a solution of a live step, an indicator whose node chain is live
	const themeIds = new Set(themes.map((t) => t.id));
	const liveSteps = steps.filter((s) => themeIds.has(s.theme_id));
	const stepTheme = new Map(liveSteps.map((s) => [s.id, s.theme_id]));
	const liveSolutions = solutions.filter((s) => stepTheme.has(s.next_step_id));
	const solutionStep = new Map(liveSolutions.map((s) => [s.id, s.next_step_id]));
	const ambitionIds = new Set(ambitions.map((a) => a.id));
	const outcomeIds = new Set(outcomes.map((o) => o.id));
	const liveIndicators = indicators.flatMap((i) => {
		const node: RecomputeRows['indicators'][number]['node'] | null =
			i.solution_id !== null
				? solutionStep.has(i.solution_id)
					? { level: 'solution', id: i.solution_id }
					: null
				: i.next_step_id !== null
					? stepTheme.has(i.next_step_id)
						? { level: 'nextStep', id: i.next_step_id }
						: null
					: i.theme_id !== null
						? themeIds.has(i.theme_id)
							? { level: 'theme', id: i.theme_id }
							: null
						: i.outcome_id !== null
							? outcomeIds.has(i.outcome_id)
								? { level: 'outcome', id: i.outcome_id }
								: null
							: i.ambition_id !== null && ambitionIds.has(i.ambition_id)
								? { level: 'ambition', id: i.ambition_id }
								: null;
		if (!node) return [];
		const themeId =
			node.level === 'theme'
				? node.id
				: node.level === 'nextStep'
					? stepTheme.get(node.id)!
					: node.level === 'solution'
						? stepTheme.get(solutionStep.get(node.id)!)!
						: null;
		return [
			{
				id: i.id,
				code: i.code,
				unit: i.unit,
				direction: i.direction,
				frequency: i.frequency,
				aggregation: i.aggregation,
				baseline: i.baseline_value,
				baselineRegion: i.baseline_region,
				target: i.target_value,
				targetDate: i.target_date,
				validMonths: i.valid_months,
				comparable: Number(i.comparable) === 1,
				derived: i.derived === null ? null : (JSON.parse(i.derived) as DerivedSpec),
				node,
				themeId
			}
		];
	});
	const ids = liveIndicators.map((i) => i.id);
	const [measurements, actions, evaluations] = await Promise.all([
		ids.length
			? db
					.selectFrom('measurements')
					.select(['indicator_id', 'region_id', 'date', 'value', 'n', 'demo'])
					.where('status', '=', 'approved')
					.where('value', 'is not', null)
					.where('indicator_id', 'in', ids)
					.execute()
			: Promise.resolve([]),
		db
			.selectFrom('actions')
			.select([
				'date',
				'next_step_id',
				'solution_id',
				'kind',
				'region_id',
				'reached_jongeren',
				'reached_ouders',
				'reached_professionals',
				'demo'
			])
			.where('programme_id', '=', p.id)
			.where('deleted_at', 'is', null)
			.execute(),
		db
			.selectFrom('evaluations as e')
			.innerJoin('next_steps as s', 's.id', 'e.next_step_id')
			.select(['e.next_step_id', 'e.phase_id', 'e.state', 'e.status', 'e.decision'])
			.where('s.programme_id', '=', p.id)
			.execute()
	]);
	return {
		slug,
		regions: regions.map((r) => ({ id: r.id, parentId: r.parent_id, slug: r.slug, name: r.name, sort: r.sort_order })),
		years: years.map((y) => ({ id: y.id, name: y.name })),
		phases: phases.map((ph) => ({
			id: ph.id,
			yearId: ph.school_year_id,
			name: ph.name,
			start: ph.start_date,
			end: ph.end_date
		})),
		themes: themes.map((t) => ({ id: t.id, code: t.code })),
		steps: liveSteps.map((s) => ({ id: s.id, themeId: s.theme_id })),
		solutions: liveSolutions.map((s) => ({ id: s.id, stepId: s.next_step_id })),
		indicators: liveIndicators,
		measurements: measurements.map((m) => ({
			indicatorId: m.indicator_id,
			regionId: m.region_id,
			date: m.date,
			value: Number(m.value),
			n: m.n === null ? null : Number(m.n),
			demo: Number(m.demo) === 1
		})),
		actions: actions.map((a) => ({
			date: a.date,
			stepId: a.next_step_id,
			solutionId: a.solution_id,
			kind: a.kind,
			regionId: a.region_id,
			jongeren: Number(a.reached_jongeren),
			ouders: Number(a.reached_ouders),
			professionals: Number(a.reached_professionals),
			demo: Number(a.demo) === 1
		})),
		evaluations: evaluations.map((e) => ({
			stepId: e.next_step_id,
			phaseId: e.phase_id,
			state: e.state,
			status: e.status,
			decision: e.decision
		}))
	};
}

// ── the answer, in the progress API's terms ────────────────────────────────────────────────────────

export interface Dated {
	value: number;
	date: string;
	n: number | null;
	demo: boolean;
}
export interface ExpectedCoverage {
	aggregation: Aggregation;
	used: string[];
	leftOut: { region: string; reason: 'verouderd' | 'geen-gegevens' | 'geen-n' | 'ouder' }[];
	n: number | null;
	unweighted: boolean;
}
export interface ExpectedIndicator {
	code: string;
	perPeriod: boolean;
	value:
		| (Dated & { own: boolean; coverage: ExpectedCoverage | null; phases: { phaseId: number; value: number }[] | null })
		| null;
	stale: Dated | null;
	outsidePhases: Dated | null;
	progress: number | null;
	comparable: boolean;
	comparability: string | null;
}
export interface Reach {
	jongeren: number;
	ouders: number;
	professionals: number;
	total: number;
}
export interface ExpectedTheme {
	code: string;
	progress: number | null;
	status: string | null;
	decision: string | null;
	evaluationPhase: { id: number; name: string } | null;
	actions: number;
	reached: Reach;
	indicators: number;
	indicatorsWithoutData: number;
	indicatorsFresh: number;
	outsidePhases: { actions: number; reached: Reach };
}
export interface Expected {
	schoolYear: string;
	phase: { id: number; name: string } | null;
	fresh: { indicators: number; of: number };
	outsidePhases: { actions: number; reached: Reach; indicators: string[] };
	themes: ExpectedTheme[];
	indicators: ExpectedIndicator[];
}

// ── the rules ──────────────────────────────────────────────────────────────────────────────────────

const NO_END = '9999-12-31';

/** Calendar months later, the day kept or else the month's last day (31 May + 15 months = 31 Aug). */
function monthsLater(date: string, months: number): string {
	const [y, m, d] = date.split('-').map(Number);
	const first = new Date(Date.UTC(y, m - 1 + months, 1));
	const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
	first.setUTCDate(Math.min(d, lastDay));
	return first.toISOString().slice(0, 10);
}

/**
 * The last day a value is valid (DESIGN.md "Validity"): validMonths when the plan sets it; per phase: the
 * end of the phase after the value's phase (a value dated between phases: the end of the first phase that
 * starts after it; no such phase: no end); yearly 15, every 2 years 27, every 4 years 51 months; once: the
 * target date (none, or one before the value: no end).
 */
export function lastValidDay(
	rows: Pick<RecomputeRows, 'phases'>,
	ind: Pick<RecomputeRows['indicators'][number], 'validMonths' | 'frequency' | 'targetDate'>,
	date: string
): string {
	if (ind.validMonths !== null) return monthsLater(date, ind.validMonths);
	const months: Record<string, number> = { yearly: 15, every_2_years: 27, every_4_years: 51 };
	if (ind.frequency in months) return monthsLater(date, months[ind.frequency]);
	if (ind.frequency === 'once') return ind.targetDate !== null && ind.targetDate >= date ? ind.targetDate : NO_END;
	// per_phase
	const mine = phaseOf(date, rows.phases);
	const after = mine ? mine.end : date;
	return rows.phases.find((ph) => ph.start > after)?.end ?? NO_END;
}

/** Flow (adds up per phase) or state (latest value counts). */
const flows = (ind: RecomputeRows['indicators'][number]) =>
	ind.derived !== null || (ind.aggregation === 'sum' && ind.frequency === 'per_phase');

interface Part extends Dated {
	regionId: number;
}
/** A region's figure in one roll-up: fresh (counting) or only a stale value below it. */
interface Node {
	figure: (Dated & { own: boolean; coverage: Cov | null }) | null;
	stale: Dated | null;
}
interface Cov {
	aggregation: Aggregation;
	used: number[];
	leftOut: Map<number, 'verouderd' | 'geen-gegevens' | 'geen-n' | 'ouder'>;
	n: number | null;
	unweighted: boolean;
}

const addN = (items: readonly { n: number | null }[]): number | null =>
	items.every((i) => i.n === null) ? null : items.reduce((s, i) => s + (i.n ?? 0), 0);
/** the newest item; on equal dates the first (children are in region order: sort order, then id) */
function newestOf<T extends { date: string }>(items: readonly T[]): T {
	let best = items[0];
	for (const i of items) if (i.date > best.date) best = i;
	return best;
}

/**
 * Children's fresh figures combined by the aggregation rule: which children count, which are left out
 * for lack of an n. A weighted mean takes the children with an n (> 0); when none has one, a plain mean
 * of all (marked unweighted). The combined figure is dated by its newest counted part.
 */
function aggregate(
	aggregation: Aggregation,
	parts: readonly Part[]
): { figure: Dated; used: number[]; noN: number[]; unweighted: boolean } {
	const dated = (used: readonly Part[], value: number): Dated => ({
		value,
		date: newestOf(used).date,
		n: addN(used),
		demo: used.some((u) => u.demo)
	});
	const all = parts.map((p) => p.regionId);
	if (aggregation === 'sum')
		return {
			figure: dated(
				parts,
				parts.reduce((s, p) => s + p.value, 0)
			),
			used: all,
			noN: [],
			unweighted: false
		};
	if (aggregation === 'mean')
		return {
			figure: dated(parts, parts.reduce((s, p) => s + p.value, 0) / parts.length),
			used: all,
			noN: [],
			unweighted: false
		};
	if (aggregation === 'latest') {
		const last = newestOf(parts);
		return { figure: dated([last], last.value), used: [last.regionId], noN: [], unweighted: false };
	}
	const withN = parts.filter((p) => p.n !== null && p.n > 0);
	if (withN.length === 0)
		return {
			figure: dated(parts, parts.reduce((s, p) => s + p.value, 0) / parts.length),
			used: all,
			noN: [],
			unweighted: true
		};
	const weight = withN.reduce((s, p) => s + p.n!, 0);
	return {
		figure: dated(withN, withN.reduce((s, p) => s + p.value * p.n!, 0) / weight),
		used: withN.map((p) => p.regionId),
		noN: parts.filter((p) => !withN.includes(p)).map((p) => p.regionId),
		unweighted: false
	};
}

/**
 * Most recent information wins, over the region tree (DESIGN.md): a region's own fresh value is used
 * when no child has a fresher (newer) counting figure; otherwise the children's counting figures combine,
 * with the coverage: children used, children left out (no n; only a stale value below them; nothing).
 * Without any counting figure the newest stale value of the region and below is kept for display.
 */
function rollUp(
	rows: RecomputeRows,
	aggregation: Aggregation,
	own: ReadonlyMap<number, Dated & { fresh: boolean }>,
	regionId: number | null
): Node {
	const kidsOf = (id: number | null) => rows.regions.filter((r) => r.parentId === id).map((r) => r.id);
	const at = (id: number | null): Node => {
		const mine = id === null ? undefined : own.get(id);
		const kids = kidsOf(id).map((k) => ({ id: k, node: at(k) }));
		const counting: Part[] = kids.flatMap((k) => (k.node.figure ? [{ ...k.node.figure, regionId: k.id }] : []));
		const newestKid = counting.length ? newestOf(counting).date : null;
		if (mine && mine.fresh && (newestKid === null || mine.date >= newestKid))
			return {
				figure: { value: mine.value, date: mine.date, n: mine.n, demo: mine.demo, own: true, coverage: null },
				stale: null
			};
		if (counting.length) {
			const a = aggregate(aggregation, counting);
			const leftOut = new Map<number, 'verouderd' | 'geen-gegevens' | 'geen-n' | 'ouder'>();
			for (const k of kids)
				if (!a.used.includes(k.id))
					leftOut.set(
						k.id,
						a.noN.includes(k.id)
							? 'geen-n'
							: k.node.figure
								? 'ouder' // `latest`: a sibling's newer value is used
								: k.node.stale
									? 'verouderd'
									: 'geen-gegevens'
					);
			return {
				figure: {
					...a.figure,
					own: false,
					coverage: { aggregation, used: a.used, leftOut, n: a.figure.n, unweighted: a.unweighted }
				},
				stale: null
			};
		}
		const stales: Dated[] = [
			...(mine && !mine.fresh ? [mine] : []),
			...kids.flatMap((k) => (k.node.stale ? [k.node.stale] : []))
		];
		const s = stales.length ? newestOf(stales) : null;
		return { figure: null, stale: s && { value: s.value, date: s.date, n: s.n, demo: s.demo } };
	};
	return at(regionId);
}

function below(rows: RecomputeRows, regionId: number | null): Set<number> {
	const out = new Set<number>(regionId === null ? rows.regions.map((r) => r.id) : [regionId]);
	let grew = true;
	while (grew) {
		grew = false;
		for (const r of rows.regions)
			if (r.parentId !== null && out.has(r.parentId) && !out.has(r.id)) {
				out.add(r.id);
				grew = true;
			}
	}
	return out;
}

/** Same population: the regions reached from each by going down while a region has exactly one child. */
function samePopulation(rows: RecomputeRows, a: number | null, b: number | null): boolean {
	const down = (id: number | null): number | null => {
		for (;;) {
			const kids = rows.regions.filter((r) => r.parentId === id);
			if (kids.length !== 1) return id;
			id = kids[0].id;
		}
	};
	return down(a) === down(b);
}

/** (value − baseline) / (target − baseline) in [0, 1], the way the direction says; null when not computable. */
function progressOf(
	direction: string,
	baseline: number | null,
	target: number | null,
	value: number | null
): number | null {
	if (baseline === null || target === null || value === null) return null;
	if (direction !== 'higher_is_better' && direction !== 'lower_is_better') return null;
	const up = direction === 'higher_is_better';
	if (target === baseline) return (up ? value >= target : value <= target) ? 1 : 0;
	if (up ? target < baseline : target > baseline) return null; // target on the wrong side: a planning error
	const p = up ? (value - baseline) / (target - baseline) : (baseline - value) / (baseline - target);
	return Math.min(1, Math.max(0, p));
}

export interface Selection {
	/** region slug; null = the whole programme */
	region: string | null;
	/** a phase id or a school year name */
	period: string;
}

/** Everything the progress API answers for one selection, recomputed from the rows. */
export function recompute(rows: RecomputeRows, selection: Selection): Expected {
	const region = selection.region === null ? null : rows.regions.find((r) => r.slug === selection.region);
	if (region === undefined) throw new Error(`unknown region ${selection.region}`);
	const regionId = region?.id ?? null;
	const chosenPhase = /^\d+$/.test(selection.period)
		? rows.phases.find((p) => p.id === Number(selection.period))
		: undefined;
	const year = chosenPhase
		? rows.years.find((y) => y.id === chosenPhase.yearId)!
		: rows.years.find((y) => y.name === selection.period);
	if (!year) throw new Error(`unknown period ${selection.period}`);
	const yearPhases = rows.phases.filter((p) => p.yearId === year.id);
	// the phases whose figures add up: from the school year's first up to the chosen one
	const counted = chosenPhase ? yearPhases.filter((p) => p.start <= chosenPhase.start) : yearPhases;
	const end = chosenPhase ? chosenPhase.end : yearPhases.at(-1)!.end;
	// "buiten de fasen": the school year's days (1 August – 31 July) up to the end, to 31 July once the last phase is chosen
	const [y0, y1] = year.name.split('-');
	const summer = { from: `${y0}-08-01`, to: end >= yearPhases.at(-1)!.end ? `${y1}-07-31` : end };
	const inNoPhase = (date: string) => date >= summer.from && date <= summer.to && phaseOf(date, rows.phases) === null;
	const inPeriod = (date: string) =>
		chosenPhase ? phaseOf(date, [chosenPhase]) !== null : phaseOf(date, yearPhases) !== null;

	const area = below(rows, regionId);
	const slugOf = new Map(rows.regions.map((r) => [r.id, r.slug]));
	const actions = rows.actions.filter((a) => area.has(a.regionId));
	const themeOfStep = new Map(rows.steps.map((s) => [s.id, s.themeId]));

	const indicators = rows.indicators.map((ind) => {
		const perPeriod = flows(ind);
		let value: ExpectedIndicator['value'] = null;
		let stale: Dated | null = null;
		let outside: Dated | null = null;
		if (ind.unit !== 'text' && ind.derived) {
			// derived: the action log's matching actions in the region's subtree, per counted phase
			const rule = ind.derived;
			const matching = actions.filter((a) => {
				const onNode =
					ind.node.level === 'solution'
						? a.solutionId === ind.node.id
						: ind.node.level === 'nextStep'
							? a.stepId === ind.node.id
							: ind.node.level === 'theme'
								? themeOfStep.get(a.stepId) === ind.node.id
								: true;
				return onNode && (!rule.kinds || rule.kinds.length === 0 || rule.kinds.includes(a.kind));
			});
			const worth = (a: (typeof matching)[number]) =>
				rule.measure === 'actions'
					? 1
					: rule.targetGroup
						? a[rule.targetGroup]
						: a.jongeren + a.ouders + a.professionals;
			const phases = counted.flatMap((ph) => {
				const inIt = matching.filter((a) => phaseOf(a.date, [ph]) !== null);
				return inIt.length
					? [{ phase: ph, value: inIt.reduce((s, a) => s + worth(a), 0), demo: inIt.some((a) => a.demo) }]
					: [];
			});
			if (phases.length)
				value = {
					value: phases.reduce((s, p) => s + p.value, 0),
					// a phase's derived value is dated on the phase's last day
					date: phases.at(-1)!.phase.end,
					n: null,
					demo: phases.some((p) => p.demo),
					own: false,
					coverage: null,
					phases: phases.map((p) => ({ phaseId: p.phase.id, value: p.value }))
				};
			// matching actions dated in no phase: the indicator's own "buiten de fasen" value, counted in no phase
			const summerActions = matching.filter((a) => inNoPhase(a.date));
			if (summerActions.length)
				outside = {
					value: summerActions.reduce((s, a) => s + worth(a), 0),
					date: summerActions
						.map((a) => a.date)
						.sort()
						.at(-1)!,
					n: null,
					demo: summerActions.some((a) => a.demo)
				};
		} else if (ind.unit !== 'text' && perPeriod) {
			const mine = rows.measurements.filter((m) => m.indicatorId === ind.id && area.has(m.regionId));
			const parts: { phaseId: number; figure: NonNullable<Node['figure']> }[] = [];
			// one phase's values (or the summer's) per region added up, then over the tree by the region rule
			const phaseFigure = (values: typeof mine) => {
				const own = new Map<number, Dated & { fresh: boolean }>();
				for (const m of values) {
					const was = own.get(m.regionId);
					own.set(
						m.regionId,
						was
							? {
									value: was.value + m.value,
									date: m.date > was.date ? m.date : was.date,
									n: was.n === null && m.n === null ? null : (was.n ?? 0) + (m.n ?? 0),
									demo: was.demo || m.demo,
									fresh: true
								}
							: { ...m, fresh: true }
					);
				}
				return rollUp(rows, ind.aggregation, own, regionId).figure;
			};
			for (const ph of counted) {
				const figure = phaseFigure(mine.filter((x) => phaseOf(x.date, [ph]) !== null));
				if (figure) parts.push({ phaseId: ph.id, figure });
			}
			if (parts.length) {
				const combined = parts.flatMap((p) => (p.figure.coverage ? [p.figure.coverage] : []));
				let coverage: ExpectedCoverage | null = null;
				if (combined.length) {
					// over the school year: children used in any phase; the others with the reason of the last phase naming them
					const used = [...new Set(combined.flatMap((c) => c.used))];
					const leftOut = new Map<number, 'verouderd' | 'geen-gegevens' | 'geen-n' | 'ouder'>();
					for (const c of combined) for (const [id, why] of c.leftOut) if (!used.includes(id)) leftOut.set(id, why);
					coverage = {
						aggregation: ind.aggregation,
						used: used.map((id) => slugOf.get(id)!),
						leftOut: [...leftOut].map(([id, reason]) => ({ region: slugOf.get(id)!, reason })),
						n: addN(combined),
						unweighted: combined.some((c) => c.unweighted)
					};
				}
				value = {
					value: parts.reduce((s, p) => s + p.figure.value, 0),
					date: newestOf(parts.map((p) => p.figure)).date,
					n: addN(parts.map((p) => p.figure)),
					demo: parts.some((p) => p.figure.demo),
					own: parts.every((p) => p.figure.own),
					coverage,
					phases: parts.map((p) => ({ phaseId: p.phaseId, value: p.figure.value }))
				};
			}
			const summer = phaseFigure(mine.filter((m) => inNoPhase(m.date)));
			if (summer) outside = { value: summer.value, date: summer.date, n: summer.n, demo: summer.demo };
		} else if (ind.unit !== 'text') {
			// a state: per region its newest value up to the end, counting while valid at the end
			const own = new Map<number, Dated & { fresh: boolean }>();
			for (const m of rows.measurements)
				if (m.indicatorId === ind.id && area.has(m.regionId) && m.date <= end) {
					const was = own.get(m.regionId);
					if (!was || m.date > was.date) own.set(m.regionId, { ...m, fresh: lastValidDay(rows, ind, m.date) >= end });
				}
			const node = rollUp(rows, ind.aggregation, own, regionId);
			stale = node.stale;
			if (node.figure) {
				const c = node.figure.coverage;
				value = {
					value: node.figure.value,
					date: node.figure.date,
					n: node.figure.n,
					demo: node.figure.demo,
					own: node.figure.own,
					coverage: c && {
						aggregation: c.aggregation,
						used: c.used.map((id) => slugOf.get(id)!),
						leftOut: [...c.leftOut].map(([id, reason]) => ({ region: slugOf.get(id)!, reason })),
						n: c.n,
						unweighted: c.unweighted
					},
					phases: null
				};
			}
		}
		// comparability of the baseline's area with the chosen one
		let label: string | null = null;
		if (!ind.comparable && ind.baselineRegion !== null) {
			if (ind.baselineRegion === 'nederland') label = 'landelijke nulmeting — niet vergelijkbaar';
			else {
				const scope = rows.regions.find((r) => r.slug === ind.baselineRegion);
				if (!scope || !samePopulation(rows, scope.id, regionId))
					label = `nulmeting van ${scope?.name ?? ind.baselineRegion} — niet vergelijkbaar`;
			}
		}
		return {
			ind,
			expected: {
				code: ind.code,
				perPeriod,
				value,
				stale,
				outsidePhases: outside,
				progress: progressOf(ind.direction, ind.baseline, ind.target, value?.value ?? null),
				comparable: label === null,
				comparability: label
			} satisfies ExpectedIndicator
		};
	});

	const reach = (list: readonly RecomputeRows['actions'][number][]) => {
		const r = { jongeren: 0, ouders: 0, professionals: 0 };
		for (const a of list) {
			r.jongeren += a.jongeren;
			r.ouders += a.ouders;
			r.professionals += a.professionals;
		}
		return { actions: list.length, reached: { ...r, total: r.jongeren + r.ouders + r.professionals } };
	};
	const numeric = indicators.filter((i) => i.ind.unit !== 'text');
	const summerActions = actions.filter((a) => inNoPhase(a.date));
	const phaseById = new Map(rows.phases.map((p) => [p.id, p]));

	const themes = rows.themes.map((t): ExpectedTheme => {
		const stepIds = rows.steps.filter((s) => s.themeId === t.id).map((s) => s.id);
		const mine = indicators.filter((i) => i.ind.themeId === t.id);
		const mineNumeric = mine.filter((i) => i.ind.unit !== 'text');
		const counting = mine.flatMap((i) =>
			i.expected.comparable && i.expected.progress !== null ? [i.expected.progress] : []
		);
		// the latest final evaluation of the theme's steps in a phase started by the period's end; on the same
		// phase the first step in plan order
		let best: { e: RecomputeRows['evaluations'][number]; start: string; order: number } | null = null;
		for (const e of rows.evaluations) {
			const ph = phaseById.get(e.phaseId);
			const order = stepIds.indexOf(e.stepId);
			if (e.state !== 'final' || order < 0 || !ph || ph.start > end) continue;
			if (!best || ph.start > best.start || (ph.start === best.start && order < best.order))
				best = { e, start: ph.start, order };
		}
		const mineActions = actions.filter((a) => stepIds.includes(a.stepId));
		return {
			code: t.code,
			progress: counting.length ? counting.reduce((s, p) => s + p, 0) / counting.length : null,
			status: best?.e.status ?? null,
			decision: best?.e.decision ?? null,
			evaluationPhase: best && { id: best.e.phaseId, name: phaseById.get(best.e.phaseId)!.name },
			...reach(mineActions.filter((a) => inPeriod(a.date))),
			indicators: mineNumeric.length,
			indicatorsWithoutData: mineNumeric.filter((i) => i.expected.value === null).length,
			indicatorsFresh: mineNumeric.filter((i) => i.expected.value !== null).length,
			outsidePhases: reach(mineActions.filter((a) => inNoPhase(a.date)))
		};
	});

	return {
		schoolYear: year.name,
		phase: chosenPhase ? { id: chosenPhase.id, name: chosenPhase.name } : null,
		fresh: { indicators: numeric.filter((i) => i.expected.value !== null).length, of: numeric.length },
		outsidePhases: {
			...reach(summerActions),
			indicators: indicators.filter((i) => i.expected.outsidePhases !== null).map((i) => i.ind.code)
		},
		themes,
		indicators: numeric.map((i) => i.expected)
	};
}
