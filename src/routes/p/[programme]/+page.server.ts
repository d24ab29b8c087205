import type { PageServerLoad } from './$types';
import { getKompas } from '$lib/server/services/kompas.service';
import { pageProgramme } from '$lib/server/auth/page-access';

export const load: PageServerLoad = async (event) => ({
	kompas: await getKompas({ db: event.locals.db, programme: await pageProgramme(event, event.params.programme) })
});
