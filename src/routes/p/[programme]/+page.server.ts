import type { PageServerLoad } from './$types';
import { getKompas } from '$lib/server/services/kompas.service';
import { programmeSystemMap } from '$lib/server/services/system-map.service';
import { pageProgramme } from '$lib/server/auth/page-access';

export const load: PageServerLoad = async (event) => {
	const ctx = { db: event.locals.db, programme: await pageProgramme(event, event.params.programme) };
	const [kompas, systemMap] = await Promise.all([getKompas(ctx), programmeSystemMap(ctx)]);
	return { kompas, systemMap };
};
