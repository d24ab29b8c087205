import type { PageServerLoad } from './$types';
import { filterFromSearch } from '$lib/domain/action';
import { pageProgramme } from '$lib/server/auth/page-access';
import { listActions } from '$lib/server/services/action.service';
import { actionOptions } from '$lib/server/services/action-options.service';

export const load: PageServerLoad = async (event) => {
	const programme = await pageProgramme(event, event.params.programme);
	const filter = filterFromSearch(event.url.searchParams);
	const [page, options] = await Promise.all([
		listActions(event.locals.db, programme, event.locals.actor, filter),
		actionOptions(event.locals.db, programme)
	]);
	const saved = Number(event.url.searchParams.get('opgeslagen')) || null;
	return { filter, ...page, options, saved, me: event.locals.actor?.userId ?? null };
};
