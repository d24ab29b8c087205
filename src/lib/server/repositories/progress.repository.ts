import {
	sql,
	type ExpressionBuilder,
	type Kysely,
	type SelectQueryBuilder,
	type ExpressionWrapper,
	type RawBuilder
} from 'kysely';
import type { Database } from '../db/schema.ts';
import { onPostgres } from '../db/create-db.ts';
import type { Conn } from '../db/types.ts';

/**
 * The queries behind progress, the dashboard and the report. Their number is fixed whatever the size of
 * a programme (the dashboard's budget is 10 queries per request, sign-in included), so the small tables
 * that make up a programme's frame come back in ONE query as tagged rows.
 */

export type FrameKind =
	'region' | 'school_year' | 'phase' | 'ambition' | 'outcome' | 'theme' | 'next_step' | 'solution' | 'evaluation';

/**
 * One row of the frame. Meaning per kind — region: parent = parent region, code = slug, a = kind;
 * phase: parent = school year, a/b/c = start/end/evaluation date; theme: ref = number;
 * next_step: parent = theme; theme and next_step: a/b/c = system-map level (as text)/perspectives/trend;
 * solution: parent = next step;
 * evaluation: parent = next step, ref = phase, a = state, b = status, c = decision.
 */
export interface FrameRow {
	kind: FrameKind;
	programme: number;
	id: number;
	parent: number | null;
	ref: number | null;
	code: string | null;
	title: string | null;
	sort: number;
	a: string | null;
	b: string | null;
	c: string | null;
}

// typed, because PostgreSQL resolves the types of a chain of UNIONs pair by pair
const nullInt = <A extends string>(as: A) => sql<number | null>`CAST(NULL AS integer)`.as(as);
const nullText = <A extends string>(as: A) => sql<string | null>`CAST(NULL AS text)`.as(as);
/** widening only (T to T | null), so the first branch of a union admits the later ones */
const orNull = <T>(e: ExpressionWrapper<Database, 'regions', T>) => e.$castTo<T | null>();
const kind = (k: FrameKind) => sql.lit(k).as('kind');

/** The frames of these programmes (each row names its programme). */
export async function loadFrame(db: Conn, programmeIds: readonly number[]): Promise<FrameRow[]> {
	if (programmeIds.length === 0) return [];
	const ids = [...programmeIds];
	const live = (t: 'ambitions' | 'outcomes' | 'themes') =>
		db.selectFrom(t).where('programme_id', 'in', ids).where('archived_at', 'is', null);
	const noABC = [nullText('a'), nullText('b'), nullText('c')] as const;
	const regions = db
		.selectFrom('regions')
		.where('programme_id', 'in', ids)
		.select((eb) => [
			kind('region'),
			'programme_id as programme',
			'id',
			'parent_id as parent',
			nullInt('ref'),
			// the union's row type is its first branch's: widened where later branches have null
			orNull(eb.ref('slug')).as('code'),
			orNull(eb.ref('name')).as('title'),
			'sort_order as sort',
			orNull(eb.ref('kind')).as('a'),
			nullText('b'),
			nullText('c')
		]);
	const schoolYears = db
		.selectFrom('school_years')
		.where('programme_id', 'in', ids)
		.select([
			kind('school_year'),
			'programme_id as programme',
			'id',
			nullInt('parent'),
			nullInt('ref'),
			nullText('code'),
			'name as title',
			sql.lit(0).as('sort'),
			...noABC
		]);
	const phases = db
		.selectFrom('phases')
		.where('programme_id', 'in', ids)
		.select([
			kind('phase'),
			'programme_id as programme',
			'id',
			'school_year_id as parent',
			nullInt('ref'),
			nullText('code'),
			'name as title',
			'sort_order as sort',
			'start_date as a',
			'end_date as b',
			'evaluation_date as c'
		]);
	const ambitions = live('ambitions').select([
		kind('ambition'),
		'programme_id as programme',
		'id',
		nullInt('parent'),
		nullInt('ref'),
		'code',
		'title',
		'sort_order as sort',
		...noABC
	]);
	const outcomes = live('outcomes').select([
		kind('outcome'),
		'programme_id as programme',
		'id',
		nullInt('parent'),
		nullInt('ref'),
		'code',
		'title',
		'sort_order as sort',
		...noABC
	]);
	const levelText = sql<string | null>`CAST(level AS text)`.as('a');
	const themes = live('themes').select([
		kind('theme'),
		'programme_id as programme',
		'id',
		nullInt('parent'),
		'number as ref',
		'code',
		'title',
		'sort_order as sort',
		levelText,
		'perspectives as b',
		'trend as c'
	]);
	const nextSteps = db
		.selectFrom('next_steps')
		.where('programme_id', 'in', ids)
		.where('archived_at', 'is', null)
		.select([
			kind('next_step'),
			'programme_id as programme',
			'id',
			'theme_id as parent',
			nullInt('ref'),
			'code',
			'title',
			'sort_order as sort',
			levelText,
			'perspectives as b',
			'trend as c'
		]);
	const solutions = db
		.selectFrom('solutions')
		.where('programme_id', 'in', ids)
		.where('archived_at', 'is', null)
		.select([
			kind('solution'),
			'programme_id as programme',
			'id',
			'next_step_id as parent',
			nullInt('ref'),
			'code',
			'title',
			'sort_order as sort',
			...noABC
		]);
	const evaluations = db
		.selectFrom('evaluations as e')
		.innerJoin('next_steps as s', 's.id', 'e.next_step_id')
		.where('s.programme_id', 'in', ids)
		.select([
			kind('evaluation'),
			's.programme_id as programme',
			'e.id',
			'e.next_step_id as parent',
			'e.phase_id as ref',
			nullText('code'),
			nullText('title'),
			sql.lit(0).as('sort'),
			'e.state as a',
			'e.status as b',
			'e.decision as c'
		]);
	const rows = await regions
		.unionAll(schoolYears)
		.unionAll(phases)
		.unionAll(ambitions)
		.unionAll(outcomes)
		.unionAll(themes)
		.unionAll(nextSteps)
		.unionAll(solutions)
		.unionAll(evaluations)
		.execute();
	return rows.map((r) => ({
		...r,
		programme: Number(r.programme),
		id: Number(r.id),
		sort: Number(r.sort),
		parent: r.parent === null ? null : Number(r.parent),
		ref: r.ref === null ? null : Number(r.ref)
	}));
}

/** Indicators not archived themselves; those below an archived node are left out by the service (liveTree, the one rule). */
export const listIndicators = (db: Conn, programmeIds: readonly number[]) =>
	db
		.selectFrom('indicators')
		.select([
			'programme_id',
			'id',
			'code',
			'name',
			'kind',
			'unit',
			'direction',
			'frequency',
			'aggregation',
			'source',
			'ambition_id',
			'outcome_id',
			'theme_id',
			'next_step_id',
			'solution_id',
			'baseline_value',
			'baseline_date',
			'baseline_source',
			'baseline_demo',
			'target_value',
			'target_date',
			'target_demo',
			'targets',
			'derived',
			'dimensions',
			'valid_months',
			'baseline_region',
			'comparable',
			'key_indicator',
			'dimensions',
			'category_targets',
			'sort_order'
		])
		.where('programme_id', 'in', [...programmeIds])
		.where('archived_at', 'is', null)
		.orderBy('sort_order')
		.orderBy('id')
		.execute();

export type FigureKind = 'latest' | 'previous' | 'day' | 'raw' | 'newest_action';
export interface FigureRow {
	kind: FigureKind;
	programme_id: number;
	indicator_id: number;
	region_id: number;
	date: string;
	value: number;
	n: number | null;
	source: string | null;
	demo: number;
	/** the measurement's categories (JSON, breakdown.ts) when a category is asked for */
	categories?: string | null;
}

/** One programme's windows: the latest values on or before `end`, per-period indicators' days from `perPeriodStart` to `perPeriodEnd`. */
export interface FigureWindow {
	programmeId: number;
	/** per (indicator, region): the latest approved value on or before `end` */
	end: string;
	/** per-period indicators: their approved values from `perPeriodStart` (null = from the beginning) to `perPeriodEnd` summed per day */
	perPeriodStart: string | null;
	perPeriodEnd: string;
}

export interface FigureQuery {
	/** one per programme (the overview reads every programme in the same one query) */
	windows: FigureWindow[];
	/** the regions counted; null = every region of the programmes */
	regionIds: number[] | null;
	/** the per-period indicators (of any of the programmes) */
	perPeriodIds: number[];
	/** false: not the values before the latest (no trend wanted) */
	previous?: boolean;
	/** also every approved value of these indicators from `start` to `end` (`raw`: for their charts and curves) */
	raw?: { indicatorIds: number[]; start: string | null; end: string; categories?: boolean };
	/**
	 * one category (`geslacht:meisje`): per (indicator, region) the latest approved measurement THAT HAS it
	 * (and the one before it, and every day's and raw one that has it), each with its categories; absent or
	 * null = the totals, by exactly the query without it
	 */
	category?: string | null;
}

/**
 * A measurement has the category when its stored list (storeCategories: canonical JSON, keys of lowercase
 * letters, digits and dashes, so no LIKE wildcard) holds an object that starts with it.
 */
const hasCategory = (category: string, column: string): RawBuilder<boolean> => {
	const [dimension, value] = category.split(':');
	const pattern = `%${JSON.stringify({ dimension, category: value }).slice(0, -1)},%`;
	return sql<boolean>`${sql.ref(column)} like ${pattern}`;
};

type FigureSelect = Omit<FigureRow, 'value'> & { value: number | null };
const figureKind = (k: FigureKind) => sql.lit(k).as('kind');
/** what every figure row carries of its measurement */
const VALUE_COLUMNS = ['m.date', 'm.value', 'm.n', 'm.source', 'm.demo'] as const;

/** null = every region of the programme */
const regionFilter = (ids: number[] | null, column = 'm.region_id'): RawBuilder<boolean> =>
	ids === null
		? sql<boolean>`1 = 1`
		: ids.length === 0
			? sql<boolean>`1 = 0`
			: sql<boolean>`${sql.ref(column)} in (${sql.join(ids)})`;

/** The windows as a table `w` (typed: PostgreSQL cannot infer a VALUES list's parameter types). */
const windowRows = (windows: readonly FigureWindow[]) =>
	sql<{ programme_id: number; end_date: string; pp_start: string | null; pp_end: string }>`(values ${sql.join(
		windows.map(
			(w) =>
				sql`(CAST(${w.programmeId} AS integer), CAST(${w.end} AS text), CAST(${w.perPeriodStart} AS text), CAST(${w.perPeriodEnd} AS text))`
		)
	)})`;

/**
 * Approved numeric measurements, in one query whatever the number of programmes: per (indicator, region)
 * the latest on or before the end of its programme's window (tagged `latest`; whether it is still valid is the
 * domain's call, validity.ts) and the one before it (`previous`, for the trend; not for per-period
 * indicators, whose trend compares their phases), for per-period indicators the school year's values summed
 * per day (`day`; the domain puts each day in its phase with phaseOf), for some indicators every value
 * (`raw`), and per programme the date of the newest live action on or before `end` in the regions
 * (`newest_action`, one row when there is one): with the `latest` rows it tells the last period with data
 * when the chosen one has none, without another round trip.
 */
export async function loadFigures(db: Conn, q: FigureQuery): Promise<FigureRow[]> {
	if (q.windows.length === 0) return [];
	const noPrevious = q.perPeriodIds;
	const withPrevious = q.previous !== false;
	const cat = q.category ?? null;
	// the totals with the raw rows' categories (the report's gaps between categories): NULL in every other branch
	const rawCategories = cat === null && q.raw?.categories === true && q.raw.indicatorIds.length > 0;
	/**
	 * the categories column in every branch of the union, only when a category (or the raw rows' categories)
	 * is asked for; typed as the query it is given, since it is read back only then (FigureRow.categories)
	 */
	const withCategories = <DB, TB extends keyof DB, O>(
		qb: SelectQueryBuilder<DB, TB, O>,
		given: string | null,
		raw = false
	): SelectQueryBuilder<DB, TB, O> => {
		const column = cat !== null || raw ? given : null;
		return cat === null && !rawCategories
			? qb
			: (qb.select(
					column === null ? sql<string | null>`CAST(NULL AS text)`.as('categories') : sql.ref(column).as('categories')
				) as unknown as SelectQueryBuilder<DB, TB, O>);
	};
	const starts = q.windows.map((w) => w.perPeriodStart);
	const outer = {
		start: starts.includes(null) ? null : (starts as string[]).reduce((a, b) => (b < a ? b : a)),
		end: q.windows.map((w) => w.perPeriodEnd).reduce((a, b) => (b > a ? b : a))
	};
	const withWindows = db.with('w(programme_id, end_date, pp_start, pp_end)', () => windowRows(q.windows));
	const pairs = withWindows.with('pairs', (qb) =>
		qb
			.selectFrom('w')
			.innerJoin('indicators as i', 'i.programme_id', 'w.programme_id')
			.innerJoin('regions as r', 'r.programme_id', 'w.programme_id')
			.select(['w.programme_id', 'w.end_date', 'i.id as indicator_id', 'r.id as region_id'])
			.where('i.archived_at', 'is', null)
			.where('i.unit', '!=', 'text')
			// a derived indicator's values come from the action log: it has no measurements (entry refuses them)
			.where('i.derived', 'is', null)
			.where(regionFilter(q.regionIds, 'r.id'))
	);
	// one index seek per (indicator, region) pair (index measurements_latest), not a scan of all history
	const approvedBefore = (
		eb: ExpressionBuilder<Database & { l: PairRow }, 'l'>,
		op: '<=' | '<',
		bound: 'l.end_date' | 'l.date'
	) =>
		eb
			.selectFrom('measurements as x')
			.select((x) => x.fn.max('x.date').as('d'))
			.whereRef('x.indicator_id', '=', 'l.indicator_id')
			.whereRef('x.region_id', '=', 'l.region_id')
			.where('x.status', '=', 'approved')
			.where('x.value', 'is not', null)
			.whereRef('x.date', op, bound)
			.$if(cat !== null, (qb) => qb.where(hasCategory(cat!, 'x.categories')));
	let query = (onPostgres(db)
		? // PostgreSQL: per pair ONE backward walk of the partial covering index measurements_approved_latest
			// that reads the latest two values (an index-only scan), instead of two seeks for their dates and a
			// third for the row, which cost PostgreSQL (a round of buffer lookups each) far more than SQLite
			pairs
				.selectFrom('pairs as l')
				.innerJoinLateral(
					(eb) =>
						eb
							.selectFrom(
								eb
									.selectFrom('measurements as x')
									.select(['x.date', 'x.value', 'x.n', 'x.source', 'x.demo'])
									.whereRef('x.indicator_id', '=', 'l.indicator_id')
									.whereRef('x.region_id', '=', 'l.region_id')
									.where('x.status', '=', 'approved')
									.where('x.value', 'is not', null)
									.whereRef('x.date', '<=', 'l.end_date')
									.$if(cat !== null, (qb) => qb.where(hasCategory(cat!, 'x.categories')))
									.$call((qb) => withCategories(qb, 'x.categories'))
									.orderBy('x.date', 'desc')
									.limit(withPrevious ? 2 : 1)
									.as('two')
							)
							.select(['two.date', 'two.value', 'two.n', 'two.source', 'two.demo'])
							.$call((qb) => withCategories(qb, 'two.categories'))
							.select(sql<number>`row_number() over (order by two.date desc)`.as('rank'))
							.as('m'),
					(join) => join.onTrue()
				)
				.select([
					sql<FigureKind>`case when m.rank = 1 then 'latest' else 'previous' end`.as('kind'),
					'l.programme_id',
					'l.indicator_id',
					'l.region_id',
					...VALUE_COLUMNS
				])
				.$call((qb) => withCategories(qb, 'm.categories'))
				.$if(noPrevious.length > 0, (qb) =>
					qb.where((eb) => eb.or([eb('m.rank', '=', 1), eb('l.indicator_id', 'not in', noPrevious)]))
				)
				.$assertType<FigureSelect>()
		: pairs
				.with('latest_dates', (qb) =>
					qb.selectFrom('pairs as l').select((eb) => [
						'l.programme_id',
						'l.indicator_id',
						'l.region_id',
						// `as never`: each CTE's row type differs; the columns the seek reads are the same
						approvedBefore(eb as never, '<=', 'l.end_date').as('date')
					])
				)
				.with('figure_dates', (qb) =>
					qb
						.selectFrom('latest_dates as l')
						.select([figureKind('latest'), 'l.programme_id', 'l.indicator_id', 'l.region_id', 'l.date'])
						.unionAll(
							qb
								.selectFrom('latest_dates as l')
								.select((eb) => [
									figureKind('previous'),
									'l.programme_id',
									'l.indicator_id',
									'l.region_id',
									approvedBefore(eb as never, '<', 'l.date').as('date')
								])
								.where('l.date', 'is not', null)
								.$if(!withPrevious, (qb) => qb.where(sql<boolean>`1 = 0`))
								.$if(noPrevious.length > 0, (qb) => qb.where('l.indicator_id', 'not in', noPrevious))
						)
				)
				.selectFrom('measurements as m')
				.innerJoin('figure_dates as f', (j) =>
					j
						.onRef('f.indicator_id', '=', 'm.indicator_id')
						.onRef('f.region_id', '=', 'm.region_id')
						.onRef('f.date', '=', 'm.date')
				)
				.where('m.status', '=', 'approved')
				.where('m.value', 'is not', null)
				.$if(cat !== null, (qb) => qb.where(hasCategory(cat!, 'm.categories')))
				.select([
					sql<FigureKind>`f.kind`.as('kind'),
					'f.programme_id',
					'm.indicator_id',
					'm.region_id',
					...VALUE_COLUMNS
				])
				.$call((qb) => withCategories(qb, 'm.categories'))
				.$assertType<FigureSelect>()) as unknown as SelectQueryBuilder<
		Database & { w: WindowRow },
		'measurements' | 'w',
		FigureSelect
	>; // the dialects' CTE names need not leak
	// the branches below see the table `w` defined at the top of the one statement
	const tw = db as unknown as Kysely<Database & { w: WindowRow }>;
	const counting = tw
		.selectFrom('measurements as m')
		.innerJoin('indicators as i', 'i.id', 'm.indicator_id')
		.where('m.status', '=', 'approved')
		.where('m.value', 'is not', null)
		.where(regionFilter(q.regionIds))
		.$if(cat !== null, (qb) => qb.where(hasCategory(cat!, 'm.categories')));
	if (noPrevious.length > 0 && cat !== null)
		// a category's figures are inside each measurement's JSON: its days' values are summed by the domain
		query = query.unionAll(
			counting
				.innerJoin('w', 'w.programme_id', 'i.programme_id')
				.select([figureKind('day'), 'i.programme_id', 'm.indicator_id', 'm.region_id', ...VALUE_COLUMNS])
				.$call((qb) => withCategories(qb, 'm.categories'))
				.where('m.indicator_id', 'in', noPrevious)
				.whereRef('m.date', '<=', 'w.pp_end')
				.where((eb) => eb.or([eb('w.pp_start', 'is', null), eb('m.date', '>=', eb.ref('w.pp_start'))]))
				.where('m.date', '<=', outer.end)
				.$if(outer.start !== null, (qb) => qb.where('m.date', '>=', outer.start ?? ''))
		);
	else if (noPrevious.length > 0)
		query = query.unionAll(
			counting
				.innerJoin('w', 'w.programme_id', 'i.programme_id')
				.select((eb) => [
					figureKind('day'),
					'i.programme_id',
					'm.indicator_id',
					'm.region_id',
					'm.date',
					eb.fn.sum<number | null>('m.value').as('value'),
					eb.fn.sum<number | null>('m.n').as('n'),
					eb.fn.max('m.source').as('source'),
					eb.fn.max('m.demo').as('demo')
				])
				.$call((qb) => withCategories(qb, null))
				.where('m.indicator_id', 'in', noPrevious)
				.whereRef('m.date', '<=', 'w.pp_end')
				.where((eb) => eb.or([eb('w.pp_start', 'is', null), eb('m.date', '>=', eb.ref('w.pp_start'))]))
				// the windows' outer bounds again as constants, so the index range is bounded (implied by the above)
				.where('m.date', '<=', outer.end)
				.$if(outer.start !== null, (qb) => qb.where('m.date', '>=', outer.start ?? ''))
				.groupBy(['i.programme_id', 'm.indicator_id', 'm.region_id', 'm.date'])
		);
	// the newest action walks the (programme_id, date) index backwards and stops at the first live one
	query = query.unionAll(
		tw
			.selectFrom(
				tw
					.selectFrom('w')
					.select((eb) => [
						'w.programme_id',
						eb
							.selectFrom('actions as m')
							.select('m.date')
							.whereRef('m.programme_id', '=', 'w.programme_id')
							.where('m.deleted_at', 'is', null)
							.where(regionFilter(q.regionIds))
							.whereRef('m.date', '<=', 'w.end_date')
							.orderBy('m.date', 'desc')
							.limit(1)
							.as('date')
					])
					.as('a')
			)
			.where('a.date', 'is not', null)
			.select([
				figureKind('newest_action'),
				'a.programme_id',
				sql<number>`CAST(0 AS integer)`.as('indicator_id'),
				sql<number>`CAST(0 AS integer)`.as('region_id'),
				sql<string>`a.date`.as('date'),
				sql<number>`CAST(0 AS integer)`.as('value'),
				sql<number | null>`CAST(NULL AS integer)`.as('n'),
				sql<string | null>`CAST(NULL AS text)`.as('source'),
				sql<number>`CAST(0 AS integer)`.as('demo')
			])
			.$call((qb) => withCategories(qb, null))
	);
	const { raw } = q;
	if (raw && raw.indicatorIds.length > 0)
		query = query.unionAll(
			counting
				.select([figureKind('raw'), 'i.programme_id', 'm.indicator_id', 'm.region_id', ...VALUE_COLUMNS])
				.$call((qb) => withCategories(qb, 'm.categories', true))
				.where('m.indicator_id', 'in', raw.indicatorIds)
				.where('m.date', '<=', raw.end)
				.$if(raw.start !== null, (qb) => qb.where('m.date', '>=', raw.start ?? ''))
		);
	const rows = await query.execute();
	return rows.map((r) => ({
		...r,
		value: Number(r.value),
		n: r.n === null ? null : Number(r.n),
		demo: Number(r.demo)
	}));
}

type WindowRow = { programme_id: number; end_date: string; pp_start: string | null; pp_end: string };
/** a pair's row as the seeks see it: `end_date` from the window, `date` once its latest is known */
type PairRow = { indicator_id: number; region_id: number; end_date: string; date: string | null };

/**
 * Actions of a span grouped by day, step, solution, kind and region (the counts behind cards, charts and derived indicators).
 * The date window only narrows what is read (inclusive, the same boundaries as phaseOf); which phase an action
 * counts in is decided afterwards by phaseOf() in the domain, the one definition.
 */
export interface ActionWindow {
	programmeId: number;
	/** the span's first day (null = from the start) and last day, YYYY-MM-DD */
	start: string | null;
	end: string;
}

export const loadActionGroups = (db: Conn, windows: readonly ActionWindow[], regionIds: number[] | null) =>
	db
		.selectFrom('actions as m')
		.select((eb) => [
			'm.programme_id',
			'm.date',
			'm.next_step_id',
			'm.solution_id',
			'm.kind',
			'm.region_id',
			eb.fn.countAll<number>().as('actions'),
			eb.fn.sum<number>('m.reached_jongeren').as('jongeren'),
			eb.fn.sum<number>('m.reached_ouders').as('ouders'),
			eb.fn.sum<number>('m.reached_professionals').as('professionals'),
			eb.fn.max('m.demo').as('demo')
		])
		// one range of the (programme_id, date) index per programme
		.where((eb) =>
			eb.or(
				windows.map((w) =>
					eb.and([
						eb('m.programme_id', '=', w.programmeId),
						eb('m.date', '<=', w.end),
						...(w.start === null ? [] : [eb('m.date', '>=', w.start)])
					])
				)
			)
		)
		.where('m.deleted_at', 'is', null)
		.where(regionFilter(regionIds))
		.groupBy(['m.programme_id', 'm.date', 'm.next_step_id', 'm.solution_id', 'm.kind', 'm.region_id'])
		.execute();

export interface StoryQuery {
	/** the regions counted; null = the whole programme */
	regionIds: number[] | null;
	/** the span's first day (null = from the start) and last day, YYYY-MM-DD */
	start: string | null;
	end: string;
	/** funder views: shareable quotes only */
	publicOnly: boolean;
	/** the newest this many of each next step */
	perStep: number;
}

/** Quotes of a span, the newest `perStep` of each next step; `publicOnly` for funder views (shareable ones only). */
export function loadStories(db: Conn, programmeId: number, { regionIds, start, end, publicOnly, perStep }: StoryQuery) {
	const ranked = db
		.selectFrom('actions as m')
		.select((eb) => [
			'm.id',
			'm.date',
			'm.next_step_id',
			'm.region_id',
			'm.quote',
			'm.quote_public',
			'm.demo',
			eb.fn
				.agg<number>('row_number')
				.over((ob) => ob.partitionBy('m.next_step_id').orderBy('m.date', 'desc').orderBy('m.id', 'desc'))
				.as('rank')
		])
		.where('m.programme_id', '=', programmeId)
		.where('m.deleted_at', 'is', null)
		.where('m.quote', 'is not', null)
		.where('m.quote', '!=', '')
		.where(regionFilter(regionIds))
		.where('m.date', '<=', end)
		.$if(start !== null, (qb) => qb.where('m.date', '>=', start!))
		.$if(publicOnly, (qb) => qb.where('m.quote_public', '=', 1))
		.as('s');
	return db
		.selectFrom(ranked)
		.selectAll()
		.where('s.rank', '<=', perStep)
		.orderBy('s.date', 'desc')
		.orderBy('s.id', 'desc')
		.execute();
}

/**
 * Every approved value of ONE indicator that carries categories (breakdown.ts), in the regions, up to `end`:
 * the indicator page's breakdown, read apart so the dashboard's figure query stays as it is. Only values
 * with categories, since one without gives no category a figure (throughCategory leaves it out).
 */
export const loadCategoryHistory = (
	db: Conn,
	q: { indicatorId: number; regionIds: number[] | null; start: string | null; end: string }
) =>
	db
		.selectFrom('measurements as m')
		.select(['m.region_id', 'm.date', 'm.value', 'm.n', 'm.source', 'm.demo', 'm.categories'])
		.where('m.indicator_id', '=', q.indicatorId)
		.where('m.status', '=', 'approved')
		.where('m.value', 'is not', null)
		.where('m.categories', 'is not', null)
		.where(regionFilter(q.regionIds))
		.where('m.date', '<=', q.end)
		.$if(q.start !== null, (qb) => qb.where('m.date', '>=', q.start ?? ''))
		.execute();
