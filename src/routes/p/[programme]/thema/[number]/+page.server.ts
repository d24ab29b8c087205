import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { pageContext } from '$lib/server/auth/page-access';
import { getKompas } from '$lib/server/services/kompas.service';
import { storiesFor } from '$lib/server/services/story.service';

export const load: PageServerLoad = async (event) => {
	const ctx = await pageContext(event, event.params.programme);
	const kompas = await getKompas(ctx);
	const theme = kompas.themes.find((t) => String(t.number) === event.params.number);
	if (!theme) error(404, `Thema ${event.params.number} bestaat niet in dit programma.`);
	const stories = await storiesFor(ctx, { themeId: theme.id, limit: 100 });
	return { theme, stories };
};
