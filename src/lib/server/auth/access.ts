import type { Kysely } from 'kysely';
import type { Database, Programme } from '../db/schema.ts';
import { can, canAdminister, canSee, type Actor, type Permission } from '../../domain/permissions.ts';
import { findProgrammeBySlug } from '../repositories/kompas.repository.ts';

/**
 * A refused request: 401 not signed in, 403 signed in but not allowed, 404 unknown or invisible.
 * Pages turn it into a redirect or error page, the API into its JSON error.
 */
export class AccessError extends Error {
	constructor(
		readonly status: 401 | 403 | 404,
		message: string
	) {
		super(message);
	}
}

const MESSAGES = {
	401: 'Log in om verder te gaan.',
	403: 'Je hebt geen rechten voor deze handeling.',
	404: 'Niet gevonden.'
} as const;

export const denied = (status: 401 | 403 | 404, message: string = MESSAGES[status]) => new AccessError(status, message);

export function requireActor(actor: Actor | null): Actor {
	if (!actor) throw denied(401);
	return actor;
}

export function requireAdmin(actor: Actor | null): Actor {
	const a = requireActor(actor);
	if (!canAdminister(a)) throw denied(403);
	return a;
}

/**
 * The programme by slug if the actor may do `permission` in it.
 * Unknown or not visible → 404 (so slugs and ids cannot be probed); visible but not allowed → 403.
 */
export async function programmeFor(
	db: Kysely<Database>,
	actor: Actor | null,
	slug: string,
	permission: Permission = 'programme:read',
	find: (db: Kysely<Database>, slug: string) => Promise<Programme | undefined> = findProgrammeBySlug
): Promise<Programme> {
	const a = requireActor(actor);
	const programme = await find(db, slug);
	if (!programme || !canSee(a, programme.id)) throw denied(404, 'Programma niet gevonden.');
	if (!can(a, permission, programme.id)) throw denied(403);
	return programme;
}

/** For a check after loading an object: 403 when the actor may see the programme but not do this. */
export function requirePermission(actor: Actor | null, permission: Permission, programmeId: number): void {
	if (!can(requireActor(actor), permission, programmeId)) throw denied(canSee(actor, programmeId) ? 403 : 404);
}
