import { sql, type ExpressionBuilder, type ExpressionWrapper, type RawBuilder } from 'kysely';
import type { Database } from '../db/schema.ts';
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

export async function loadFrame(db: Conn, programmeId: number): Promise<FrameRow[]> {
	const live = (t: 'ambitions' | 'outcomes' | 'themes') =>
		db.selectFrom(t).where('programme_id', '=', programmeId).where('archived_at', 'is', null);
	const noABC = [nullText('a'), nullText('b'), nullText('c')] as const;
	const regions = db
		.selectFrom('regions')
		.where('programme_id', '=', programmeId)
		.select((eb) => [
			kind('region'),
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
		.where('programme_id', '=', programmeId)
		.select([
			kind('school_year'),
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
		.where('programme_id', '=', programmeId)
		.select([
			kind('phase'),
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
		.where('programme_id', '=', programmeId)
		.where('archived_at', 'is', null)
		.select([
			kind('next_step'),
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
		.where('programme_id', '=', programmeId)
		.where('archived_at', 'is', null)
		.select([
			kind('solution'),
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
		.where('s.programme_id', '=', programmeId)
		.select([
			kind('evaluation'),
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
		id: Number(r.id),
		sort: Number(r.sort),
		parent: r.parent === null ? null : Number(r.parent),
		ref: r.ref === null ? null : Number(r.ref)
	}));
}

/** Indicators not archived themselves; those below an archived node are left out by the service (liveTree, the one rule). */
export const listIndicators = (db: Conn, programmeId: number) =>
	db
		.selectFrom('indicators')
		.select([
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
			'valid_months',
			'baseline_region',
			'comparable',
			'key_indicator',
			'sort_order'
		])
		.where('programme_id', '=', programmeId)
		.where('archived_at', 'is', null)
		.orderBy('sort_order')
		.orderBy('id')
		.execute();

export type FigureKind = 'latest' | 'previous' | 'day' | 'raw' | 'newest_action';
export interface FigureRow {
	kind: FigureKind;
	indicator_id: number;
	region_id: number;
	date: string;
	value: number;
	n: number | null;
	source: string | null;
	demo: number;
}

export interface FigureQuery {
	programmeId: number;
	regionIds: number[] | null;
	/** per (indicator, region): the latest approved value on or before `end` */
	end: string;
	/** per-period indicators: their approved values from `start` to `end` summed per day */
	perPeriod: { indicatorIds: number[]; start: string | null; end: string };
	/** also every approved value of these indicators up to `end` (`raw`: for their charts and curves) */
	raw?: { indicatorIds: number[]; start: string | null; end: string };
}

const figureKind = (k: FigureKind) => sql.lit(k).as('kind');

/** null = every region of the programme */
const regionFilter = (ids: number[] | null, column = 'm.region_id'): RawBuilder<boolean> =>
	ids === null
		? sql<boolean>`1 = 1`
		: ids.length === 0
			? sql<boolean>`1 = 0`
			: sql<boolean>`${sql.ref(column)} in (${sql.join(ids)})`;

/**
 * Approved numeric measurements, in one query: per (indicator, region) the latest on or before the end of
 * the window (tagged `latest`; whether it is still valid is the domain's call, validity.ts), for
 * per-period indicators the school year's values summed per day (`day`; the domain puts each day in its
 * phase with phaseOf), for one indicator, every value (`raw`), and the date of the newest live action on or
 * before `end` in the regions (`newest_action`, one row when there is one): with the `latest` rows it tells
 * the last period with data when the chosen one has none, without another round trip.
 */
export async function loadFigures(db: Conn, q: FigureQuery): Promise<FigureRow[]> {
	const { perPeriod } = q;
	const { start } = perPeriod;
	const ofProgramme = db.selectFrom('indicators').select('id').where('programme_id', '=', q.programmeId);
	const counting = db
		.selectFrom('measurements as m')
		.where('m.status', '=', 'approved')
		.where('m.value', 'is not', null)
		.where('m.indicator_id', 'in', ofProgramme)
		.where(regionFilter(q.regionIds));
	// one index seek per (indicator, region) pair (index measurements_latest), not a scan of all history;
	// and per pair the value before that one (tagged `previous`): with it the domain tells the trend
	const approvedBefore = (
		eb: ExpressionBuilder<Database & { l: { indicator_id: number; region_id: number; date: string | null } }, 'l'>
	) =>
		eb
			.selectFrom('measurements as x')
			.select((x) => x.fn.max('x.date').as('d'))
			.whereRef('x.indicator_id', '=', 'l.indicator_id')
			.whereRef('x.region_id', '=', 'l.region_id')
			.where('x.status', '=', 'approved')
			.where('x.value', 'is not', null);
	const dates = db
		.with('pairs', (qb) =>
			qb
				.selectFrom('indicators as i')
				.innerJoin('regions as r', 'r.programme_id', 'i.programme_id')
				.select(['i.id as indicator_id', 'r.id as region_id'])
				.where('i.programme_id', '=', q.programmeId)
				.where('i.archived_at', 'is', null)
				.where('i.unit', '!=', 'text')
				.where(regionFilter(q.regionIds, 'r.id'))
		)
		.with('latest_dates', (qb) =>
			qb
				.selectFrom('pairs as l')
				.select((eb) => ['l.indicator_id', 'l.region_id', approvedBefore(eb).where('x.date', '<=', q.end).as('date')])
		)
		.with('figure_dates', (qb) =>
			qb
				.selectFrom('latest_dates as l')
				.select([figureKind('latest'), 'l.indicator_id', 'l.region_id', 'l.date'])
				.unionAll(
					qb
						.selectFrom('latest_dates as l')
						.select((eb) => [
							figureKind('previous'),
							'l.indicator_id',
							'l.region_id',
							approvedBefore(eb).whereRef('x.date', '<', 'l.date').as('date')
						])
						.where('l.date', 'is not', null)
						// a per-period figure's trend compares its phases, not values before the latest
						.$if(perPeriod.indicatorIds.length > 0, (qb) =>
							qb.where('l.indicator_id', 'not in', perPeriod.indicatorIds)
						)
				)
		);
	let query = dates
		.selectFrom('measurements as m')
		.innerJoin('figure_dates as f', (j) =>
			j
				.onRef('f.indicator_id', '=', 'm.indicator_id')
				.onRef('f.region_id', '=', 'm.region_id')
				.onRef('f.date', '=', 'm.date')
		)
		.where('m.status', '=', 'approved')
		.where('m.value', 'is not', null)
		.select([
			sql<FigureKind>`f.kind`.as('kind'),
			'm.indicator_id',
			'm.region_id',
			'm.date',
			'm.value',
			'm.n',
			'm.source',
			'm.demo'
		])
		.$if(perPeriod.indicatorIds.length > 0, (qb) =>
			qb.unionAll(
				counting
					.select((eb) => [
						figureKind('day'),
						'm.indicator_id',
						'm.region_id',
						'm.date',
						eb.fn.sum<number | null>('m.value').as('value'),
						eb.fn.sum<number | null>('m.n').as('n'),
						eb.fn.max('m.source').as('source'),
						eb.fn.max('m.demo').as('demo')
					])
					.where('m.indicator_id', 'in', perPeriod.indicatorIds)
					.where('m.date', '<=', perPeriod.end)
					.$if(start !== null, (qb) => qb.where('m.date', '>=', start ?? ''))
					.groupBy(['m.indicator_id', 'm.region_id', 'm.date'])
			)
		);
	// the newest action walks the (programme_id, date) index backwards and stops at the first live one
	const newestAction = db
		.selectFrom('actions as m')
		.select('m.date')
		.where('m.programme_id', '=', q.programmeId)
		.where('m.deleted_at', 'is', null)
		.where(regionFilter(q.regionIds))
		.where('m.date', '<=', q.end)
		.orderBy('m.date', 'desc')
		.limit(1)
		.as('a');
	query = query.unionAll(
		db
			.selectFrom(newestAction)
			.select([
				figureKind('newest_action'),
				sql<number>`CAST(0 AS integer)`.as('indicator_id'),
				sql<number>`CAST(0 AS integer)`.as('region_id'),
				'a.date',
				sql<number>`CAST(0 AS integer)`.as('value'),
				sql<number | null>`CAST(NULL AS integer)`.as('n'),
				sql<string | null>`CAST(NULL AS text)`.as('source'),
				sql<number>`CAST(0 AS integer)`.as('demo')
			])
	);
	if (q.raw && q.raw.indicatorIds.length > 0)
		query = query.unionAll(
			counting
				.select([figureKind('raw'), 'm.indicator_id', 'm.region_id', 'm.date', 'm.value', 'm.n', 'm.source', 'm.demo'])
				.where('m.indicator_id', 'in', q.raw.indicatorIds)
				.where('m.date', '<=', q.raw.end)
				.$if(q.raw.start !== null, (qb) => qb.where('m.date', '>=', q.raw?.start ?? ''))
		);
	const rows = await query.execute();
	return rows.map((r) => ({
		...r,
		value: Number(r.value),
		n: r.n === null ? null : Number(r.n),
		demo: Number(r.demo)
	}));
}

/**
 * Actions of a span grouped by day, step, solution, kind and region (the counts behind cards, charts and derived indicators).
 * The date window only narrows what is read (inclusive, the same boundaries as phaseOf); which phase an action
 * counts in is decided afterwards by phaseOf() in the domain, the one definition.
 */
export const loadActionGroups = (
	db: Conn,
	programmeId: number,
	regionIds: number[] | null,
	start: string | null,
	end: string
) =>
	db
		.selectFrom('actions as m')
		.select((eb) => [
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
		.where('m.programme_id', '=', programmeId)
		.where('m.deleted_at', 'is', null)
		.where(regionFilter(regionIds))
		.where('m.date', '<=', end)
		.$if(start !== null, (qb) => qb.where('m.date', '>=', start!))
		.groupBy(['m.date', 'm.next_step_id', 'm.solution_id', 'm.kind', 'm.region_id'])
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
