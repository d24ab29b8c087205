import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { pageContext } from '$lib/server/auth/page-access';
import { getKompas } from '$lib/server/services/kompas.service';
import { storiesFor } from '$lib/server/services/story.service';

export const load: PageServerLoad = async (event) => {
	const ctx = await pageContext(event, event.params.programme);
	const kompas = await getKompas(ctx);
	const theme = kompas.themes.find((t) => t.nextSteps.some((s) => String(s.id) === event.params.nextStepId));
	const step = theme?.nextSteps.find((s) => String(s.id) === event.params.nextStepId);
	if (!theme || !step) error(404, 'Deze vervolgstap bestaat niet in dit programma.');
	const stories = await storiesFor(ctx, { nextStepId: step.id, limit: 100 });
	return { theme: { id: theme.id, number: theme.number, title: theme.title }, step, stories };
};
