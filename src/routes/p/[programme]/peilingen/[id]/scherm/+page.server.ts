import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { pageContext } from '$lib/server/auth/page-access';
import { publicOrigin } from '$lib/server/public-origin';
import { pollDetail } from '$lib/server/services/poll.service';
import { idFromPath } from '$lib/domain/ids';
import { notFoundMessage } from '$lib/domain/result';

export const load: PageServerLoad = async (event) => {
	const ctx = await pageContext(event, event.params.programme, 'poll:run');
	const id = idFromPath(event.params.id);
	const poll = id === null ? null : await pollDetail(ctx, id, { origin: publicOrigin(event.url) });
	if (!poll?.link) error(404, notFoundMessage('Peiling'));
	return { poll: { id: poll.id, name: poll.name, link: poll.link, state: poll.state } };
};
