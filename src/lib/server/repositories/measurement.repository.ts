import { sql, type Insertable } from 'kysely';
import type { Conn } from '../db/types.ts';
import type { MeasurementTable } from '../db/schema.ts';
import type { MeasurementStatus } from '../../domain/measurement.ts';

export const listForIndicator = (db: Conn, indicatorId: number, regionId?: number) =>
	db
		.selectFrom('measurements as m')
		.innerJoin('indicators as i', 'i.id', 'm.indicator_id')
		.innerJoin('regions as r', 'r.id', 'm.region_id')
		.leftJoin('polls as p', 'p.id', 'm.poll_id')
		.select([
			'm.id',
			'i.code as indicator',
			'r.slug as region',
			'm.date',
			'm.value',
			'm.text',
			'm.n',
			'm.source',
			'm.note',
			'm.status',
			'm.demo',
			'm.poll_id',
			'p.name as poll_name'
		])
		.where('m.indicator_id', '=', indicatorId)
		.$if(regionId !== undefined, (qb) => qb.where('m.region_id', '=', regionId!))
		.orderBy('m.date')
		.orderBy('r.sort_order')
		.execute();

export const countForProgramme = (db: Conn, programmeId: number) =>
	db
		.selectFrom('measurements as m')
		.innerJoin('indicators as i', 'i.id', 'm.indicator_id')
		.select((eb) => eb.fn.countAll<number>().as('count'))
		.where('i.programme_id', '=', programmeId)
		.executeTakeFirstOrThrow()
		.then((r) => Number(r.count));

export interface RecordFilter {
	status?: MeasurementStatus[];
	indicatorIds?: number[];
	regionIds?: number[];
	from?: string;
	to?: string;
	createdBy?: number;
	id?: number;
	ids?: number[];
}

/** Measurements with their indicator, region and author, for lists, editing and review. */
const records = (db: Conn, programmeId: number, f: RecordFilter) =>
	db
		.selectFrom('measurements as m')
		.innerJoin('indicators as i', 'i.id', 'm.indicator_id')
		.innerJoin('regions as r', 'r.id', 'm.region_id')
		.leftJoin('users as u', 'u.id', 'm.created_by')
		.leftJoin('polls as p', 'p.id', 'm.poll_id')
		.select([
			'm.id',
			'm.indicator_id',
			'i.code as indicator',
			'i.name as indicator_name',
			'i.unit',
			'i.derived',
			'm.region_id',
			'r.slug as region',
			'r.name as region_name',
			'm.date',
			'm.value',
			'm.text',
			'm.n',
			'm.source',
			'm.note',
			'm.status',
			'm.review_comment',
			'm.review_flags',
			'm.categories',
			'm.demo',
			'm.version',
			'm.created_by',
			'u.name as created_by_name',
			'm.poll_id',
			'p.name as poll_name',
			'm.updated_at'
		])
		.where('i.programme_id', '=', programmeId)
		.$if(f.id !== undefined, (qb) => qb.where('m.id', '=', f.id!))
		.$if(f.ids !== undefined, (qb) => (f.ids!.length ? qb.where('m.id', 'in', f.ids!) : qb.where('m.id', '<', 0)))
		// an empty list matches nothing (and `in ()` is not valid SQL everywhere)
		.$if(f.status !== undefined, (qb) =>
			f.status!.length ? qb.where('m.status', 'in', f.status!) : qb.where('m.id', '<', 0)
		)
		.$if(f.indicatorIds !== undefined, (qb) =>
			f.indicatorIds!.length ? qb.where('m.indicator_id', 'in', f.indicatorIds!) : qb.where('m.id', '<', 0)
		)
		.$if(f.regionIds !== undefined, (qb) =>
			f.regionIds!.length ? qb.where('m.region_id', 'in', f.regionIds!) : qb.where('m.id', '<', 0)
		)
		.$if(f.from !== undefined, (qb) => qb.where('m.date', '>=', f.from!))
		.$if(f.to !== undefined, (qb) => qb.where('m.date', '<=', f.to!))
		.$if(f.createdBy !== undefined, (qb) => qb.where('m.created_by', '=', f.createdBy!));

export type RecordRow = Awaited<ReturnType<typeof findRecord>> & {};

export const findRecord = (db: Conn, programmeId: number, id: number) =>
	records(db, programmeId, { id }).executeTakeFirst();

export const listRecords = (db: Conn, programmeId: number, f: RecordFilter, page: { limit: number; offset: number }) =>
	records(db, programmeId, f)
		.orderBy('m.date', 'desc')
		.orderBy('m.id', 'desc')
		.limit(page.limit)
		.offset(page.offset)
		.execute();

export const countRecords = (db: Conn, programmeId: number, f: RecordFilter) =>
	records(db, programmeId, f)
		.clearSelect()
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow()
		.then((r) => Number(r.n));

/** One page of an export, in a stable order (keyset on id, so a large export never holds everything). */
/** A page of an export, with what the validity of each value needs (validity.ts). */
export const exportPage = (db: Conn, programmeId: number, f: RecordFilter, afterId: number, limit: number) =>
	records(db, programmeId, f)
		.select(['i.frequency', 'i.valid_months', 'i.target_date'])
		.where('m.id', '>', afterId)
		.orderBy('m.id')
		.limit(limit)
		.execute();

export const findByKey = (db: Conn, indicatorId: number, regionId: number, date: string) =>
	db
		.selectFrom('measurements')
		.select(['id', 'status'])
		.where('indicator_id', '=', indicatorId)
		.where('region_id', '=', regionId)
		.where('date', '=', date)
		.executeTakeFirst();

export async function insertMeasurement(db: Conn, row: Insertable<MeasurementTable>): Promise<number> {
	const { id } = await db.insertInto('measurements').values(row).returning('id').executeTakeFirstOrThrow();
	return id;
}

type Changes = Partial<
	Pick<
		MeasurementTable,
		| 'region_id'
		| 'date'
		| 'value'
		| 'text'
		| 'n'
		| 'source'
		| 'note'
		| 'status'
		| 'review_comment'
		| 'review_flags'
		| 'categories'
		| 'reviewed_by'
		| 'reviewed_at'
	>
>;

/** Updates only when the row still has `version`; false when someone else changed it first. */
export async function updateIfVersion(db: Conn, id: number, version: number, changes: Changes): Promise<boolean> {
	const result = await db
		.updateTable('measurements')
		.set({ ...changes, version: version + 1, updated_at: new Date().toISOString() })
		.where('id', '=', id)
		.where('version', '=', version)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

export const queueCount = (db: Conn, programmeId: number) =>
	records(db, programmeId, { status: ['submitted'] })
		.clearSelect()
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow()
		.then((r) => Number(r.n));

/** Stored measurements among these indicators and dates (an import batch checks its keys against them). */
export const existingFor = (db: Conn, indicatorIds: number[], dates: string[]) =>
	db
		.selectFrom('measurements')
		.select([
			'id',
			'indicator_id',
			'region_id',
			'date',
			'value',
			'text',
			'n',
			'source',
			'note',
			'status',
			'demo',
			'created_by',
			'categories'
		])
		.where('indicator_id', 'in', indicatorIds)
		.where('date', 'in', dates)
		.execute();

/** The dimension keys (JSON, breakdown.ts) of every indicator of a programme, archived ones included. */
export const indicatorDimensionKeys = (db: Conn, programmeId: number) =>
	db.selectFrom('indicators').select(['id', 'dimensions', 'derived']).where('programme_id', '=', programmeId).execute();

/**
 * Inserts rows believed new; a row whose (indicator, region, date) was stored meanwhile (by a concurrent
 * import or entry) is left as it is. Returns how many were inserted, so the caller can tell.
 */
export async function insertNew(db: Conn, rows: Insertable<MeasurementTable>[]): Promise<number> {
	if (rows.length === 0) return 0;
	const inserted = await db
		.insertInto('measurements')
		.values(rows)
		.onConflict((oc) => oc.columns(['indicator_id', 'region_id', 'date']).doNothing())
		.returning('id')
		.execute();
	return inserted.length;
}

/** Inserts new rows and overwrites existing ones of the same (indicator, region, date), in one statement. */
export async function upsertMany(db: Conn, rows: Insertable<MeasurementTable>[]): Promise<void> {
	if (rows.length === 0) return;
	await db
		.insertInto('measurements')
		.values(rows)
		.onConflict((oc) =>
			oc.columns(['indicator_id', 'region_id', 'date']).doUpdateSet((eb) => ({
				value: eb.ref('excluded.value'),
				text: eb.ref('excluded.text'),
				n: eb.ref('excluded.n'),
				source: eb.ref('excluded.source'),
				note: eb.ref('excluded.note'),
				categories: eb.ref('excluded.categories'),
				status: eb.ref('excluded.status'),
				demo: eb.ref('excluded.demo'),
				review_comment: null,
				review_flags: eb.ref('excluded.review_flags'),
				reviewed_by: eb.ref('excluded.reviewed_by'),
				reviewed_at: eb.ref('excluded.reviewed_at'),
				updated_at: eb.ref('excluded.updated_at'),
				version: eb('measurements.version', '+', 1)
			}))
		)
		.execute();
}

/** Where a value's previous one is looked for: the same indicator and region, strictly before the date. */
export interface PreviousKey {
	indicatorId: number;
	regionId: number;
	date: string;
}

/**
 * Per key the most recent approved numeric value of the same indicator and region before its date, in one
 * query for all keys (at most a few hundred: an import asks per batch), each key one seek on the
 * (indicator, region, date) index. Keys without a previous value are absent from the answer.
 */
export async function previousApproved(db: Conn, keys: readonly PreviousKey[]) {
	if (keys.length === 0) return [];
	const k = sql<{ indicator_id: number; region_id: number; date: string }>`(values ${sql.join(
		keys.map((x) => sql`(CAST(${x.indicatorId} AS integer), CAST(${x.regionId} AS integer), CAST(${x.date} AS text))`)
	)})`;
	return db
		.with('k(indicator_id, region_id, date)', () => k)
		.with('p', (qb) =>
			qb.selectFrom('k').select((eb) => [
				'k.indicator_id',
				'k.region_id',
				'k.date',
				eb
					.selectFrom('measurements as x')
					.select((x) => x.fn.max('x.date').as('d'))
					.whereRef('x.indicator_id', '=', 'k.indicator_id')
					.whereRef('x.region_id', '=', 'k.region_id')
					.where('x.status', '=', 'approved')
					.where('x.value', 'is not', null)
					.whereRef('x.date', '<', 'k.date')
					.as('previous_date')
			])
		)
		.selectFrom('p')
		.innerJoin('measurements as m', (j) =>
			j
				.onRef('m.indicator_id', '=', 'p.indicator_id')
				.onRef('m.region_id', '=', 'p.region_id')
				.onRef('m.date', '=', 'p.previous_date')
		)
		.select(['p.indicator_id', 'p.region_id', 'p.date', 'm.date as previous_date', 'm.value'])
		.where('m.status', '=', 'approved')
		.where('m.value', 'is not', null)
		.execute();
}

/** An indicator's validation rule columns (value-rules.ts `storedRules`) and its dimension keys (breakdown.ts). */
export const findRuleColumns = (db: Conn, indicatorId: number) =>
	db
		.selectFrom('indicators')
		.select(['rule_min', 'rule_max', 'rule_max_change', 'dimensions'])
		.where('id', '=', indicatorId)
		.executeTakeFirst();

/**
 * What a reviewer compares submitted values with: the approved numeric values of these indicators in these
 * regions (one query for the whole queue), oldest first. A pair outside the queue may come along; the caller picks.
 */
export const approvedHistory = (db: Conn, indicatorIds: number[], regionIds: number[]) =>
	indicatorIds.length && regionIds.length
		? db
				.selectFrom('measurements')
				.select(['indicator_id', 'region_id', 'date', 'value'])
				.where('status', '=', 'approved')
				.where('value', 'is not', null)
				.where('indicator_id', 'in', indicatorIds)
				.where('region_id', 'in', regionIds)
				.orderBy('date')
				.execute()
		: Promise.resolve([]);

/** Baseline and target of these indicators. */
export const norms = (db: Conn, indicatorIds: number[]) =>
	indicatorIds.length
		? db
				.selectFrom('indicators')
				.select(['id', 'baseline_value', 'baseline_date', 'target_value', 'target_date'])
				.where('id', 'in', indicatorIds)
				.execute()
		: Promise.resolve([]);

/**
 * Per programme, in one query: the measurements waiting for review, and those returned to `userId` (their
 * submitter) to correct.
 */
export const attentionCounts = (db: Conn, programmeIds: number[], userId: number | null) =>
	programmeIds.length
		? db
				.selectFrom('measurements as m')
				.innerJoin('indicators as i', 'i.id', 'm.indicator_id')
				.select((eb) => [
					'i.programme_id',
					eb.fn
						.sum<number | string>(eb.case().when('m.status', '=', 'submitted').then(1).else(0).end())
						.as('submitted'),
					eb.fn
						.sum<number | string>(
							eb
								.case()
								.when(eb.and([eb('m.status', '=', 'returned'), eb('m.created_by', '=', userId ?? -1)]))
								.then(1)
								.else(0)
								.end()
						)
						.as('returned')
				])
				.where('i.programme_id', 'in', programmeIds)
				.where('m.status', 'in', ['submitted', 'returned'])
				.groupBy('i.programme_id')
				.execute()
				.then((rows) =>
					rows.map((r) => ({
						programmeId: r.programme_id,
						submitted: Number(r.submitted),
						returned: Number(r.returned)
					}))
				)
		: Promise.resolve([]);

/** Per status, how many measurements of a programme are waiting: for review, or for their submitter. */
export const waitingCounts = (db: Conn, programmeId: number) =>
	db
		.selectFrom('measurements as m')
		.innerJoin('indicators as i', 'i.id', 'm.indicator_id')
		.select((eb) => ['m.status', eb.fn.countAll<number | string>().as('n')])
		.where('i.programme_id', '=', programmeId)
		.where('m.status', 'in', ['submitted', 'returned'])
		.groupBy('m.status')
		.execute();
