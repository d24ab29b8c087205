import type { PageServerLoad } from './$types';
import { pageAdmin } from '$lib/server/auth/page-access';
import { auditLog } from '$lib/server/services/audit.service';

export const load: PageServerLoad = async (event) => {
	pageAdmin(event);
	return { entries: await auditLog(event.locals.db, {}) };
};
