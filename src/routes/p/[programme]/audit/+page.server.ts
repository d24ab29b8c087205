import type { PageServerLoad } from './$types';
import { pageProgramme } from '$lib/server/auth/page-access';
import { auditPage } from '$lib/server/services/audit.service';
import { auditQueryFromSearch } from '$lib/domain/audit';
import { canAdminister } from '$lib/domain/permissions';

export const load: PageServerLoad = async (event) => {
	const programme = await pageProgramme(event, event.params.programme, 'audit:read');
	const { query, problems } = auditQueryFromSearch(event.url.searchParams);
	return {
		query,
		problems,
		admin: canAdminister(event.locals.actor),
		...(await auditPage(event.locals.db, { programmeId: programme.id }, query))
	};
};
