import type { PageServerLoad } from './$types';
import { pageActor } from '$lib/server/auth/page-access';
import { programmeOverview } from '$lib/server/services/overview.service';

export const load: PageServerLoad = async (event) => ({
	rows: await programmeOverview({ db: event.locals.db, actor: pageActor(event) })
});
