import type { PageServerLoad } from './$types';
import { pageAdmin } from '$lib/server/auth/page-access';
import { auditPage } from '$lib/server/services/audit.service';
import { auditQueryFromSearch } from '$lib/domain/audit';

export const load: PageServerLoad = async (event) => {
	pageAdmin(event);
	const { query, problems } = auditQueryFromSearch(event.url.searchParams);
	return { query, problems, ...(await auditPage(event.locals.db, {}, query)) };
};
