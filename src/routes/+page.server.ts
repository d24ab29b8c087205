import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { listVisibleProgrammes } from '$lib/server/services/kompas.service';
import { attentionFor } from '$lib/server/services/measurement-review.service';
import { pageActor } from '$lib/server/auth/page-access';
import { landingPath, LIST_PARAM } from '$lib/domain/landing';

export const load: PageServerLoad = async (event) => {
	const actor = pageActor(event);
	const programmes = await listVisibleProgrammes({ db: event.locals.db, actor });
	// opening the app goes on to what the role does most; the menu's "Programma's" asks for the list itself
	const landing = event.url.searchParams.has(LIST_PARAM) ? null : landingPath(actor, programmes);
	if (landing) redirect(303, landing);
	const attention = await attentionFor(
		event.locals.db,
		actor,
		programmes.map((p) => p.id)
	);
	return { programmes: programmes.map((p) => ({ ...p, attention: attention.get(p.id)! })) };
};
