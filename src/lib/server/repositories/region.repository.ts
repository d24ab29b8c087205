import type { Conn } from '../db/types.ts';

export const findRegion = (db: Conn, programmeId: number, slug: string) =>
	db
		.selectFrom('regions')
		.selectAll()
		.where('programme_id', '=', programmeId)
		.where('slug', '=', slug)
		.executeTakeFirst();

export const listProgrammeRegions = (db: Conn, programmeId: number) =>
	db
		.selectFrom('regions')
		.selectAll()
		.where('programme_id', '=', programmeId)
		.orderBy('sort_order')
		.orderBy('id')
		.execute();
