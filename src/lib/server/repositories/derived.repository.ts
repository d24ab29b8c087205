import type { Conn } from '../db/types.ts';
import { indicatorsWithNodes } from './kompas.repository.ts';

/** What derived indicators are computed from: the programme's live actions, its phases, its derived indicators. */

export const listActionFacts = (db: Conn, programmeId: number) =>
	db
		.selectFrom('actions as a')
		.innerJoin('next_steps as s', 's.id', 'a.next_step_id')
		.innerJoin('regions as r', 'r.id', 'a.region_id')
		.select([
			'a.date',
			's.theme_id',
			's.archived_at as next_step_archived_at',
			'a.next_step_id',
			'a.solution_id',
			'a.kind',
			'r.slug as region',
			'a.reached_jongeren',
			'a.reached_ouders',
			'a.reached_professionals',
			'a.demo'
		])
		.where('a.programme_id', '=', programmeId)
		.where('a.deleted_at', 'is', null)
		.execute();

export const listPhaseSpans = (db: Conn, programmeId: number) =>
	db
		.selectFrom('phases')
		.select(['id', 'name', 'start_date as start', 'end_date as end'])
		.where('programme_id', '=', programmeId)
		.orderBy('start_date')
		.execute();

/** Derived indicators not archived themselves, with their live nodes; derived.service keeps the live ones (liveTree). */
export const listDerivedIndicators = (db: Conn, programmeId: number, indicatorIds?: readonly number[]) =>
	indicatorsWithNodes(db, programmeId)
		.select([
			'i.id',
			'i.code',
			'i.derived',
			'i.dimensions',
			'i.ambition_id',
			'i.outcome_id',
			'i.theme_id',
			'i.next_step_id',
			'i.solution_id'
		])
		.where('i.derived', 'is not', null)
		.where('i.archived_at', 'is', null)
		.$if(indicatorIds !== undefined, (qb) =>
			indicatorIds!.length ? qb.where('i.id', 'in', indicatorIds!) : qb.where('i.id', '=', -1)
		)
		.orderBy('i.sort_order')
		.execute();
