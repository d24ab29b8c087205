import type { Conn } from '../db/types.ts';

export const listForIndicator = (db: Conn, indicatorId: number, regionId?: number) =>
	db
		.selectFrom('measurements as m')
		.innerJoin('indicators as i', 'i.id', 'm.indicator_id')
		.innerJoin('regions as r', 'r.id', 'm.region_id')
		.select([
			'm.id',
			'i.code as indicator',
			'r.slug as region',
			'm.date',
			'm.value',
			'm.text',
			'm.n',
			'm.source',
			'm.note',
			'm.status',
			'm.demo'
		])
		.where('m.indicator_id', '=', indicatorId)
		.$if(regionId !== undefined, (qb) => qb.where('m.region_id', '=', regionId!))
		.orderBy('m.date')
		.orderBy('r.sort_order')
		.execute();

export const countForProgramme = (db: Conn, programmeId: number) =>
	db
		.selectFrom('measurements as m')
		.innerJoin('indicators as i', 'i.id', 'm.indicator_id')
		.select((eb) => eb.fn.countAll<number>().as('count'))
		.where('i.programme_id', '=', programmeId)
		.executeTakeFirstOrThrow()
		.then((r) => Number(r.count));
