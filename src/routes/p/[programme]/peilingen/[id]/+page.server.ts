import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { pageContext } from '$lib/server/auth/page-access';
import { failWith } from '$lib/server/form-result';
import { publicOrigin } from '$lib/server/public-origin';
import { closeByHand, openAnswersOf, pollDetail } from '$lib/server/services/poll.service';
import { can } from '$lib/domain/permissions';
import { idFromPath } from '$lib/domain/ids';
import { notFoundMessage } from '$lib/domain/result';

export const load: PageServerLoad = async (event) => {
	const ctx = await pageContext(event, event.params.programme);
	const id = idFromPath(event.params.id);
	const poll = id === null ? null : await pollDetail(ctx, id, { origin: publicOrigin(event.url) });
	if (!poll) error(404, notFoundMessage('Peiling'));
	return {
		poll,
		mayRun: can(ctx.actor, 'poll:run', ctx.programme.id),
		mayReadOpen: can(ctx.actor, 'poll:read-open', ctx.programme.id),
		openAnswers: await openAnswersOf(ctx, poll.id)
	};
};

export const actions: Actions = {
	close: async (event) => {
		const ctx = await pageContext(event, event.params.programme, 'poll:run');
		const id = idFromPath(event.params.id);
		if (id === null) error(404, notFoundMessage('Peiling'));
		const r = await closeByHand(ctx, id, { origin: publicOrigin(event.url) });
		if (!r.ok) return failWith(r.refusal);
		redirect(303, event.url.pathname);
	}
};
