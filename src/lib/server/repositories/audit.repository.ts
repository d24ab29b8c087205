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

export const listAudit = (db: Conn, filter: { programmeId?: number; limit: number; before?: number }) =>
	db
		.selectFrom('audit_log as a')
		.leftJoin('users as u', 'u.id', 'a.user_id')
		.leftJoin('api_tokens as t', 't.id', 'a.api_token_id')
		.leftJoin('programmes as p', 'p.id', 'a.programme_id')
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
			'p.slug as programme'
		])
		.$if(filter.programmeId !== undefined, (qb) => qb.where('a.programme_id', '=', filter.programmeId!))
		.$if(filter.before !== undefined, (qb) => qb.where('a.id', '<', filter.before!))
		.orderBy('a.id', 'desc')
		.limit(filter.limit)
		.execute();
