import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { pageProgramme } from '$lib/server/auth/page-access';
import { dashboard } from '$lib/server/services/dashboard.service';
import { isProblem } from '$lib/server/services/progress.service';
import { DECISION_LABEL, EVALUATION_STATUS_LABEL } from '$lib/domain/evaluation';

export const load: PageServerLoad = async (event) => {
	const programme = await pageProgramme(event, event.params.programme);
	const q = event.url.searchParams;
	const view = await dashboard(event.locals.db, programme, event.locals.actor, { region: q.get('regio') || null, phase: q.get('fase') || null, indicator: q.get('indicator') || null });
	if (isProblem(view)) error(400, view.message);
	return { view, labels: { status: { ...EVALUATION_STATUS_LABEL }, decision: { ...DECISION_LABEL } } };
};
