import { error, redirect } from '@sveltejs/kit';
import type { Permission } from '../../domain/permissions.ts';
import { AccessError, programmeFor, requireActor, requireAdmin } from './access.ts';
import type { RequestContext } from '../request-context.ts';
import type { Kysely } from 'kysely';
import type { Database, Programme } from '../db/schema.ts';
import { findProgrammeBySlug } from '../repositories/kompas.repository.ts';

/**
 * The access rules of ./access.ts for pages and form actions: 401 → to the login page (and back
 * afterwards), 403/404 → the error page with that status.
 */
export function rethrowForPage(e: unknown, url: URL): never {
	if (e instanceof AccessError) {
		if (e.status === 401) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
		error(e.status, e.message);
	}
	throw e;
}

interface PageEvent {
	locals: App.Locals;
	url: URL;
}

/**
 * The programme row, looked up once per request: a programme's layout and its page (which SvelteKit loads at
 * the same time) both ask for it, and the query budget counts every query. Nothing changes a programme row
 * while a page request runs; the permission is still checked on every call.
 */
const lookups = new WeakMap<App.Locals, Map<string, Promise<Programme | undefined>>>();
function lookupOnce(locals: App.Locals) {
	return (db: Kysely<Database>, slug: string) => {
		const seen = lookups.get(locals) ?? new Map<string, Promise<Programme | undefined>>();
		lookups.set(locals, seen);
		if (!seen.has(slug)) seen.set(slug, findProgrammeBySlug(db, slug));
		return seen.get(slug)!;
	};
}

export async function pageProgramme(event: PageEvent, slug: string, permission: Permission = 'programme:read') {
	try {
		return await programmeFor(event.locals.db, event.locals.actor, slug, permission, lookupOnce(event.locals));
	} catch (e) {
		rethrowForPage(e, event.url);
	}
}

export function pageActor(event: PageEvent) {
	try {
		return requireActor(event.locals.actor);
	} catch (e) {
		rethrowForPage(e, event.url);
	}
}

export function pageAdmin(event: PageEvent) {
	try {
		return requireAdmin(event.locals.actor);
	} catch (e) {
		rethrowForPage(e, event.url);
	}
}

/**
 * The services' request context for a programme page or form action: the actor must be signed in
 * and may do `permission` in the programme `slug` (else the login page, 403 or 404).
 */
export async function pageContext(
	event: PageEvent,
	slug: string,
	permission: Permission = 'programme:read'
): Promise<RequestContext> {
	const programme = await pageProgramme(event, slug, permission);
	return { db: event.locals.db, actor: pageActor(event), programme };
}
