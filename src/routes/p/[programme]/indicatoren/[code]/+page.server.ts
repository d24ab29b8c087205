import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { findIndicator } from '$lib/server/services/kompas.service';
import { indicatorDetail } from '$lib/server/services/measurement.service';
import { pageProgramme } from '$lib/server/auth/page-access';

export const load: PageServerLoad = async (event) => {
	const { locals, params, url } = event;
	const programme = await pageProgramme(event, params.programme);
	const indicator = await findIndicator(locals.db, programme, params.code);
	if (!indicator) error(404, `De indicator "${params.code}" bestaat niet in dit programma.`);
	return { indicator, ...(await indicatorDetail(locals.db, programme, indicator.id, url.searchParams.get('regio'))) };
};
