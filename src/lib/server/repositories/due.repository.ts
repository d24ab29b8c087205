import type { Conn } from '../db/types.ts';
import { indicatorsWithNodes } from './kompas.repository.ts';

/** What "Wat staat er open" and the reminders are computed from. */

export const listFinalEvaluations = (db: Conn, programmeId: number) =>
	db
		.selectFrom('evaluations as e')
		.innerJoin('next_steps as s', 's.id', 'e.next_step_id')
		.select(['e.next_step_id', 'e.phase_id'])
		.where('s.programme_id', '=', programmeId)
		.where('e.state', '=', 'final')
		.execute();

export const listOpenFollowUps = (db: Conn, programmeId: number) =>
	db
		.selectFrom('evaluation_follow_ups as f')
		.innerJoin('evaluations as e', 'e.id', 'f.evaluation_id')
		.innerJoin('next_steps as s', 's.id', 'e.next_step_id')
		.innerJoin('phases as p', 'p.id', 'e.phase_id')
		.innerJoin('school_years as y', 'y.id', 'p.school_year_id')
		.select([
			'y.name as school_year',
			'f.id',
			'f.description',
			'f.owner',
			'f.deadline',
			'f.done',
			'e.id as evaluation_id',
			'e.version',
			'e.state',
			'e.next_step_id',
			'e.phase_id',
			's.title as next_step',
			'p.name as phase'
		])
		.where('s.programme_id', '=', programmeId)
		.where('f.done', '=', 0)
		.orderBy('f.deadline')
		.orderBy('f.id')
		.execute();

/** Indicators not archived themselves, with their live nodes; those below an archived node are left out by the service (liveTree). */
export const listMeasuredIndicators = (db: Conn, programmeId: number) =>
	indicatorsWithNodes(db, programmeId)
		.select([
			'i.id',
			'i.code',
			'i.name',
			'i.frequency',
			'i.derived',
			'i.baseline_date',
			'i.owner',
			'i.kind',
			'i.ambition_id',
			'i.outcome_id',
			'i.theme_id',
			'i.next_step_id',
			'i.solution_id'
		])
		.where('i.archived_at', 'is', null)
		.orderBy('i.sort_order')
		.orderBy('i.id')
		.execute();

/** Per indicator the date of its latest measurement that was not returned (submitted ones count as done). */
export const lastMeasuredDates = (db: Conn, programmeId: number) =>
	db
		.selectFrom('measurements as m')
		.innerJoin('indicators as i', 'i.id', 'm.indicator_id')
		.select((eb) => ['m.indicator_id', eb.fn.max('m.date').as('last')])
		.where('i.programme_id', '=', programmeId)
		.where('m.status', '<>', 'returned')
		.groupBy('m.indicator_id')
		.execute();

/** The active leads of a programme: who the digest goes to. */
export const listLeads = (db: Conn, programmeId: number) =>
	db
		.selectFrom('memberships as m')
		.innerJoin('users as u', 'u.id', 'm.user_id')
		.select(['u.id', 'u.email', 'u.name'])
		.where('m.programme_id', '=', programmeId)
		.where('m.role', '=', 'lead')
		.where('u.disabled_at', 'is', null)
		.orderBy('u.email')
		.execute();
