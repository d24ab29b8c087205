import { error, redirect } from '@sveltejs/kit';
import type { Permission } from '../../domain/permissions.ts';
import { AccessError, programmeFor, requireActor, requireAdmin } from './access.ts';
import type { RequestContext } from '../request-context.ts';

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

export async function pageProgramme(event: PageEvent, slug: string, permission: Permission = 'programme:read') {
	try {
		return await programmeFor(event.locals.db, event.locals.actor, slug, permission);
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
