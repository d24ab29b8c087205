import { createRoute, OpenAPIHono, type Hook, type RouteConfig } from '@hono/zod-openapi';
import { z } from 'zod';
import type { ApiEnv } from './context.ts';
import { ApiError, zodToIssues } from './errors.ts';
import { parseInDutch } from './validate.ts';

/**
 * The API contract: every route is declared with `createRoute`, so the OpenAPI document at
 * `/api/v1/openapi.json` is made from the same zod schemas that validate the requests.
 */

/** A failed validation of a declared parameter, query or body: the API's one 400, worded in Dutch. */
export const defaultHook: Hook<unknown, ApiEnv, string, void> = (result) => {
	if (!result.success) throw new ApiError(400, 'invalid_input', 'Ongeldige invoer', zodToIssues(result.error));
};

/** A sub-app of the API whose declared routes feed the document. */
export const apiRouter = () => new OpenAPIHono<ApiEnv>({ defaultHook });

export const ErrorSchema = z
	.object({
		error: z.object({
			code: z.string().openapi({ example: 'invalid_input' }),
			message: z.string().openapi({ description: 'Nederlandse uitleg' }),
			issues: z.array(z.object({ path: z.string(), message: z.string() }).loose()).optional()
		})
	})
	.openapi('Fout', {
		description: 'Elke weigering: een stabiele code, een Nederlandse melding en (bij invoer) de problemen per veld.'
	});

const REFUSAL = {
	400: 'Ongeldige invoer: `issues` noemt elk veld met de reden',
	401: 'Niet aangemeld, of een ongeldig of ingetrokken API-token',
	403: 'Geen recht hierop, of een verzoek met sessie-cookie van een andere herkomst',
	404: 'Niet gevonden; ook een programma dat je niet mag zien',
	409: 'Iemand anders heeft dit intussen gewijzigd, of de toestand staat het niet toe',
	413: 'Het verzoek is te groot',
	415: 'Een Content-Type dat deze route niet leest',
	422: 'Inhoudelijk geweigerd; er is niets gewijzigd',
	429: 'Te veel pogingen; `Retry-After` zegt hoe lang te wachten',
	503: 'Tijdelijk niet beschikbaar: de database antwoordt niet of is niet bijgewerkt'
} as const;
type Refusal = keyof typeof REFUSAL;
type ErrorResponse = { description: string; content: { 'application/json': { schema: typeof ErrorSchema } } };

/** The error responses a route can answer, each with the one error shape. */
export function refusals<const S extends Refusal>(...statuses: S[]): { [K in S]: ErrorResponse } {
	const entries = statuses.map((s): [S, ErrorResponse] => [
		s,
		{ description: REFUSAL[s], content: { 'application/json': { schema: ErrorSchema } } }
	]);
	// Object.fromEntries keys its answer by string; these are exactly the statuses given
	return Object.fromEntries(entries) as Record<S, ErrorResponse>;
}

/** A JSON success body; without a schema it is described in words only. */
export function json(description: string): JsonBody<z.ZodAny>;
export function json<T extends z.ZodType>(description: string, schema: T): JsonBody<T>;
export function json(description: string, schema: z.ZodType = z.any()): JsonBody<z.ZodType> {
	return { description, content: { 'application/json': { schema } } };
}
type JsonBody<T extends z.ZodType> = { description: string; content: { 'application/json': { schema: T } } };

/** A file download (CSV, XLSX, YAML). */
export const file = (description: string, ...types: string[]) => ({
	description,
	content: Object.fromEntries(
		types.map((t) => [t, { schema: { type: 'string' as const, format: t.includes('sheet') ? 'binary' : undefined } }])
	)
});

/**
 * A JSON body the service checks itself (so its own Dutch messages stay): its schema goes into the document's
 * components as JSON Schema, and the route refers to it without validating. zod's own converter, not
 * `registry.register`, which needs `.openapi()` on schemas that may be built before zod was extended.
 */
export function documentedSchema(router: OpenAPIHono<ApiEnv>, name: string, schema: z.ZodType) {
	const { $schema: _, ...jsonSchema } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
	// JSON Schema (zod's output) and OpenAPI 3.1's schema object are the same thing, typed by two libraries
	router.openAPIRegistry.registerComponent('schemas', name, jsonSchema as never);
	return { $ref: `#/components/schemas/${name}` };
}

/** Path parameters read as text by the handler (an unknown id is a 404 there, never a 400). */
export const slugParam = z.object({ slug: z.string().openapi({ description: 'programma, bijv. vleuten-versterkt' }) });

/** A schema that validates like `validate()` does: Dutch messages for zod's generic issues. */
function inDutch<T>(schema: T): T {
	if (!(schema instanceof z.ZodType)) return schema;
	return Object.create(schema, { safeParseAsync: { value: (data: unknown) => parseInDutch(schema, data) } }) as T;
}

/** `createRoute`, with the request schemas validating in Dutch. */
export function route<P extends string, R extends Omit<RouteConfig, 'path'> & { path: P }>(config: R) {
	const request = config.request;
	if (!request) return createRoute<P, R>(config);
	const content = request.body?.content;
	return createRoute<P, R>({
		...config,
		request: {
			...request,
			params: inDutch(request.params),
			query: inDutch(request.query),
			headers: inDutch(request.headers),
			body: request.body && {
				...request.body,
				content:
					content &&
					Object.fromEntries(
						Object.entries(content).map(([type, media]) => [
							type,
							media && 'schema' in media ? { ...media, schema: inDutch(media.schema) } : media
						])
					)
			}
		}
	});
}
