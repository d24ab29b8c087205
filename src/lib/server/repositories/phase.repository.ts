import type { Conn } from '../db/types.ts';

/** School years and their phases. */

export const listSchoolYears = (db: Conn, programmeId: number) =>
	db.selectFrom('school_years').selectAll().where('programme_id', '=', programmeId).orderBy('name').execute();

export const findSchoolYear = (db: Conn, programmeId: number, id: number) =>
	db
		.selectFrom('school_years')
		.selectAll()
		.where('programme_id', '=', programmeId)
		.where('id', '=', id)
		.executeTakeFirst();

const phaseColumns = [
	'p.id',
	'p.name',
	'p.school_year_id',
	'y.name as school_year',
	'p.start_date',
	'p.end_date',
	'p.evaluation_date',
	'p.sort_order'
] as const;

export const listPhases = (db: Conn, programmeId: number) =>
	db
		.selectFrom('phases as p')
		.innerJoin('school_years as y', 'y.id', 'p.school_year_id')
		.select(phaseColumns)
		.where('p.programme_id', '=', programmeId)
		.orderBy('p.start_date')
		.orderBy('p.id')
		.execute();

export type PhaseRow = Awaited<ReturnType<typeof listPhases>>[number];

export const findPhase = (db: Conn, programmeId: number, id: number) =>
	db
		.selectFrom('phases as p')
		.innerJoin('school_years as y', 'y.id', 'p.school_year_id')
		.select(phaseColumns)
		.where('p.programme_id', '=', programmeId)
		.where('p.id', '=', id)
		.executeTakeFirst();

/** The new school year's id, or null when the programme already has one of that name. */
export async function insertSchoolYear(db: Conn, programmeId: number, name: string): Promise<number | null> {
	const row = await db
		.insertInto('school_years')
		.values({ programme_id: programmeId, name })
		.onConflict((oc) => oc.columns(['programme_id', 'name']).doNothing())
		.returning('id')
		.executeTakeFirst();
	return row?.id ?? null;
}

export const insertPhase = (
	db: Conn,
	p: {
		programme_id: number;
		school_year_id: number;
		name: string;
		start_date: string;
		end_date: string;
		evaluation_date: string;
		sort_order: number;
	}
) => db.insertInto('phases').values(p).execute();

export const updatePhase = (
	db: Conn,
	id: number,
	p: { name: string; start_date: string; end_date: string; evaluation_date: string; sort_order: number }
) => db.updateTable('phases').set(p).where('id', '=', id).execute();

/** Claims the school year for an edit based on `version`; false when someone else changed it meanwhile. */
export async function bumpSchoolYear(db: Conn, id: number, version: number): Promise<boolean> {
	const r = await db
		.updateTable('school_years')
		.set((eb) => ({ version: eb('version', '+', 1) }))
		.where('id', '=', id)
		.where('version', '=', version)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}
