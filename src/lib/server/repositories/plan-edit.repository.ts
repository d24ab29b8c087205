import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Conn } from '../db/types.ts';
import type { AmbitionTable, IndicatorTable, NextStepTable, SolutionTable, ThemeTable } from '../db/schema.ts';
import type { NodeLevel } from '../../domain/kompas.ts';
import type { StoredPlan } from '../../domain/plan-export.ts';
import { loadKompasRows } from './kompas.repository.ts';

export type NodeTable = 'ambitions' | 'outcomes' | 'themes' | 'next_steps' | 'solutions';
export const TABLE: Record<NodeLevel, NodeTable> = {
	ambition: 'ambitions',
	outcome: 'outcomes',
	theme: 'themes',
	nextStep: 'next_steps',
	solution: 'solutions'
};
export const PARENT_REF: Partial<Record<NodeLevel, 'theme_id' | 'next_step_id'>> = {
	nextStep: 'theme_id',
	solution: 'next_step_id'
};

/** Every node of every level, archived ones included, in their stored order. */
export async function allNodes(db: Conn, programmeId: number) {
	const [ambitions, outcomes, themes, nextSteps, solutions] = await Promise.all([
		db
			.selectFrom('ambitions')
			.selectAll()
			.where('programme_id', '=', programmeId)
			.orderBy('sort_order')
			.orderBy('id')
			.execute(),
		db
			.selectFrom('outcomes')
			.selectAll()
			.where('programme_id', '=', programmeId)
			.orderBy('sort_order')
			.orderBy('id')
			.execute(),
		db
			.selectFrom('themes')
			.selectAll()
			.where('programme_id', '=', programmeId)
			.orderBy('sort_order')
			.orderBy('id')
			.execute(),
		db
			.selectFrom('next_steps')
			.selectAll()
			.where('programme_id', '=', programmeId)
			.orderBy('sort_order')
			.orderBy('id')
			.execute(),
		db
			.selectFrom('solutions')
			.selectAll()
			.where('programme_id', '=', programmeId)
			.orderBy('sort_order')
			.orderBy('id')
			.execute()
	]);
	return { ambitions, outcomes, themes, nextSteps, solutions };
}

export const allIndicators = (db: Conn, programmeId: number) =>
	db
		.selectFrom('indicators')
		.selectAll()
		.where('programme_id', '=', programmeId)
		.orderBy('sort_order')
		.orderBy('id')
		.execute();

/** Number of stored measurements per indicator of the programme. */
export async function measurementCounts(db: Conn, programmeId: number): Promise<Map<number, number>> {
	const rows = await db
		.selectFrom('measurements as m')
		.innerJoin('indicators as i', 'i.id', 'm.indicator_id')
		.select(['m.indicator_id', (eb) => eb.fn.countAll<number>().as('n')])
		.where('i.programme_id', '=', programmeId)
		.groupBy('m.indicator_id')
		.execute();
	return new Map(rows.map((r) => [r.indicator_id, Number(r.n)]));
}

export const measurementCount = (db: Conn, indicatorId: number) =>
	db
		.selectFrom('measurements')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('indicator_id', '=', indicatorId)
		.executeTakeFirstOrThrow()
		.then((r) => Number(r.n));

/** A stored node with its level beside it, so the level's own columns narrow by it. */
export type FoundNode =
	| { level: 'ambition' | 'outcome'; row: Selectable<AmbitionTable> }
	| { level: 'theme'; row: Selectable<ThemeTable> }
	| { level: 'nextStep'; row: Selectable<NextStepTable> }
	| { level: 'solution'; row: Selectable<SolutionTable> };

/** Columns a node is changed with: the common ones and its level's own (ambitions and outcomes have none). */
export type NodeChanges =
	Updateable<AmbitionTable> | Updateable<ThemeTable> | Updateable<NextStepTable> | Updateable<SolutionTable>;
/** A new node: every common column, and its level's own. */
export type NewNode = Insertable<AmbitionTable> & NodeChanges;

/** The node with this code on this level (all its columns), if any. */
export async function findNode(
	db: Conn,
	level: NodeLevel,
	programmeId: number,
	code: string
): Promise<FoundNode | undefined> {
	// a query per table, so each row is typed by its own table's columns
	switch (level) {
		case 'ambition':
		case 'outcome': {
			const row = await db
				.selectFrom(level === 'ambition' ? 'ambitions' : 'outcomes')
				.selectAll()
				.where('programme_id', '=', programmeId)
				.where('code', '=', code)
				.executeTakeFirst();
			return row && { level, row };
		}
		case 'theme': {
			const row = await db
				.selectFrom('themes')
				.selectAll()
				.where('programme_id', '=', programmeId)
				.where('code', '=', code)
				.executeTakeFirst();
			return row && { level, row };
		}
		case 'nextStep': {
			const row = await db
				.selectFrom('next_steps')
				.selectAll()
				.where('programme_id', '=', programmeId)
				.where('code', '=', code)
				.executeTakeFirst();
			return row && { level, row };
		}
		case 'solution': {
			const row = await db
				.selectFrom('solutions')
				.selectAll()
				.where('programme_id', '=', programmeId)
				.where('code', '=', code)
				.executeTakeFirst();
			return row && { level, row };
		}
	}
}

/** The code of the node with this id on this level. */
export const nodeCode = (db: Conn, level: NodeLevel, id: number) =>
	db
		.selectFrom(TABLE[level])
		.select('code')
		.where('id', '=', id)
		.executeTakeFirstOrThrow()
		.then((r) => r.code);

export async function insertNode(db: Conn, table: NodeTable, values: NewNode): Promise<number> {
	const row = await db.insertInto(table).values(values).returning('id').executeTakeFirstOrThrow();
	return row.id;
}

/** Updates when the row still has `version` (then bumps it); false when someone else changed it first. */
export async function updateNodeIfVersion(
	db: Conn,
	table: NodeTable,
	id: number,
	version: number,
	values: NodeChanges
): Promise<boolean> {
	const r = await db
		.updateTable(table)
		.set({ ...values, version: version + 1, updated_at: new Date().toISOString() })
		.where('id', '=', id)
		.where('version', '=', version)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

/** Sort orders only: a reorder is not an edit of the node, so it leaves versions alone. */
export async function setSortOrders(
	db: Conn,
	table: NodeTable | 'indicators',
	orders: { id: number; sort_order: number }[]
) {
	for (const o of orders)
		await db.updateTable(table).set({ sort_order: o.sort_order }).where('id', '=', o.id).execute();
}

export const insertIndicator = async (db: Conn, values: Insertable<IndicatorTable>) =>
	(await db.insertInto('indicators').values(values).returning('id').executeTakeFirstOrThrow()).id;

export async function updateIndicatorIfVersion(
	db: Conn,
	id: number,
	version: number,
	values: Updateable<IndicatorTable>
): Promise<boolean> {
	const r = await db
		.updateTable('indicators')
		.set({ ...values, version: version + 1, updated_at: new Date().toISOString() })
		.where('id', '=', id)
		.where('version', '=', version)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

export const deleteIndicator = (db: Conn, id: number) => db.deleteFrom('indicators').where('id', '=', id).execute();

export const maxIndicatorOrder = (db: Conn, programmeId: number) =>
	db
		.selectFrom('indicators')
		.select((eb) => eb.fn.max('sort_order').as('m'))
		.where('programme_id', '=', programmeId)
		.executeTakeFirst()
		.then((r) => Number(r?.m ?? -1));

/** Everything a plan file holds, live rows only, in stored order. */
export async function loadStoredPlan(db: Conn, programmeId: number): Promise<Omit<StoredPlan, 'programme'>> {
	const [rows, regions, organisations, schoolYears, phases] = await Promise.all([
		loadKompasRows(db, programmeId),
		db
			.selectFrom('regions')
			.select(['id', 'parent_id', 'slug', 'name', 'kind'])
			.where('programme_id', '=', programmeId)
			.orderBy('sort_order')
			.orderBy('id')
			.execute(),
		db
			.selectFrom('organisations')
			.select(['name', 'kind', 'region_id'])
			.where('programme_id', '=', programmeId)
			.where('archived_at', 'is', null)
			.orderBy('id')
			.execute(),
		db
			.selectFrom('school_years')
			.select(['id', 'name'])
			.where('programme_id', '=', programmeId)
			.orderBy('name')
			.execute(),
		db
			.selectFrom('phases')
			.select(['school_year_id', 'name', 'start_date', 'end_date'])
			.where('programme_id', '=', programmeId)
			.orderBy('school_year_id')
			.orderBy('sort_order')
			.orderBy('start_date')
			.execute()
	]);
	return { ...rows, regions, organisations, schoolYears, phases };
}
