import type { Conn } from '../db/types.ts';

export interface AuditEntry {
	userId: number | null;
	programmeId: number | null;
	entity: string;
	entityId: number | null;
	action: string;
	before?: unknown;
	after?: unknown;
}

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

export async function writeAudit(db: Conn, e: AuditEntry): Promise<void> {
	await db
		.insertInto('audit_log')
		.values({
			at: new Date().toISOString(),
			user_id: e.userId,
			programme_id: e.programmeId,
			entity: e.entity,
			entity_id: e.entityId,
			action: e.action,
			before: json(e.before),
			after: json(e.after)
		})
		.execute();
}

export const listAudit = (db: Conn, filter: { programmeId?: number; limit: number; before?: number }) =>
	db
		.selectFrom('audit_log as a')
		.leftJoin('users as u', 'u.id', 'a.user_id')
		.leftJoin('programmes as p', 'p.id', 'a.programme_id')
		.select(['a.id', 'a.at', 'a.entity', 'a.entity_id', 'a.action', 'a.before', 'a.after', 'u.email as user', 'p.slug as programme'])
		.$if(filter.programmeId !== undefined, (qb) => qb.where('a.programme_id', '=', filter.programmeId!))
		.$if(filter.before !== undefined, (qb) => qb.where('a.id', '<', filter.before!))
		.orderBy('a.id', 'desc')
		.limit(filter.limit)
		.execute();
