import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { auditAuthors, auditHasBeyond, listAudit, type AuditFilter } from '../repositories/audit.repository.ts';
import { AUDIT_PAGE_SIZE, AUDIT_MAX_PAGE, type AuditQuery, type AuditView } from '../../domain/audit.ts';
import { amsterdamDayStart, nextDay } from '../../domain/dutch-format.ts';

const parse = (s: string | null) => (s === null ? null : JSON.parse(s));

/** The query's filters in database terms: calendar days become the instants they start and end in Dutch time. */
function toFilter(scope: { programmeId?: number }, q: AuditQuery): AuditFilter {
	const object =
		q.object === undefined ? undefined : /^\d{1,9}$/.test(q.object) ? { id: Number(q.object) } : { code: q.object };
	return {
		programmeId: scope.programmeId,
		userId: q.user,
		action: q.action,
		entity: q.entity,
		object,
		from: q.from ? amsterdamDayStart(q.from) : undefined,
		until: q.to ? amsterdamDayStart(nextDay(q.to)) : undefined
	};
}

type Row = Awaited<ReturnType<typeof listAudit>>[number];

const view = (r: Row): AuditView => ({
	id: r.id,
	at: r.at,
	user: r.user,
	apiToken: r.api_token_id === null ? null : { id: r.api_token_id, name: r.api_token ?? '' },
	programme: r.programme,
	entity: r.entity,
	entityId: r.entity_id,
	action: r.action,
	before: parse(r.before),
	after: parse(r.after),
	object: {
		code: r.indicator_code ?? r.measured_code,
		unit: r.indicator_unit ?? r.measured_unit,
		nextStepId: r.evaluation_step,
		phaseId: r.evaluation_phase
	}
});

/** The audit log, newest first, one page at a time (`before` = the last id of the previous page). */
export async function auditLog(
	db: Kysely<Database>,
	scope: { programmeId?: number },
	q: AuditQuery = {}
): Promise<AuditView[]> {
	const rows = await listAudit(db, {
		...toFilter(scope, q),
		before: q.before,
		after: q.after,
		limit: Math.min(q.limit ?? 100, 500)
	});
	const entries = rows.map(view);
	return q.after !== undefined ? entries.reverse() : entries;
}

export interface AuditPage {
	entries: AuditView[];
	/** the id to page back to newer entries from (`after`), or null on the newest page */
	newer: number | null;
	/** the id to page on to older entries from (`before`), or null on the last page */
	older: number | null;
	authors: { id: number; email: string; name: string }[];
}

/** A page of the log for the audit pages: the entries, the links to the pages either side, who appears in it. */
export async function auditPage(
	db: Kysely<Database>,
	scope: { programmeId?: number },
	q: AuditQuery
): Promise<AuditPage> {
	const limit = Math.min(q.limit ?? AUDIT_PAGE_SIZE, AUDIT_MAX_PAGE);
	const filter = toFilter(scope, q);
	const [entries, authors] = await Promise.all([
		auditLog(db, scope, { ...q, before: q.after === undefined ? q.before : undefined, limit }),
		auditAuthors(db, scope.programmeId)
	]);
	const first = entries[0]?.id;
	const last = entries.at(-1)?.id;
	const [newer, older] = await Promise.all([
		first !== undefined && auditHasBeyond(db, filter, first, 'newer'),
		last !== undefined && auditHasBeyond(db, filter, last, 'older')
	]);
	return { entries, newer: newer ? first! : null, older: older ? last! : null, authors };
}
