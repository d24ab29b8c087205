import type { PageServerLoad } from './$types';
import { pageActor } from '$lib/server/auth/page-access';
import { app } from '$lib/server/app-context';
import { apiDocument } from '$lib/server/api/app';
import { apiReference } from '$lib/domain/api-reference';

/** The API reference for anyone signed in: it describes routes, never data. */
export const load: PageServerLoad = async (event) => {
	pageActor(event);
	const document = apiDocument(app().api);
	return { title: document.info.title, version: document.info.version, groups: apiReference(document) };
};
