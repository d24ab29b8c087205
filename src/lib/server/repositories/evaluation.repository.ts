import type { Insertable, Updateable } from 'kysely';
import type { Conn } from '../db/types.ts';
import type { EvaluationFollowUpTable, EvaluationTable } from '../db/schema.ts';

/** Evaluations, their follow-up actions, and what the evaluation form shows beside them. */

export const listNextSteps = (db: Conn, programmeId: number) =>
	db
		.selectFrom('next_steps as s')
		.innerJoin('themes as t', 't.id', 's.theme_id')
		.select([
			's.id',
			's.code',
			's.title',
			's.goal',
			's.theme_id',
			't.number as theme_number',
			't.title as theme_title',
			't.code as theme_code'
		])
		.where('s.programme_id', '=', programmeId)
		.where('s.archived_at', 'is', null)
		.where('t.archived_at', 'is', null)
		.orderBy('t.sort_order')
		.orderBy('t.id')
		.orderBy('s.sort_order')
		.orderBy('s.id')
		.execute();

export type NextStepRow = Awaited<ReturnType<typeof listNextSteps>>[number];

export const findEvaluation = (db: Conn, id: number) =>
	db
		.selectFrom('evaluations as e')
		.innerJoin('next_steps as s', 's.id', 'e.next_step_id')
		.selectAll('e')
		.select('s.programme_id')
		.where('e.id', '=', id)
		.executeTakeFirst();

export const findEvaluationFor = (db: Conn, nextStepId: number, phaseId: number) =>
	db
		.selectFrom('evaluations')
		.selectAll()
		.where('next_step_id', '=', nextStepId)
		.where('phase_id', '=', phaseId)
		.executeTakeFirst();

export const listEvaluations = (db: Conn, programmeId: number, phaseIds?: readonly number[]) =>
	db
		.selectFrom('evaluations as e')
		.innerJoin('next_steps as s', 's.id', 'e.next_step_id')
		.selectAll('e')
		.where('s.programme_id', '=', programmeId)
		.$if(phaseIds !== undefined, (qb) =>
			phaseIds!.length ? qb.where('e.phase_id', 'in', phaseIds!) : qb.where('e.id', '=', -1)
		)
		.orderBy('e.phase_id')
		.orderBy('e.next_step_id')
		.execute();

export type EvaluationRow = Awaited<ReturnType<typeof listEvaluations>>[number];

const finalOf = (db: Conn, nextStepIds: readonly number[]) =>
	db
		.selectFrom('evaluations as e')
		.innerJoin('next_steps as s', 's.id', 'e.next_step_id')
		.innerJoin('phases as p', 'p.id', 'e.phase_id')
		.innerJoin('school_years as y', 'y.id', 'p.school_year_id')
		.where('e.state', '=', 'final')
		.where('e.next_step_id', 'in', nextStepIds.length ? nextStepIds : [-1]);

/** The final evaluations of some next steps, newest evaluation moment first, with their phase and step. */
export const listFinalEvaluations = (db: Conn, nextStepIds: readonly number[], limit: number) =>
	finalOf(db, nextStepIds)
		.select([
			'e.id',
			'e.next_step_id',
			's.title as next_step_title',
			'p.name as phase_name',
			'y.name as school_year',
			'p.evaluation_date',
			'e.status',
			'e.learnings',
			'e.decision'
		])
		.orderBy('p.evaluation_date', 'desc')
		.orderBy('e.id', 'desc')
		.limit(limit)
		.execute();

/** How many final evaluations `listFinalEvaluations` would list without its limit. */
export const countFinalEvaluations = async (db: Conn, nextStepIds: readonly number[]) =>
	Number(
		(
			await finalOf(db, nextStepIds)
				.select((eb) => eb.fn.countAll().as('n'))
				.executeTakeFirstOrThrow()
		).n
	);

/** Inserts the evaluation of (next step, phase); null when one was stored meanwhile (a concurrent first save). */
export async function insertEvaluation(db: Conn, row: Insertable<EvaluationTable>): Promise<number | null> {
	const inserted = await db
		.insertInto('evaluations')
		.values(row)
		.onConflict((oc) => oc.columns(['next_step_id', 'phase_id']).doNothing())
		.returning('id')
		.executeTakeFirst();
	return inserted?.id ?? null;
}

/** Updates when the stored version is still `version` (and bumps it); false when someone else was first. */
export async function updateEvaluation(
	db: Conn,
	id: number,
	version: number,
	set: Updateable<EvaluationTable>
): Promise<boolean> {
	const r = await db
		.updateTable('evaluations')
		.set((eb) => ({ ...set, version: eb('version', '+', 1) }))
		.where('id', '=', id)
		.where('version', '=', version)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

export const listFollowUps = (db: Conn, evaluationIds: readonly number[]) =>
	evaluationIds.length === 0
		? Promise.resolve([])
		: db
				.selectFrom('evaluation_follow_ups')
				.selectAll()
				.where('evaluation_id', 'in', evaluationIds)
				.orderBy('evaluation_id')
				.orderBy('sort_order')
				.orderBy('id')
				.execute();

export async function replaceFollowUps(
	db: Conn,
	evaluationId: number,
	rows: Omit<Insertable<EvaluationFollowUpTable>, 'evaluation_id'>[]
) {
	await db.deleteFrom('evaluation_follow_ups').where('evaluation_id', '=', evaluationId).execute();
	if (rows.length)
		await db
			.insertInto('evaluation_follow_ups')
			.values(rows.map((r) => ({ ...r, evaluation_id: evaluationId })))
			.execute();
}

export const findFollowUp = (db: Conn, id: number) =>
	db.selectFrom('evaluation_follow_ups').selectAll().where('id', '=', id).executeTakeFirst();

export const setFollowUpDone = (db: Conn, id: number, done: boolean) =>
	db
		.updateTable('evaluation_follow_ups')
		.set({ done: done ? 1 : 0 })
		.where('id', '=', id)
		.execute();

/** The live actions of a next step (incl. its solutions) between two dates. */
export const listStepActions = (db: Conn, nextStepId: number, from: string, to: string) =>
	db
		.selectFrom('actions as a')
		.leftJoin('solutions as o', 'o.id', 'a.solution_id')
		.leftJoin('organisations as g', 'g.id', 'a.organisation_id')
		.innerJoin('regions as r', 'r.id', 'a.region_id')
		.select([
			'a.id',
			'a.date',
			'a.kind',
			'a.description',
			'a.reached_jongeren',
			'a.reached_ouders',
			'a.reached_professionals',
			'a.demo',
			'o.title as solution',
			'g.name as organisation',
			'r.name as region'
		])
		.where('a.next_step_id', '=', nextStepId)
		.where('a.deleted_at', 'is', null)
		.where('a.date', '>=', from)
		.where('a.date', '<=', to)
		.orderBy('a.date')
		.orderBy('a.id')
		.execute();

/** Dates of a programme's live actions per next step, to count them per phase. */
export const listActionDates = (db: Conn, programmeId: number, from: string, to: string) =>
	db
		.selectFrom('actions')
		.select(['next_step_id', 'date'])
		.where('programme_id', '=', programmeId)
		.where('deleted_at', 'is', null)
		.where('date', '>=', from)
		.where('date', '<=', to)
		.execute();

/**
 * The final evaluations of the given (next step, phase) pairs with their follow-ups, in one query (a row per
 * follow-up, or one without): what the report tells per next step. Bounded by the pairs asked for and the
 * 50 follow-ups an evaluation may have. Asked also without pairs, so the report costs the same queries whatever the selection.
 */
export const listFinalWithFollowUps = (
	db: Conn,
	programmeId: number,
	pairs: readonly { nextStepId: number; phaseId: number }[]
) =>
	db
		.selectFrom('evaluations as e')
		.innerJoin('next_steps as s', 's.id', 'e.next_step_id')
		.leftJoin('evaluation_follow_ups as f', 'f.evaluation_id', 'e.id')
		.select([
			'e.id',
			'e.next_step_id',
			'e.phase_id',
			'e.status',
			'e.done',
			'e.story',
			'e.learnings',
			'e.decision',
			'f.id as follow_up_id',
			'f.description',
			'f.owner',
			'f.deadline',
			'f.done as follow_up_done'
		])
		.where('s.programme_id', '=', programmeId)
		.where('e.state', '=', 'final')
		.where((eb) =>
			eb.or(pairs.map((p) => eb.and([eb('e.next_step_id', '=', p.nextStepId), eb('e.phase_id', '=', p.phaseId)])))
		)
		.orderBy('e.id')
		.orderBy('f.sort_order')
		.orderBy('f.id')
		.execute();
