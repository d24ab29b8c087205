import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { indicatorPage } from '$lib/server/services/indicator-page.service';
import { pageContext } from '$lib/server/auth/page-access';
import { can } from '$lib/domain/permissions';
import { todayIso } from '$lib/domain/dutch-format';

export const load: PageServerLoad = async (event) => {
	const { locals, params, url } = event;
	const ctx = await pageContext(event, params.programme);
	// people who enter and review measurements also see the ones not yet approved (marked by status)
	const seesAll = can(locals.actor, 'measurement:submit', ctx.programme.id);
	const page = await indicatorPage(ctx, params.code, url.searchParams.get('regio'), {
		includeUnapproved: seesAll,
		today: todayIso()
	});
	if (!page) error(404, `De indicator "${params.code}" bestaat niet in dit programma.`);
	return { ...page, seesAll, saved: url.searchParams.get('opgeslagen') };
};
