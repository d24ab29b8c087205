import { hc, type ClientResponse } from 'hono/client';
import { expect } from 'vitest';
import type { Api } from '../../src/lib/server/api/app.ts';

/**
 * The typed API client (Hono RPC): paths, parameters, queries and JSON bodies are checked against the
 * routes' declarations at compile time; requests go to the in-process app, as a browser would send them.
 */
export function apiClient(api: Api, headers: () => Record<string, string>) {
	return hc<Api>('http://localhost', {
		fetch: (input: RequestInfo | URL, init?: RequestInit) =>
			Promise.resolve(api.request(input instanceof Request ? input : String(input), init)),
		headers: () => ({ origin: 'http://localhost', ...headers() })
	});
}

/** The same typed client over HTTP, for a running server (`startServer`): its own origin, as a browser sends it. */
export function serverClient(url: string, headers: () => Record<string, string> = () => ({})) {
	return hc<Api>(url, { headers: () => ({ origin: url, ...headers() }) });
}

type BodyOf<R, S extends number> = R extends ClientResponse<infer T, S, 'json'> ? T : never;

/**
 * The JSON body of an answer that must have `status` (asserted), typed by the route's response schema for
 * that status: a body the route does not declare fails the type check.
 */
export async function bodyOf<R extends ClientResponse<unknown, number, string>, const S extends R['status']>(
	res: R,
	status: S
): Promise<BodyOf<R, S>> {
	expect(res.status, res.url).toBe(status);
	return (await res.json()) as BodyOf<R, S>;
}

/**
 * Request options carrying a JSON body for a route whose body its service checks (documented in the OpenAPI
 * document by `documentedSchema`, not declared in zod, so the client has no typed `json` for it): path,
 * parameters, query and headers stay typed.
 */
export const jsonBody = (body: unknown) => ({
	headers: { 'content-type': 'application/json' },
	init: { body: JSON.stringify(body) }
});

/**
 * The JSON of an answer a test reads without its route's type: raw requests (a wrong body, a wrong content
 * type, an import's bytes) and routes whose answer the document describes in words only. The one place a
 * test gives up the type checker; everything else goes through the typed client and `bodyOf`.
 */
export type Json = any;

/** Status and JSON body of an answer read as `Json`. */
export const readJson = async (res: Response) => ({ status: res.status, body: (await res.json()) as Json });
