import type { PageServerLoad } from './$types';
import { pageAdmin } from '$lib/server/auth/page-access';
import { adminOverview } from '$lib/server/services/admin-overview.service';

export const load: PageServerLoad = async (event) => {
	pageAdmin(event);
	return { overview: await adminOverview(event.locals.db) };
};
