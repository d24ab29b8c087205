import { Hono } from 'hono';
import type { Db } from '../db/create-db.ts';
import type { ApiEnv } from './context.ts';
import { errorBody, onError } from './errors.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { programmeRoutes } from './routes/programmes.routes.ts';

export const API_BASE = '/api/v1';

/** The JSON API. One chained sub-app per resource; the database is handed in, never imported. */
export function createApi(db: Db) {
	return new Hono<ApiEnv>()
		.basePath(API_BASE)
		.use(async (c, next) => {
			c.set('db', db);
			await next();
		})
		.route('/health', healthRoutes)
		.route('/programmes', programmeRoutes)
		.notFound((c) => c.json(errorBody('not_found', 'Onbekende API-route'), 404))
		.onError(onError);
}

export type Api = ReturnType<typeof createApi>;
