import type { Conn } from '../db/types.ts';
import type { Insertable } from 'kysely';
import type { ActionTable, NewMeasurement } from '../db/schema.ts';

export const listPhases = (db: Conn, programmeId: number) =>
	db.selectFrom('phases').selectAll().where('programme_id', '=', programmeId).orderBy('start_date').execute();

export const listIndicators = (db: Conn, programmeId: number) =>
	db
		.selectFrom('indicators')
		.selectAll()
		.where('programme_id', '=', programmeId)
		.where('archived_at', 'is', null)
		.execute();

/** Inserts measurements, leaving any existing (indicator, region, date) untouched. */
export async function insertMissingMeasurements(db: Conn, rows: NewMeasurement[]) {
	const chunk = 200;
	for (let i = 0; i < rows.length; i += chunk)
		await db
			.insertInto('measurements')
			.values(rows.slice(i, i + chunk))
			.onConflict((oc) => oc.columns(['indicator_id', 'region_id', 'date']).doNothing())
			.execute();
}

export const listSolutions = (db: Conn, programmeId: number) =>
	db
		.selectFrom('solutions')
		.select(['id', 'next_step_id'])
		.where('programme_id', '=', programmeId)
		.where('archived_at', 'is', null)
		.orderBy('id')
		.execute();

export const listOrganisations = (db: Conn, programmeId: number) =>
	db
		.selectFrom('organisations')
		.select(['id', 'region_id'])
		.where('programme_id', '=', programmeId)
		.where('archived_at', 'is', null)
		.orderBy('id')
		.execute();

export const hasActions = async (db: Conn, programmeId: number) =>
	(await db.selectFrom('actions').select('id').where('programme_id', '=', programmeId).limit(1).executeTakeFirst()) !==
	undefined;

export async function insertActions(db: Conn, rows: Insertable<ActionTable>[]) {
	const chunk = 100;
	for (let i = 0; i < rows.length; i += chunk)
		await db
			.insertInto('actions')
			.values(rows.slice(i, i + chunk))
			.execute();
}
