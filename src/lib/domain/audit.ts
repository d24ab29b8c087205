import { z } from 'zod';
import { AUDIT_ACTIONS, AUDIT_ENTITIES } from './audit-text.ts';
import { idField } from './ids.ts';
import { isIsoDate } from './phase-calendar.ts';
import { inDutch } from './zod-messages.ts';

/** An audit log entry as pages and the API show it. */
export interface AuditView {
	id: number;
	at: string;
	/** the e-mail of the user who made the change */
	user: string | null;
	/** the API token that made the change (then `user` is null) */
	apiToken: { id: number; name: string } | null;
	programme: string | null;
	entity: string;
	entityId: number | null;
	action: string;
	before: unknown;
	after: unknown;
	/** what the changed object is now, where it still exists: an indicator's (or a measurement's indicator's) code and unit, an evaluation's next step and phase */
	object: { code: string | null; unit: string | null; nextStepId: number | null; phaseId: number | null };
}

/** Who made a change, in words: the user, "API-sleutel <name>", or the system. */
export const auditAuthor = (e: Pick<AuditView, 'user' | 'apiToken'>): string =>
	e.user ?? (e.apiToken ? `API-sleutel ${e.apiToken.name}` : 'systeem');

export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_MAX_PAGE = 200;

/**
 * The audit log's filters, the same for the pages and the API: who (a user id), what (the kind of change),
 * the object (its kind, and its id or code), when (calendar days in Dutch time, both included), and the
 * page (`before`/`after` an entry id, newest first).
 */
export const auditQueryFields = z.object({
	user: idField().optional(),
	action: z.enum(AUDIT_ACTIONS, 'kies een soort wijziging uit de lijst').optional(),
	entity: z.enum(AUDIT_ENTITIES, 'kies een soort object uit de lijst').optional(),
	object: z
		.string()
		.trim()
		.max(100)
		.regex(/^[A-Za-z0-9_.-]+$/, 'een nummer of code: letters, cijfers, punt, streepje')
		.optional(),
	from: z.string().refine(isIsoDate, 'verwacht een datum (jjjj-mm-dd)').optional(),
	to: z.string().refine(isIsoDate, 'verwacht een datum (jjjj-mm-dd)').optional(),
	before: idField().optional(),
	after: idField().optional(),
	limit: z.coerce.number().int().min(1).max(AUDIT_MAX_PAGE).optional()
});

/** A period that ends before it starts is a mistake, not an empty log. */
export const fromNotAfterTo = <T extends { from?: string; to?: string }>(schema: z.ZodType<T>) =>
	schema.refine((q) => !q.from || !q.to || q.from <= q.to, {
		message: 'de begindatum ligt na de einddatum',
		path: ['to']
	});

export const auditQuerySchema = fromNotAfterTo(auditQueryFields);
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** The pages' URL parameters (Dutch) ↔ the query's names. */
export const AUDIT_PARAMS = {
	wie: 'user',
	wat: 'action',
	soort: 'entity',
	object: 'object',
	van: 'from',
	tot: 'to',
	voor: 'before',
	na: 'after',
	aantal: 'limit'
} as const satisfies Record<string, keyof AuditQuery>;

const PARAM_OF = Object.fromEntries(Object.entries(AUDIT_PARAMS).map(([dutch, key]) => [key, dutch])) as Record<
	string,
	string
>;

/**
 * The filters from a page's URL. A value that does not fit is left out and named in `problems` (Dutch),
 * so the page still shows the log and says which filter it ignored.
 */
export function auditQueryFromSearch(params: URLSearchParams): { query: AuditQuery; problems: string[] } {
	const raw: Record<string, string> = {};
	for (const [dutch, key] of Object.entries(AUDIT_PARAMS)) {
		const v = params.get(dutch)?.trim();
		if (v) raw[key] = v;
	}
	const parsed = auditQuerySchema.safeParse(raw, inDutch);
	if (parsed.success) return { query: parsed.data, problems: [] };
	const bad = new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '')));
	const problems = parsed.error.issues.map((i) => `Filter "${PARAM_OF[String(i.path[0])] ?? '?'}": ${i.message}.`);
	const kept = auditQuerySchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([k]) => !bad.has(k))));
	return { query: kept.success ? kept.data : {}, problems };
}

/** The URL of the same filters on another page of the log (`voor`/`na` replaced). */
export function auditSearch(query: AuditQuery, page: { before?: number; after?: number }): string {
	const params = new URLSearchParams();
	for (const [dutch, key] of Object.entries(AUDIT_PARAMS)) {
		if (key === 'before' || key === 'after') continue;
		const v = query[key];
		if (v !== undefined) params.set(dutch, String(v));
	}
	if (page.before !== undefined) params.set('voor', String(page.before));
	if (page.after !== undefined) params.set('na', String(page.after));
	return `?${params}`;
}
