import type { PageServerLoad } from './$types';
import { listVisibleProgrammes } from '$lib/server/services/kompas.service';
import { pageActor } from '$lib/server/auth/page-access';

export const load: PageServerLoad = async (event) => ({
	programmes: await listVisibleProgrammes({ db: event.locals.db, actor: pageActor(event) })
});
