import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { findIndicator } from '$lib/server/services/kompas.service';
import { indicatorDetail } from '$lib/server/services/measurement.service';
import { pageProgramme } from '$lib/server/auth/page-access';
import { can } from '$lib/domain/permissions';
import { listSchoolYears } from '$lib/server/services/phase.service';
import { todayIso } from '$lib/domain/dutch-format';

export const load: PageServerLoad = async (event) => {
	const { locals, params, url } = event;
	const programme = await pageProgramme(event, params.programme);
	const indicator = await findIndicator({ db: locals.db, programme }, params.code);
	if (!indicator) error(404, `De indicator "${params.code}" bestaat niet in dit programma.`);
	// people who enter and review measurements also see the ones not yet approved (marked by status)
	const seesAll = can(locals.actor, 'measurement:submit', programme.id);
	return {
		indicator,
		seesAll,
		saved: url.searchParams.get('opgeslagen'),
		// a per-period indicator's running total adds up its school year's phases (running-total.ts)
		schoolYears: await listSchoolYears({ db: locals.db, programme }, todayIso()),
		...(await indicatorDetail({ db: locals.db, programme }, indicator.id, url.searchParams.get('regio'), {
			includeUnapproved: seesAll
		}))
	};
};
