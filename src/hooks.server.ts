import {
	isHttpError,
	isRedirect,
	json,
	redirect,
	text,
	type Handle,
	type HandleServerError,
	type ServerInit
} from '@sveltejs/kit';
import { NUL_MESSAGE } from '$lib/domain/input-rules';
import { errorBody } from '$lib/server/api/errors';
import { app, startApp } from '$lib/server/app-context';
import { actorFromSession, SESSION_COOKIE } from '$lib/server/services/auth.service';
import { QUERY_COUNT_HEADER, withQueryCount } from '$lib/server/db/query-stats';
import { inRequestScope, log, logError, requestIdFrom, type RequestScope } from '$lib/server/log';
import { observeRequest } from '$lib/server/metrics';
import { crossSiteRefusal } from '$lib/server/origin-check';

export const init: ServerInit = async () => {
	await startApp();
};

/**
 * Pages anyone may open; every other page needs a session. The API checks its own routes (Hono);
 * /metrics checks its own bearer token (METRICS_TOKEN); a password link's page is opened by its token.
 */
export const PUBLIC_PAGES = new Set([
	'/login',
	'/wachtwoord-vergeten',
	'/wachtwoord/[token]',
	'/metrics',
	// a poll's respondents have no account: the page answers only for a valid code (poll-answer.service.ts)
	'/peiling/[code]'
]);
const API_DOCS_PAGE = '/api/docs';
export const REQUEST_ID_HEADER = 'x-request-id';
/** Asked every few seconds by load balancers and Prometheus: logged at `debug` while they succeed. */
const PROBES = new Set(['/api/v1/health', '/api/v1/ready', '/metrics']);

/** Every request: its id, its query count, then one log line and its metrics, whatever the outcome. */
export const handle: Handle = ({ event, resolve }) => {
	const started = performance.now();
	const scope: RequestScope = {
		id: requestIdFrom(event.request.headers.get(REQUEST_ID_HEADER)),
		route: null,
		userId: null,
		apiTokenId: null
	};
	event.locals.requestId = scope.id;
	return inRequestScope(scope, () =>
		withQueryCount(async (queries) => {
			let status = 500;
			try {
				const response = await handleRequest({ event, resolve });
				status = response.status;
				if (app().queryStats) response.headers.set(QUERY_COUNT_HEADER, String(queries()));
				response.headers.set(REQUEST_ID_HEADER, scope.id);
				return response;
			} catch (e) {
				if (isRedirect(e) || isHttpError(e)) status = e.status;
				throw e;
			} finally {
				// the API names its own route pattern and caller (Hono); pages have the session's actor
				const route = scope.route ?? event.route.id ?? 'unmatched';
				const userId = scope.userId ?? event.locals.actor?.userId ?? null;
				const ms = performance.now() - started;
				log()[PROBES.has(route) && status < 400 ? 'debug' : 'info'](
					{
						reqId: scope.id,
						method: event.request.method,
						route,
						status,
						ms: Math.round(ms * 10) / 10,
						userId,
						...(scope.apiTokenId !== null ? { apiTokenId: scope.apiTokenId } : {})
					},
					'request'
				);
				observeRequest(event.request.method, route, status, ms / 1000, queries());
			}
		})
	);
};

/** An unexpected error in a page, form action or endpoint: logged once, with its request; the user sees the error page. */
export const handleError: HandleServerError = ({ error, event, status }) => {
	if (status >= 500) logError(error, 'unexpected error', event.locals.requestId);
};

const handleRequest: Handle = async ({ event, resolve }) => {
	const { db } = app().db;
	event.locals.db = db;
	event.locals.actor = null;
	const refusal = crossSiteRefusal(event.request, event.url, event.route.id);
	if (refusal === 'wrong-address') event.locals.wrongAddress = true;
	else if (refusal) return withSecurityHeaders(refusal);
	// the API's reference page is a page like any other, under the API's own path
	const isApi = event.url.pathname.startsWith('/api/') && event.route.id !== API_DOCS_PAGE;
	// SvelteKit answers a path it cannot decode with 400, but calls this hook outside its own error
	// handling then: a redirect thrown here would crash the server. Such a path reaches no page or route.
	const readable = decodable(event.url.pathname);
	if (isApi && !readable)
		return withSecurityHeaders(
			json(errorBody('invalid_path', 'Het adres bevat een ongeldige %-codering.'), { status: 400 })
		);
	// a NUL in a path or query value would reach a query, where PostgreSQL fails on it and SQLite does not
	if (/%00/i.test(event.url.pathname + event.url.search)) {
		const message = `Het adres ${NUL_MESSAGE}.`;
		return withSecurityHeaders(
			isApi
				? json(errorBody('invalid_input', message, [{ path: 'url', message: NUL_MESSAGE }]), { status: 400 })
				: text(message, { status: 400 })
		);
	}
	if (!isApi && readable) {
		const token = event.cookies.get(SESSION_COOKIE);
		event.locals.actor = token ? await actorFromSession(db, token) : null;
		if (!event.locals.actor && !PUBLIC_PAGES.has(event.route.id ?? '')) {
			if (token) event.cookies.delete(SESSION_COOKIE, { path: '/' });
			redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
		}
	}
	return withSecurityHeaders(await resolve(event));
};

/** The one place that sets the security headers of every page and API answer (CSP: svelte.config.js). */
function withSecurityHeaders(response: Response): Response {
	// only when the configured ORIGIN is https: over plain http the header is meaningless, and an ORIGIN
	// left unset says nothing about how users reach the server
	if (app().https) response.headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'same-origin');
	response.headers.set('X-Frame-Options', 'DENY');
	return response;
}

/** Whether SvelteKit can decode the path (as its decode_pathname does), i.e. it may name a page. */
function decodable(pathname: string): boolean {
	try {
		pathname.split('%25').forEach((part) => decodeURI(part));
		return true;
	} catch {
		return false;
	}
}
