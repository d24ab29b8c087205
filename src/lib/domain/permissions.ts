/**
 * Who may do what: the one definition. Roles are held per programme; admin is global.
 * Every page and API route asks `can()` (through the access service), never a role directly.
 */
export const ROLES = ['funder', 'aanjager', 'lead'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABEL: Record<Role, string> = { funder: 'financier', aanjager: 'aanjager', lead: 'projectleider' };

export const PERMISSIONS = [
	'programme:read', // kompas, indicators, measurements, dashboard, report
	'measurement:submit', // enter measurements (as submitted)
	'action:log', // log actions, edit own actions
	'plan:edit',
	'measurement:approve',
	'evaluation:write',
	'action:edit-any',
	'audit:read',
	'poll:run', // create, show and close anonymous polls (peilingen)
	'poll:read-open' // read a poll's open answers (free text of children: leads only)
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
	funder: ['programme:read'],
	aanjager: ['programme:read', 'measurement:submit', 'action:log', 'poll:run'],
	lead: PERMISSIONS
};

export interface Actor {
	userId: number | null;
	name: string;
	email: string | null;
	isAdmin: boolean;
	/** programme id → role */
	roles: Readonly<Record<number, Role>>;
	via: 'session' | 'token';
	/** the API token acting, when `via` is 'token' (the audit log names it as the author) */
	apiTokenId?: number;
}

/** May this actor do this in this programme? */
export function can(actor: Actor | null, permission: Permission, programmeId: number): boolean {
	if (!actor) return false;
	if (actor.isAdmin) return true;
	const role = actor.roles[programmeId];
	return role !== undefined && GRANTS[role].includes(permission);
}

/** Managing users, memberships, programmes and API tokens. */
export const canAdminister = (actor: Actor | null): boolean => actor?.isAdmin === true;

/** May see the programme at all; when false, its objects answer 404 so ids cannot be probed. */
export const canSee = (actor: Actor | null, programmeId: number) => can(actor, 'programme:read', programmeId);

/** Whether this actor may edit this action: its author with action:log, or anyone with action:edit-any. */
export function canEditAction(actor: Actor | null, programmeId: number, authorId: number | null): boolean {
	if (can(actor, 'action:edit-any', programmeId)) return true;
	return can(actor, 'action:log', programmeId) && authorId !== null && actor!.userId === authorId;
}

/** Quotes not marked shareable stay with the programme's own people (aanjagers, leads), never funders. */
export const canSeeUnsharedStories = (actor: Actor | null, programmeId: number): boolean =>
	can(actor, 'action:log', programmeId);
