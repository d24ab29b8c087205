import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Db } from '../db/create-db.ts';
import { authenticate } from './authenticate.ts';
import type { ApiEnv } from './context.ts';
import { ApiError, errorBody, onError } from './errors.ts';
import { actionRoutes } from './routes/actions.routes.ts';
import { adminRoutes } from './routes/admin.routes.ts';
import { auditRoutes } from './routes/audit.routes.ts';
import { evaluationRoutes } from './routes/evaluations.routes.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { measurementRoutes } from './routes/measurements.routes.ts';
import { organisationRoutes } from './routes/organisations.routes.ts';
import { planRoutes } from './routes/plan.routes.ts';
import { progressRoutes } from './routes/progress.routes.ts';
import { programmeRoutes } from './routes/programmes.routes.ts';
import { sessionRoutes } from './routes/session.routes.ts';
import { refuseNul } from './validate.ts';

export const API_BASE = '/api/v1';

/** Request bodies are small JSON; file uploads (imports) have their own, larger limit on their route. */
export const JSON_BODY_LIMIT = 256 * 1024;
export const UPLOAD_BODY_LIMIT = 64 * 1024 * 1024;
const isUpload = (path: string) => path.endsWith('/import');

const tooLarge = () => {
	throw new ApiError(413, 'payload_too_large', 'Het verzoek is te groot.');
};

/** The JSON API. One chained sub-app per resource; the database is handed in, never imported. */
export function createApi(db: Db) {
	const jsonLimit = bodyLimit({ maxSize: JSON_BODY_LIMIT, onError: tooLarge });
	const uploadLimit = bodyLimit({ maxSize: UPLOAD_BODY_LIMIT, onError: tooLarge });
	return new Hono<ApiEnv>()
		.basePath(API_BASE)
		.use(async (c, next) => {
			c.set('db', db);
			c.set('actor', null);
			await next();
		})
		.use((c, next) => (isUpload(c.req.path) ? uploadLimit : jsonLimit)(c, next))
		.route('/health', healthRoutes)
		.use(authenticate)
		.use((c, next) => (isUpload(c.req.path) ? next() : refuseNul(c, next)))
		.route('/session', sessionRoutes)
		.route('/admin', adminRoutes)
		.route('/programmes', programmeRoutes)
		.route('/programmes', auditRoutes)
		.route('/programmes', actionRoutes)
		.route('/programmes', organisationRoutes)
		.route('/programmes', evaluationRoutes)
		.route('/programmes', progressRoutes)
		.route('/programmes', measurementRoutes)
		.route('/programmes', planRoutes)
		.notFound((c) => c.json(errorBody('not_found', 'Onbekende API-route'), 404))
		.onError(onError);
}

export type Api = ReturnType<typeof createApi>;
