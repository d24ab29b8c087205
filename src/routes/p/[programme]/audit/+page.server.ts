import type { PageServerLoad } from './$types';
import { pageProgramme } from '$lib/server/auth/page-access';
import { auditLog } from '$lib/server/services/audit.service';

export const load: PageServerLoad = async (event) => {
	const programme = await pageProgramme(event, event.params.programme, 'audit:read');
	return { entries: await auditLog(event.locals.db, { programmeId: programme.id }) };
};
