import type { MiddlewareHandler } from 'hono';
import type { Actor, Permission } from '../../domain/permissions.ts';
import { programmeFor, requireActor, requireAdmin } from '../auth/access.ts';
import type { ApiEnv } from './context.ts';

/**
 * Route guards, placed before any validator so that a caller without the right gets 401/403/404 —
 * never a validation error that reveals the route's shape.
 */

/**
 * Programme-scoped routes (`/:slug/...`): sets `c.var.programme` and the services' request context
 * `c.var.ctx` when the actor may do `permission`.
 */
export const inProgramme =
	(permission: Permission = 'programme:read'): MiddlewareHandler<ApiEnv> =>
	async (c, next) => {
		const db = c.get('db').db;
		const programme = await programmeFor(db, c.get('actor'), c.req.param('slug') ?? '', permission);
		c.set('programme', programme);
		c.set('ctx', { db, actor: requireActor(c.get('actor')), programme });
		await next();
	};

export const signedIn: MiddlewareHandler<ApiEnv> = async (c, next) => {
	requireActor(c.get('actor'));
	await next();
};

export const adminOnly: MiddlewareHandler<ApiEnv> = async (c, next) => {
	requireAdmin(c.get('actor'));
	await next();
};

/** The signed-in caller of a route behind one of the guards above (which already refused anyone else). */
export const actorOf = (c: { get(key: 'actor'): Actor | null }): Actor => requireActor(c.get('actor'));
