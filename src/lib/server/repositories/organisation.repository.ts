import type { Conn } from '../db/types.ts';

/** Organisations per programme: the schools, clubs and partners actions are logged for. */

const columns = [
	'g.id',
	'g.name',
	'g.kind',
	'g.region_id',
	'r.slug as region',
	'r.name as region_name',
	'g.archived_at',
	'g.version'
] as const;

export const listOrganisations = (db: Conn, programmeId: number, includeArchived: boolean) =>
	db
		.selectFrom('organisations as g')
		.leftJoin('regions as r', 'r.id', 'g.region_id')
		.select(columns)
		.where('g.programme_id', '=', programmeId)
		.$if(!includeArchived, (q) => q.where('g.archived_at', 'is', null))
		.orderBy('g.name')
		.execute();

export const findOrganisation = (db: Conn, programmeId: number, id: number) =>
	db
		.selectFrom('organisations as g')
		.leftJoin('regions as r', 'r.id', 'g.region_id')
		.select(columns)
		.where('g.programme_id', '=', programmeId)
		.where('g.id', '=', id)
		.executeTakeFirst();

export const findOrganisationByName = (db: Conn, programmeId: number, name: string) =>
	db
		.selectFrom('organisations')
		.select('id')
		.where('programme_id', '=', programmeId)
		.where('name', '=', name)
		.executeTakeFirst();

export async function insertOrganisation(
	db: Conn,
	o: { programme_id: number; name: string; kind: string; region_id: number | null }
) {
	const { id } = await db.insertInto('organisations').values(o).returning('id').executeTakeFirstOrThrow();
	return id;
}

/** Updates when the row still has `version`; false when someone else changed it first. */
export async function updateOrganisation(
	db: Conn,
	id: number,
	version: number,
	values: { name: string; kind: string; region_id: number | null; archived_at: string | null }
): Promise<boolean> {
	const r = await db
		.updateTable('organisations')
		.set({ ...values, version: version + 1 })
		.where('id', '=', id)
		.where('version', '=', version)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}
