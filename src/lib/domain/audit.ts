/** An audit log entry as pages and the API show it. */
export interface AuditView {
	id: number;
	at: string;
	user: string | null;
	programme: string | null;
	entity: string;
	entityId: number | null;
	action: string;
	before: unknown;
	after: unknown;
}
