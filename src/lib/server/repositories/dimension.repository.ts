import type { Conn } from '../db/types.ts';

/**
 * Which measurements carry a category or a dimension (`measurements.categories`, JSON text). The column
 * holds the canonical text of breakdown.ts `storeCategories` — `{"dimension":"geslacht","category":"meisje",…`
 * — so a LIKE on that text finds it alike on SQLite and PostgreSQL. Keys are `[a-z0-9-]`, never a LIKE
 * wildcard; the comma after a key ends it (`meisje` does not match `meisje-oud`).
 */

const categoryText = (dimension: string, category: string) => `%"dimension":"${dimension}","category":"${category}",%`;
const dimensionText = (dimension: string) => `%"dimension":"${dimension}",%`;

/**
 * Whether some measurement of an indicator of the programme carries this category; `among`: only
 * measurements of these indicators (those split by the dimension: a page's cheap look, by the indicator index).
 */
export async function categoryInUse(
	db: Conn,
	programmeId: number,
	c: { dimension: string; category: string },
	among?: readonly number[]
): Promise<boolean> {
	if (among?.length === 0) return false;
	const row = await db
		.selectFrom('measurements as m')
		.innerJoin('indicators as i', 'i.id', 'm.indicator_id')
		.select('m.id')
		.where('i.programme_id', '=', programmeId)
		.$if(among !== undefined, (q) => q.where('m.indicator_id', 'in', among!))
		.where('m.categories', 'like', categoryText(c.dimension, c.category))
		.limit(1)
		.executeTakeFirst();
	return row !== undefined;
}

/** Whether some measurement of this indicator carries a category of this dimension. */
export async function dimensionInUse(db: Conn, indicatorId: number, dimension: string): Promise<boolean> {
	const row = await db
		.selectFrom('measurements')
		.select('id')
		.where('indicator_id', '=', indicatorId)
		.where('categories', 'like', dimensionText(dimension))
		.limit(1)
		.executeTakeFirst();
	return row !== undefined;
}

/** The programme's indicators (archived ones included) split by this dimension: id and code. */
export async function indicatorsSplitBy(db: Conn, programmeId: number, dimension: string) {
	return db
		.selectFrom('indicators')
		.select(['id', 'code'])
		.where('programme_id', '=', programmeId)
		.where('dimensions', 'like', `%"${dimension}"%`)
		.orderBy('sort_order')
		.orderBy('id')
		.execute();
}

/** Changes the programme's breakdown settings when it still has `version` (then bumps it). */
export async function updateProgrammeIfVersion(
	db: Conn,
	id: number,
	version: number,
	values: { dimensions?: string | null; min_group_size?: number }
): Promise<boolean> {
	const r = await db
		.updateTable('programmes')
		.set({ ...values, version: version + 1, updated_at: new Date().toISOString() })
		.where('id', '=', id)
		.where('version', '=', version)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}
