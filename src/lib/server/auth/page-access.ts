import { error, redirect } from '@sveltejs/kit';
import type { Permission } from '../../domain/permissions.ts';
import { AccessError, programmeFor, requireActor, requireAdmin } from './access.ts';
import type { RequestContext } from '../request-context.ts';
import type { Programme } from '../db/schema.ts';
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
	request: Request;
}

/**
 * Per GET request: a programme page's layout and the page itself both ask for the programme; it is read once.
 * A form post reads it afresh each time, since its action may have changed it before the page loads again.
 */
const programmesRead = new WeakMap<App.Locals, Map<string, Promise<Programme | undefined>>>();

function readOnce({ locals, request }: PageEvent, slug: string) {
	if (request.method !== 'GET') return findProgrammeBySlug(locals.db, slug);
	const read = programmesRead.get(locals) ?? new Map<string, Promise<Programme | undefined>>();
	programmesRead.set(locals, read);
	if (!read.has(slug)) read.set(slug, findProgrammeBySlug(locals.db, slug));
	return read.get(slug)!;
}

export async function pageProgramme(event: PageEvent, slug: string, permission: Permission = 'programme:read') {
	try {
		return await programmeFor(event.locals.db, event.locals.actor, slug, permission, (s) => readOnce(event, s));
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
