import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { can } from '$lib/domain/permissions';
import { pageContext } from '$lib/server/auth/page-access';
import { evaluationGrid } from '$lib/server/services/evaluation-overview.service';
import { todayIso } from '$lib/domain/dutch-format';

export const load: PageServerLoad = async (event) => {
	const ctx = await pageContext(event, event.params.programme);
	const year = event.url.searchParams.get('schooljaar') || undefined;
	const grid = await evaluationGrid(ctx, todayIso(), year);
	if (!grid) error(404, 'Schooljaar niet gevonden.');
	return { grid, may: { lead: can(ctx.actor, 'evaluation:write', ctx.programme.id) } };
};
