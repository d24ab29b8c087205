import type { Conn } from '../db/types.ts';

export const findProgrammeBySlug = (db: Conn, slug: string) =>
	db.selectFrom('programmes').selectAll().where('slug', '=', slug).executeTakeFirst();

export const listProgrammes = (db: Conn) => db.selectFrom('programmes').selectAll().orderBy('name').execute();

export const listRegions = (db: Conn, programmeIds: number[]) =>
	programmeIds.length === 0
		? Promise.resolve([])
		: db.selectFrom('regions').selectAll().where('programme_id', 'in', programmeIds).orderBy('programme_id').orderBy('sort_order').orderBy('id').execute();

export async function loadKompasRows(db: Conn, programmeId: number) {
	// one query per level, run together; the tree is assembled in memory
	const [ambitions, outcomes, themes, nextSteps, solutions, indicators] = await Promise.all([
		db.selectFrom('ambitions').selectAll().where('programme_id', '=', programmeId).where('archived_at', 'is', null).orderBy('sort_order').orderBy('id').execute(),
		db.selectFrom('outcomes').selectAll().where('programme_id', '=', programmeId).where('archived_at', 'is', null).orderBy('sort_order').orderBy('id').execute(),
		db.selectFrom('themes').selectAll().where('programme_id', '=', programmeId).where('archived_at', 'is', null).orderBy('sort_order').orderBy('id').execute(),
		db.selectFrom('next_steps').selectAll().where('programme_id', '=', programmeId).where('archived_at', 'is', null).orderBy('sort_order').orderBy('id').execute(),
		db.selectFrom('solutions').selectAll().where('programme_id', '=', programmeId).where('archived_at', 'is', null).orderBy('sort_order').orderBy('id').execute(),
		db.selectFrom('indicators').selectAll().where('programme_id', '=', programmeId).where('archived_at', 'is', null).orderBy('sort_order').orderBy('id').execute()
	]);
	return { ambitions, outcomes, themes, nextSteps, solutions, indicators };
}

export const findIndicatorByCode = (db: Conn, programmeId: number, code: string) =>
	db.selectFrom('indicators').selectAll().where('programme_id', '=', programmeId).where('code', '=', code).executeTakeFirst();
