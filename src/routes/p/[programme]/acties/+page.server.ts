import type { PageServerLoad } from './$types';
import { filterFromSearch } from '$lib/domain/action';
import { MINE_PARAM, showMine } from '$lib/domain/action-choices';
import { can } from '$lib/domain/permissions';
import { pageContext } from '$lib/server/auth/page-access';
import { listActions } from '$lib/server/services/action.service';
import { actionOptions } from '$lib/server/services/action-options.service';

export const load: PageServerLoad = async (event) => {
	const ctx = await pageContext(event, event.params.programme);
	const filter = filterFromSearch(event.url.searchParams);
	const logsOwnOnly =
		can(ctx.actor, 'action:log', ctx.programme.id) && !can(ctx.actor, 'action:edit-any', ctx.programme.id);
	// "Mijn acties": a chosen author (the filter's "Gelogd door") wins over the switch
	const mine =
		ctx.actor.userId !== null &&
		filter.author === undefined &&
		showMine(event.url.searchParams.get(MINE_PARAM), logsOwnOnly);
	const [page, options] = await Promise.all([
		listActions(ctx, mine ? { ...filter, author: ctx.actor.userId! } : filter),
		actionOptions(ctx)
	]);
	const saved = Number(event.url.searchParams.get('opgeslagen')) || null;
	return { filter, mine, ...page, options, saved, me: ctx.actor.userId };
};
