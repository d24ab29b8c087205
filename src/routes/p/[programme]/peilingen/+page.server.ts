import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { pageContext } from '$lib/server/auth/page-access';
import { readForm } from '$lib/server/read-form';
import { failWith } from '$lib/server/form-result';
import { publicOrigin } from '$lib/server/public-origin';
import { createPoll, listPolls, pollFormOptions, POLL_LIST_LIMIT } from '$lib/server/services/poll.service';
import { can } from '$lib/domain/permissions';
import { dutchWallTime } from '$lib/domain/poll-input';
import { formFields } from '../acties/action-form';
import { pollInputOf } from './poll-form';

export const load: PageServerLoad = async (event) => {
	const ctx = await pageContext(event, event.params.programme);
	const mayRun = can(ctx.actor, 'poll:run', ctx.programme.id);
	const [polls, options] = await Promise.all([listPolls(ctx), mayRun ? pollFormOptions(ctx) : null]);
	return {
		polls,
		limit: POLL_LIST_LIMIT,
		mayRun,
		minGroupSize: ctx.programme.min_group_size,
		options: options && {
			...options,
			defaults: {
				date: options.defaults.date,
				closesAt: dutchWallTime(options.defaults.closesAt),
				maxAnswers: String(options.defaults.maxAnswers)
			}
		}
	};
};

export const actions: Actions = {
	create: async (event) => {
		const ctx = await pageContext(event, event.params.programme, 'poll:run');
		const values = formFields(await readForm(event.request));
		const r = await createPoll(ctx, pollInputOf(values), { origin: publicOrigin(event.url) });
		if (!r.ok) return failWith(r.refusal, { values });
		redirect(303, `/p/${ctx.programme.slug}/peilingen/${r.value.id}`);
	}
};
