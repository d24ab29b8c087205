import { hc } from 'hono/client';
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
