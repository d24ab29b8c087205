import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { pageContext } from '$lib/server/auth/page-access';
import { liveResult, pollDetail } from '$lib/server/services/poll.service';
import { publicOrigin } from '$lib/server/public-origin';
import { idFromPath } from '$lib/domain/ids';
import { notFoundMessage } from '$lib/domain/result';

export const load: PageServerLoad = async (event) => {
	const ctx = await pageContext(event, event.params.programme, 'poll:run');
	const id = idFromPath(event.params.id);
	const [poll, live] =
		id === null
			? [null, null]
			: await Promise.all([pollDetail(ctx, id, { origin: publicOrigin(event.url) }), liveResult(ctx, id)]);
	if (!poll || !live) error(404, notFoundMessage('Peiling'));
	return { poll: { id: poll.id, name: poll.name, link: poll.link }, live };
};
