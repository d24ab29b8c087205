import type { PageServerLoad } from './$types';
import { listVisibleProgrammes } from '$lib/server/services/kompas.service';
import { attentionFor } from '$lib/server/services/measurement-review.service';
import { pageActor } from '$lib/server/auth/page-access';

export const load: PageServerLoad = async (event) => {
	const actor = pageActor(event);
	const programmes = await listVisibleProgrammes({ db: event.locals.db, actor });
	const attention = await attentionFor(
		event.locals.db,
		actor,
		programmes.map((p) => p.id)
	);
	return { programmes: programmes.map((p) => ({ ...p, attention: attention.get(p.id)! })) };
};
