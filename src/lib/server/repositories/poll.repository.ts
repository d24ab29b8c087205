import type { Insertable } from 'kysely';
import type { Conn } from '../db/types.ts';
import type { MeasurementTable, PollTable } from '../db/schema.ts';

/**
 * Polls and their responses (issue 18). The gates are single statements that check their own condition,
 * so they hold on one server or many: an answer takes a slot with `takeAnswerSlot` (open, not past its
 * closing time, below its limit) in the transaction that stores it; closing is `markClosed` (only while
 * open). A row lock on the poll orders the two on PostgreSQL; SQLite has one writer.
 */

export const insertPoll = (db: Conn, poll: Insertable<PollTable>) =>
	db.insertInto('polls').values(poll).returning('id').executeTakeFirstOrThrow();

const POLL_COLUMNS = [
	'p.id',
	'p.programme_id',
	'p.region_id',
	'p.template_key',
	'p.name',
	'p.date',
	'p.code',
	'p.questions',
	'p.open_question',
	'p.max_answers',
	'p.answer_count',
	'p.closes_at',
	'p.status',
	'p.closed_at',
	'p.closed_by',
	'p.results',
	'p.outcome',
	'p.answers_deleted_at',
	'p.demo',
	'p.created_by',
	'p.version',
	'p.created_at',
	'p.updated_at',
	'r.name as region_name',
	'r.slug as region_slug'
] as const;

/** A poll of a programme by id, with its region's name and slug. */
export const findPoll = (db: Conn, programmeId: number, id: number) =>
	db
		.selectFrom('polls as p')
		.innerJoin('regions as r', 'r.id', 'p.region_id')
		.select(POLL_COLUMNS)
		.where('p.programme_id', '=', programmeId)
		.where('p.id', '=', id)
		.executeTakeFirst();

/** A poll by its public code, with its programme's minimum group size (the respondent's page). */
export const findPollByCode = (db: Conn, code: string) =>
	db
		.selectFrom('polls as p')
		.innerJoin('regions as r', 'r.id', 'p.region_id')
		.innerJoin('programmes as g', 'g.id', 'p.programme_id')
		.select([...POLL_COLUMNS, 'g.min_group_size', 'g.name as programme_name'])
		.where('p.code', '=', code)
		.executeTakeFirst();

/** A programme's polls, newest first, at most `limit`. */
export const listPolls = (db: Conn, programmeId: number, limit: number) =>
	db
		.selectFrom('polls as p')
		.innerJoin('regions as r', 'r.id', 'p.region_id')
		.select(POLL_COLUMNS)
		.where('p.programme_id', '=', programmeId)
		.orderBy('p.date', 'desc')
		.orderBy('p.id', 'desc')
		.limit(limit)
		.execute();

/** The live (not archived) indicators of a programme as poll templates are checked against them. */
export const templateIndicators = (db: Conn, programmeId: number) =>
	db
		.selectFrom('indicators')
		.select(['code', 'unit', 'derived', 'dimensions'])
		.where('programme_id', '=', programmeId)
		.where('archived_at', 'is', null)
		.execute();

/**
 * Takes one answer slot: raises the count while the poll is open, before its closing time and below its
 * limit. Answers whether it did; the caller stores the answer in the same transaction.
 */
export async function takeAnswerSlot(db: Conn, pollId: number, now: string): Promise<boolean> {
	const result = await db
		.updateTable('polls')
		.set((eb) => ({ answer_count: eb('answer_count', '+', 1) }))
		.where('id', '=', pollId)
		.where('status', '=', 'open')
		.where('closes_at', '>', now)
		.whereRef('answer_count', '<', 'max_answers')
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

export const insertResponse = (
	db: Conn,
	r: { poll_id: number; device_hash: string; answers: string; open_answer: string | null }
) => db.insertInto('poll_responses').values(r).execute();

/** Whether this device (its salted hash) has answered this poll. */
export const hasResponded = async (db: Conn, pollId: number, deviceHash: string): Promise<boolean> =>
	(await db
		.selectFrom('poll_responses')
		.select('id')
		.where('poll_id', '=', pollId)
		.where('device_hash', '=', deviceHash)
		.executeTakeFirst()) !== undefined;

/** Every response's answers (JSON text), bounded by the poll's `max_answers`. */
export const responseAnswers = (db: Conn, pollId: number) =>
	db.selectFrom('poll_responses').select(['answers']).where('poll_id', '=', pollId).orderBy('id').execute();

/** The open answers (leads only), in the order they came, at most `limit`. */
export const openAnswers = (db: Conn, pollId: number, limit: number) =>
	db
		.selectFrom('poll_responses')
		.select(['open_answer'])
		.where('poll_id', '=', pollId)
		.where('open_answer', 'is not', null)
		.orderBy('id')
		.limit(limit)
		.execute();

/** Closes an open poll; answers whether this call did (of two closings at once, one). */
export async function markClosed(db: Conn, pollId: number, by: number | null, now: string): Promise<boolean> {
	const result = await db
		.updateTable('polls')
		.set((eb) => ({ status: 'closed', closed_at: now, closed_by: by, updated_at: now, version: eb('version', '+', 1) }))
		.where('id', '=', pollId)
		.where('status', '=', 'open')
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/** Open polls whose closing time has passed (the scheduler closes them), at most `limit`. */
export const overduePolls = (db: Conn, now: string, limit: number) =>
	db
		.selectFrom('polls')
		.select(['id', 'programme_id'])
		.where('status', '=', 'open')
		.where('closes_at', '<=', now)
		.orderBy('closes_at')
		.limit(limit)
		.execute();

/** The programme a poll belongs to (closing checks the poll's indicators against its current plan). */
export const pollProgramme = (db: Conn, programmeId: number) =>
	db.selectFrom('programmes').selectAll().where('id', '=', programmeId).executeTakeFirstOrThrow();

/** What closing keeps on the poll: the counts (`results`) and what it made (`outcome`), both JSON. */
export const storeClosing = (db: Conn, pollId: number, closing: { results: string; outcome: string }) =>
	db.updateTable('polls').set(closing).where('id', '=', pollId).execute();

/**
 * Inserts the measurements a closing makes; one whose (indicator, region, date) someone stored meanwhile is
 * left as it is (never overwritten). Answers the ones inserted, so the caller can list the others as skipped.
 */
export const insertPollMeasurements = (db: Conn, rows: Insertable<MeasurementTable>[]) =>
	rows.length === 0
		? Promise.resolve([])
		: db
				.insertInto('measurements')
				.values(rows)
				.onConflict((oc) => oc.columns(['indicator_id', 'region_id', 'date']).doNothing())
				.returning(['id', 'indicator_id'])
				.execute();

/** Each programme's retention of raw poll answers, in days. */
export const retentionDays = (db: Conn) =>
	db.selectFrom('programmes').select(['id', 'poll_retention_days']).orderBy('id').execute();

/** Closed polls of a programme, closed at or before `cutoff`, whose raw answers are still there; at most `limit`. */
export const pollsWithExpiredAnswers = (db: Conn, programmeId: number, cutoff: string, limit: number) =>
	db
		.selectFrom('polls')
		.select('id')
		.where('programme_id', '=', programmeId)
		.where('status', '=', 'closed')
		.where('answers_deleted_at', 'is', null)
		.where('closed_at', '<=', cutoff)
		.orderBy('closed_at')
		.limit(limit)
		.execute();

/** Deletes the raw answers (open answers with them) of these polls and notes when; answers how many went. */
export async function deleteAnswers(db: Conn, pollIds: number[], now: string): Promise<number> {
	if (pollIds.length === 0) return 0;
	const deleted = await db.deleteFrom('poll_responses').where('poll_id', 'in', pollIds).executeTakeFirst();
	await db.updateTable('polls').set({ answers_deleted_at: now }).where('id', 'in', pollIds).execute();
	return Number(deleted.numDeletedRows);
}
