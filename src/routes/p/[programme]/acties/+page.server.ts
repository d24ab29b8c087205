import type { PageServerLoad } from './$types';
import { filterFromSearch } from '$lib/domain/action';
import { pageContext } from '$lib/server/auth/page-access';
import { listActions } from '$lib/server/services/action.service';
import { actionOptions } from '$lib/server/services/action-options.service';

export const load: PageServerLoad = async (event) => {
	const ctx = await pageContext(event, event.params.programme);
	const filter = filterFromSearch(event.url.searchParams);
	const [page, options] = await Promise.all([listActions(ctx, filter), actionOptions(ctx)]);
	const saved = Number(event.url.searchParams.get('opgeslagen')) || null;
	return { filter, ...page, options, saved, me: ctx.actor.userId };
};
