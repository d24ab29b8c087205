import { sql, type Insertable } from 'kysely';
import type { Conn } from '../db/types.ts';
import { onPostgres } from '../db/create-db.ts';
import type { IndicatorTable } from '../db/schema.ts';
import type { NewNode, NodeTable } from './plan-edit.repository.ts';

/** Upserts by stable keys (programme + code/slug/name) so loading a plan twice never duplicates. */

export async function upsertProgramme(
	db: Conn,
	p: {
		slug: string;
		name: string;
		description: string;
		start_date: string;
		source: string;
		dimensions: string | null;
		min_group_size: number;
		poll_templates: string | null;
		poll_retention_days: number;
	}
) {
	const { id } = await db
		.insertInto('programmes')
		.values(p)
		.onConflict((oc) =>
			oc.column('slug').doUpdateSet({
				name: p.name,
				description: p.description,
				start_date: p.start_date,
				source: p.source,
				dimensions: p.dimensions,
				min_group_size: p.min_group_size,
				poll_templates: p.poll_templates,
				poll_retention_days: p.poll_retention_days,
				// a reload changes what the editor's dimension and group-size forms were based on: they go stale
				version: sql<number>`programmes.version + 1`
			})
		)
		.returning('id')
		.executeTakeFirstOrThrow();
	return id;
}

export async function upsertRegion(
	db: Conn,
	r: { programme_id: number; parent_id: number | null; slug: string; name: string; kind: string; sort_order: number }
) {
	const { id } = await db
		.insertInto('regions')
		.values(r)
		.onConflict((oc) =>
			oc
				.columns(['programme_id', 'slug'])
				.doUpdateSet({ parent_id: r.parent_id, name: r.name, kind: r.kind, sort_order: r.sort_order })
		)
		.returning('id')
		.executeTakeFirstOrThrow();
	return id;
}

export async function upsertOrganisation(
	db: Conn,
	o: { programme_id: number; region_id: number | null; name: string; kind: string }
) {
	await db
		.insertInto('organisations')
		.values(o)
		.onConflict((oc) => oc.columns(['programme_id', 'name']).doUpdateSet({ region_id: o.region_id, kind: o.kind }))
		.execute();
}

export async function upsertNode(db: Conn, table: NodeTable, values: NewNode): Promise<number> {
	const { programme_id: _p, code: _c, ...update } = values;
	const row = await db
		.insertInto(table)
		.values(values)
		.onConflict((oc) => oc.columns(['programme_id', 'code']).doUpdateSet(update))
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

export async function upsertIndicator(db: Conn, values: Insertable<IndicatorTable>) {
	const { programme_id: _p, code: _c, ...update } = values;
	await db
		.insertInto('indicators')
		.values(values)
		.onConflict((oc) => oc.columns(['programme_id', 'code']).doUpdateSet(update))
		.execute();
}

export const findSchoolYear = (db: Conn, programmeId: number, name: string) =>
	db
		.selectFrom('school_years')
		.select('id')
		.where('programme_id', '=', programmeId)
		.where('name', '=', name)
		.executeTakeFirst();

export async function insertSchoolYear(db: Conn, programmeId: number, name: string) {
	const { id } = await db
		.insertInto('school_years')
		.values({ programme_id: programmeId, name })
		.returning('id')
		.executeTakeFirstOrThrow();
	return id;
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

/**
 * The programme's row, locked until the transaction ends (PostgreSQL `FOR UPDATE`; SQLite's transactions
 * hold the write lock from their start): a plan edit that checks the poll templates on it waits for a plan
 * load that is changing them, and then reads the new ones.
 */
export const lockProgramme = (db: Conn, slug: string) =>
	db
		.selectFrom('programmes')
		.selectAll()
		.where('slug', '=', slug)
		.$if(onPostgres(db), (q) => q.forUpdate())
		.executeTakeFirst();
