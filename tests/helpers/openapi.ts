import { HTTP_METHODS } from '../../src/lib/domain/api-reference.ts';
import { apiDocument, createApi } from '../../src/lib/server/api/app.ts';

/** The API without a database: enough to read its routes and its OpenAPI document. */
export const offlineApi = () => createApi({ db: null!, dialect: 'sqlite', close: async () => {} });

/** Every operation of the API's OpenAPI document, as `{method, path}` with `{param}` placeholders. */
export function documentedRoutes(doc = apiDocument(offlineApi())): { method: string; path: string }[] {
	return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
		HTTP_METHODS.filter((m) => (item as Record<string, unknown>)[m]).map((m) => ({ method: m.toUpperCase(), path }))
	);
}
