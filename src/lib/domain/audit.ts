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
}

/** Who made a change, in words: the user, "API-sleutel <name>", or the system. */
export const auditAuthor = (e: Pick<AuditView, 'user' | 'apiToken'>): string =>
	e.user ?? (e.apiToken ? `API-sleutel ${e.apiToken.name}` : 'systeem');
