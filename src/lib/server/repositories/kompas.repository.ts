import type { Conn } from '../db/types.ts';

export const findProgrammeBySlug = (db: Conn, slug: string) =>
	db.selectFrom('programmes').selectAll().where('slug', '=', slug).executeTakeFirst();

export const listProgrammes = (db: Conn) => db.selectFrom('programmes').selectAll().orderBy('name').execute();

/** Each programme's data version (see migration 20261204_0050), as a string whatever the dialect. */
export async function programmeVersions(db: Conn): Promise<Map<number, string>> {
	const rows = await db.selectFrom('programme_versions').select(['programme_id', 'version']).execute();
	return new Map(rows.map((r) => [r.programme_id, String(r.version)]));
}

export const listRegions = (db: Conn, programmeIds: number[]) =>
	programmeIds.length === 0
		? Promise.resolve([])
		: db
				.selectFrom('regions')
				.selectAll()
				.where('programme_id', 'in', programmeIds)
				.orderBy('programme_id')
				.orderBy('sort_order')
				.orderBy('id')
				.execute();

export async function loadKompasRows(db: Conn, programmeId: number) {
	// one query per level, run together; the tree is assembled in memory
	const [ambitions, outcomes, themes, nextSteps, solutions, indicators] = await Promise.all([
		db
			.selectFrom('ambitions')
			.selectAll()
			.where('programme_id', '=', programmeId)
			.where('archived_at', 'is', null)
			.orderBy('sort_order')
			.orderBy('id')
			.execute(),
		db
			.selectFrom('outcomes')
			.selectAll()
			.where('programme_id', '=', programmeId)
			.where('archived_at', 'is', null)
			.orderBy('sort_order')
			.orderBy('id')
			.execute(),
		db
			.selectFrom('themes')
			.selectAll()
			.where('programme_id', '=', programmeId)
			.where('archived_at', 'is', null)
			.orderBy('sort_order')
			.orderBy('id')
			.execute(),
		db
			.selectFrom('next_steps')
			.selectAll()
			.where('programme_id', '=', programmeId)
			.where('archived_at', 'is', null)
			.orderBy('sort_order')
			.orderBy('id')
			.execute(),
		db
			.selectFrom('solutions')
			.selectAll()
			.where('programme_id', '=', programmeId)
			.where('archived_at', 'is', null)
			.orderBy('sort_order')
			.orderBy('id')
			.execute(),
		db
			.selectFrom('indicators')
			.selectAll()
			.where('programme_id', '=', programmeId)
			.where('archived_at', 'is', null)
			.orderBy('sort_order')
			.orderBy('id')
			.execute()
	]);
	return { ambitions, outcomes, themes, nextSteps, solutions, indicators };
}

export const findIndicatorByCode = (db: Conn, programmeId: number, code: string) =>
	db
		.selectFrom('indicators')
		.selectAll()
		.where('programme_id', '=', programmeId)
		.where('code', '=', code)
		.executeTakeFirst();

/**
 * A programme's indicators with the live (not archived) nodes they hang from: the columns `live_*` are null where
 * that node is archived or absent. Whether an indicator is live is liveTree's rule (liveTreeOfRows in plan-tree.ts).
 */
export const indicatorsWithNodes = (db: Conn, programmeId: number) =>
	db
		.selectFrom('indicators as i')
		.leftJoin('solutions as so', (j) => j.onRef('so.id', '=', 'i.solution_id').on('so.archived_at', 'is', null))
		.leftJoin('next_steps as ns', (j) =>
			j
				.on((eb) => eb('ns.id', '=', eb.fn.coalesce('i.next_step_id', 'so.next_step_id')))
				.on('ns.archived_at', 'is', null)
		)
		.leftJoin('themes as t', (j) =>
			j.on((eb) => eb('t.id', '=', eb.fn.coalesce('i.theme_id', 'ns.theme_id'))).on('t.archived_at', 'is', null)
		)
		.leftJoin('ambitions as a', (j) => j.onRef('a.id', '=', 'i.ambition_id').on('a.archived_at', 'is', null))
		.leftJoin('outcomes as o', (j) => j.onRef('o.id', '=', 'i.outcome_id').on('o.archived_at', 'is', null))
		.select([
			'so.id as live_solution',
			'so.next_step_id as live_solution_step',
			'ns.id as live_next_step',
			'ns.theme_id as live_next_step_theme',
			't.id as live_theme',
			'a.id as live_ambition',
			'o.id as live_outcome'
		])
		.where('i.programme_id', '=', programmeId);

export const findIndicatorWithNodes = (db: Conn, programmeId: number, code: string) =>
	indicatorsWithNodes(db, programmeId).selectAll('i').where('i.code', '=', code).executeTakeFirst();
