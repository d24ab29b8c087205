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
