import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { env } from './env.ts';

/**
 * The server's log: JSON lines on stdout (pino), one per request and one per unexpected error, each with the
 * request id. Never a password, token, cookie or query value: a request line carries only the route pattern.
 * What operators must read at first start (printed passwords, plans loaded) stays plain console output.
 */
let instance: Logger | undefined;

export const log = (): Logger =>
	(instance ??= pino({
		level: env().LOG_LEVEL,
		timestamp: pino.stdTimeFunctions.isoTime,
		formatters: { level: (label) => ({ level: label }) }
	}));

/** What the request log knows of the request being answered; the API fills in its route pattern and caller. */
export interface RequestScope {
	readonly id: string;
	/** the route pattern (`/p/[programme]/dashboard`, `/api/v1/programmes/:slug/progress`), never the raw path */
	route: string | null;
	userId: number | null;
	/** the API token acting, when a request is made with one */
	apiTokenId: number | null;
}

const scopes = new AsyncLocalStorage<RequestScope>();

/** A safe incoming `X-Request-Id` (from a proxy) is kept, so one id follows a request across machines. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function requestIdFrom(header: string | null): string {
	return header && SAFE_REQUEST_ID.test(header) ? header : randomUUID();
}

export function inRequestScope<T>(scope: RequestScope, fn: () => Promise<T>): Promise<T> {
	return scopes.run(scope, fn);
}

/** The request being answered, if any (undefined in operator commands and at start-up). */
export const currentRequest = (): RequestScope | undefined => scopes.getStore();

/** An unexpected error, logged once with its stack and the request it broke. */
export function logError(error: unknown, message = 'unexpected error', requestId?: string): void {
	const scope = currentRequest();
	log().error({ err: error, reqId: scope?.id ?? requestId, route: scope?.route ?? undefined }, message);
}
