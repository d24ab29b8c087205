import type { Insertable } from 'kysely';
import type { AuditLogTable } from '../db/schema.ts';
import type { Conn } from '../db/types.ts';

/** Who made a change: a user, an API token, or neither (the system, an operator's command). */
export interface AuditAuthor {
	userId: number | null;
	apiTokenId?: number;
}

export interface AuditEntry {
	/** the actor (an `Actor` fits), or null for the system */
	by: AuditAuthor | null;
	programmeId: number | null;
	entity: string;
	entityId: number | null;
	action: string;
	before?: unknown;
	after?: unknown;
}

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

const row = (e: AuditEntry, at: string): Insertable<AuditLogTable> => ({
	at,
	user_id: e.by?.userId ?? null,
	api_token_id: e.by?.apiTokenId ?? null,
	programme_id: e.programmeId,
	entity: e.entity,
	entity_id: e.entityId,
	action: e.action,
	before: json(e.before),
	after: json(e.after)
});

export async function writeAudit(db: Conn, e: AuditEntry): Promise<void> {
	await db.insertInto('audit_log').values(row(e, new Date().toISOString())).execute();
}

/** The audit log's filters in database terms: times are ISO instants (from included, until excluded). */
export interface AuditFilter {
	programmeId?: number;
	userId?: number;
	action?: string;
	entity?: string;
	/** an entity id, or an indicator code (an indicator's, or a measurement's indicator's) */
	object?: { id: number } | { code: string };
	from?: string;
	until?: string;
}

/**
 * The filtered log with what each object is now: an indicator's code and unit (a measurement's through its
 * indicator), an evaluation's next step and phase. Joined only for entries of that entity.
 */
function filtered(db: Conn, f: AuditFilter) {
	return db
		.selectFrom('audit_log as a')
		.leftJoin('indicators as i', (j) => j.onRef('i.id', '=', 'a.entity_id').on('a.entity', '=', 'indicator'))
		.leftJoin('measurements as m', (j) => j.onRef('m.id', '=', 'a.entity_id').on('a.entity', '=', 'measurement'))
		.leftJoin('indicators as mi', 'mi.id', 'm.indicator_id')
		.$if(f.programmeId !== undefined, (qb) => qb.where('a.programme_id', '=', f.programmeId!))
		.$if(f.userId !== undefined, (qb) => qb.where('a.user_id', '=', f.userId!))
		.$if(f.action !== undefined, (qb) => qb.where('a.action', '=', f.action!))
		.$if(f.entity !== undefined, (qb) => qb.where('a.entity', '=', f.entity!))
		.$if(f.from !== undefined, (qb) => qb.where('a.at', '>=', f.from!))
		.$if(f.until !== undefined, (qb) => qb.where('a.at', '<', f.until!))
		.$if(f.object !== undefined && 'id' in f.object, (qb) =>
			qb.where('a.entity_id', '=', (f.object as { id: number }).id)
		)
		.$if(f.object !== undefined && 'code' in f.object, (qb) => {
			const code = (f.object as { code: string }).code;
			// as ids, so the (entity, entity_id) index finds them instead of a walk over the joined codes
			return qb.where((w) =>
				w.or([
					w.and([
						w('a.entity', '=', 'indicator'),
						w('a.entity_id', 'in', w.selectFrom('indicators as ci').select('ci.id').where('ci.code', '=', code))
					]),
					w.and([
						w('a.entity', '=', 'measurement'),
						w(
							'a.entity_id',
							'in',
							w
								.selectFrom('measurements as cm')
								.innerJoin('indicators as cmi', 'cmi.id', 'cm.indicator_id')
								.select('cm.id')
								.where('cmi.code', '=', code)
						)
					])
				])
			);
		});
}

/** A page of the log: newest first, `before`/`after` an entry id (keyset paging, stable while entries are added). */
export const listAudit = (db: Conn, filter: AuditFilter & { limit: number; before?: number; after?: number }) =>
	filtered(db, filter)
		.leftJoin('users as u', 'u.id', 'a.user_id')
		.leftJoin('api_tokens as t', 't.id', 'a.api_token_id')
		.leftJoin('programmes as p', 'p.id', 'a.programme_id')
		.leftJoin('evaluations as e', (j) => j.onRef('e.id', '=', 'a.entity_id').on('a.entity', '=', 'evaluation'))
		.select([
			'a.id',
			'a.at',
			'a.entity',
			'a.entity_id',
			'a.action',
			'a.before',
			'a.after',
			'u.email as user',
			'a.api_token_id',
			't.name as api_token',
			'p.slug as programme',
			'i.code as indicator_code',
			'i.unit as indicator_unit',
			'mi.code as measured_code',
			'mi.unit as measured_unit',
			'e.next_step_id as evaluation_step',
			'e.phase_id as evaluation_phase'
		])
		.$if(filter.before !== undefined, (qb) => qb.where('a.id', '<', filter.before!))
		.$if(filter.after !== undefined, (qb) => qb.where('a.id', '>', filter.after!))
		.orderBy('a.id', filter.after !== undefined ? 'asc' : 'desc')
		.limit(filter.limit)
		.execute();

/** Whether the filtered log holds an entry newer (`newer`) or older than this id. */
export async function auditHasBeyond(db: Conn, filter: AuditFilter, id: number, side: 'newer' | 'older') {
	const row = await filtered(db, filter)
		.select('a.id')
		.where('a.id', side === 'newer' ? '>' : '<', id)
		.limit(1)
		.executeTakeFirst();
	return row !== undefined;
}

/** The people who appear in the (programme's) log, for the "wie" filter. */
export const auditAuthors = (db: Conn, programmeId?: number) =>
	db
		.selectFrom('users as u')
		.select(['u.id', 'u.email', 'u.name'])
		.where((w) =>
			w.exists(
				w
					.selectFrom('audit_log as a')
					.select('a.id')
					.whereRef('a.user_id', '=', 'u.id')
					.$if(programmeId !== undefined, (qb) => qb.where('a.programme_id', '=', programmeId!))
			)
		)
		.orderBy('u.email')
		.execute();
