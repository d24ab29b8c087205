import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { Db } from '../db/create-db.ts';
import { authenticate } from './authenticate.ts';
import { ApiError, errorBody, onError } from './errors.ts';
import { actionRoutes } from './routes/actions.routes.ts';
import { adminRoutes } from './routes/admin.routes.ts';
import { auditRoutes } from './routes/audit.routes.ts';
import { evaluationRoutes } from './routes/evaluations.routes.ts';
import { healthRoutes, readyRoutes } from './routes/health.routes.ts';
import { measurementRoutes } from './routes/measurements.routes.ts';
import { organisationRoutes } from './routes/organisations.routes.ts';
import { planRoutes } from './routes/plan.routes.ts';
import { pollRoutes } from './routes/polls.routes.ts';
import { progressRoutes } from './routes/progress.routes.ts';
import { programmeRoutes } from './routes/programmes.routes.ts';
import { sessionRoutes } from './routes/session.routes.ts';
import { refuseNul } from './validate.ts';
import { signedIn } from './access.ts';
import { apiRouter, json, refusals, route } from './openapi.ts';
import { SESSION_COOKIE } from '../services/auth.service.ts';
import { HTTP_METHODS } from '../../domain/api-reference.ts';
import { matchedRoutes } from 'hono/route';
import type { Context } from 'hono';
import { currentRequest } from '../log.ts';

export const API_BASE = '/api/v1';

/** Request bodies are small JSON; file uploads (imports) have their own, larger limit on their route. */
export const JSON_BODY_LIMIT = 256 * 1024;
export const UPLOAD_BODY_LIMIT = 64 * 1024 * 1024;
const isUpload = (path: string) => path.endsWith('/import');

const tooLarge = () => {
	throw new ApiError(413, 'payload_too_large', 'Het verzoek is te groot.');
};

export type OpenApiDocument = ReturnType<OpenAPIHono['getOpenAPI31Document']>;

/** The document's frame; the paths come from the routes' declarations. */
const DOCUMENT: Parameters<OpenAPIHono['getOpenAPI31Document']>[0] = {
	openapi: '3.1.0',
	info: {
		title: 'Kompas Monitor API',
		version: '1',
		description:
			'De JSON-API van Kompas Monitor. Elke weigering is `{"error":{"code","message","issues"?}}` met een Nederlandse melding. ' +
			'Aanmelden met het sessie-cookie (`POST /api/v1/session`; wijzigende verzoeken dan met de eigen `Origin`) of met een API-token als `Authorization: Bearer …`.'
	},
	security: [{ sessie: [] }, { token: [] }]
};

const documentRoute = route({
	method: 'get',
	path: '/openapi.json',
	tags: ['Status'],
	summary: 'Dit document: het contract van de API (OpenAPI 3.1)',
	middleware: [signedIn] as const,
	responses: { 200: json('Het OpenAPI-document', z.object({ openapi: z.string() }).loose()), ...refusals(401) }
});

/** The JSON API. One chained sub-app per resource; the database is handed in, never imported. */
export function createApi(db: Db) {
	const jsonLimit = bodyLimit({ maxSize: JSON_BODY_LIMIT, onError: tooLarge });
	const uploadLimit = bodyLimit({ maxSize: UPLOAD_BODY_LIMIT, onError: tooLarge });
	const base = apiRouter().basePath(API_BASE);
	base.openAPIRegistry.registerComponent('securitySchemes', 'sessie', {
		type: 'apiKey',
		in: 'cookie',
		name: SESSION_COOKIE,
		description: 'Het sessie-cookie van `POST /api/v1/session`; wijzigende verzoeken alleen met de eigen `Origin`.'
	});
	base.openAPIRegistry.registerComponent('securitySchemes', 'token', {
		type: 'http',
		scheme: 'bearer',
		description: 'Een API-token, aangemaakt door een beheerder.'
	});
	let document: OpenApiDocument | undefined;
	const documentRoutes = apiRouter().openapi(documentRoute, (c) => c.json((document ??= apiDocument(base)), 200));
	return base
		.use(async (c, next) => {
			c.set('db', db);
			c.set('actor', null);
			const scope = currentRequest();
			if (scope) scope.route = routePattern(c);
			try {
				await next();
			} finally {
				const actor = c.get('actor');
				if (scope && actor) {
					scope.userId = actor.userId;
					scope.apiTokenId = actor.apiTokenId ?? null;
				}
			}
		})
		.use((c, next) => (isUpload(c.req.path) ? uploadLimit : jsonLimit)(c, next))
		.route('/health', healthRoutes)
		.route('/ready', readyRoutes)
		.use(authenticate)
		.use((c, next) => (isUpload(c.req.path) ? next() : refuseNul(c, next)))
		.route('/', documentRoutes)
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
		.route('/programmes', pollRoutes)
		.notFound((c) => c.json(errorBody('not_found', 'Onbekende API-route'), 404))
		.onError(onError);
}

export type Api = ReturnType<typeof createApi>;

/** The request log's route: the pattern of the handler Hono chose (`/api/v1/programmes/:slug`), never the raw path. */
function routePattern(c: Context): string {
	// middleware is registered for every method; the one route with a method of its own is the handler
	const handler = matchedRoutes(c).findLast((r) => r.method !== 'ALL');
	return handler ? handler.path.replace(/\/$/, '') || '/' : `${API_BASE} (unmatched)`;
}

/** The OpenAPI 3.1 document of an API: every declared route with its parameters, bodies and answers. */
export function apiDocument(api: object): OpenApiDocument {
	// typed as Hono once chained with `use`, it is the OpenAPIHono that createApi made
	if (!(api instanceof OpenAPIHono)) throw new Error('not an API made by createApi');
	const document = api.getOpenAPI31Document(DOCUMENT);
	// stable ids for client generators, from method and path: GET /api/v1/programmes/{slug} → getProgrammesSlug
	for (const [path, item] of Object.entries(document.paths ?? {}))
		for (const method of HTTP_METHODS) {
			const operation = item[method];
			if (operation && !operation.operationId)
				operation.operationId =
					method +
					path
						.slice(API_BASE.length)
						.split(/[^A-Za-z0-9]+/)
						.filter(Boolean)
						.map((w) => w[0].toUpperCase() + w.slice(1))
						.join('');
		}
	return document;
}
