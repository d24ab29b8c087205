import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { listAudit } from '../repositories/audit.repository.ts';
import type { AuditView } from '../../domain/audit.ts';

const parse = (s: string | null) => (s === null ? null : JSON.parse(s));

/** The audit log, newest first, one page at a time (`before` = the last id of the previous page). */
export async function auditLog(
	db: Kysely<Database>,
	filter: { programmeId?: number; before?: number; limit?: number }
): Promise<AuditView[]> {
	const rows = await listAudit(db, { ...filter, limit: Math.min(filter.limit ?? 100, 500) });
	return rows.map((r) => ({
		id: r.id,
		at: r.at,
		user: r.user,
		apiToken: r.api_token_id === null ? null : { id: r.api_token_id, name: r.api_token ?? '' },
		programme: r.programme,
		entity: r.entity,
		entityId: r.entity_id,
		action: r.action,
		before: parse(r.before),
		after: parse(r.after)
	}));
}
