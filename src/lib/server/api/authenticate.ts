import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { ApiEnv } from './context.ts';
import { ApiError } from './errors.ts';
import { actorFromApiToken, actorFromSession, SESSION_COOKIE } from '../services/auth.service.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves the actor from `Authorization: Bearer …` (API tokens) or the session cookie. A state-changing
 * request authenticated by cookie must come from the app's own origin; bearer-token calls are exempt.
 */
export const authenticate: MiddlewareHandler<ApiEnv> = async (c, next) => {
	const { db } = c.get('db');
	const header = c.req.header('authorization');
	if (header !== undefined) {
		const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
		const actor = token ? await actorFromApiToken(db, token) : null;
		if (!actor) throw new ApiError(401, 'unauthorized', 'Ongeldig of ingetrokken API-token');
		c.set('actor', actor);
		return next();
	}
	const cookie = getCookie(c, SESSION_COOKIE);
	const actor = cookie ? await actorFromSession(db, cookie) : null;
	if (actor && !SAFE_METHODS.has(c.req.method)) {
		const origin = c.req.header('origin');
		if (origin !== new URL(c.req.url).origin)
			throw new ApiError(403, 'cross_origin', 'Verzoek van een andere herkomst geweigerd');
	}
	c.set('actor', actor);
	return next();
};
