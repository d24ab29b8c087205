import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { pageProgramme } from '$lib/server/auth/page-access';
import { isProblem } from '$lib/server/services/progress.service';
import { report } from '$lib/server/services/report.service';
import { DECISION_LABEL, EVALUATION_STATUS_LABEL } from '$lib/domain/evaluation';

export const load: PageServerLoad = async (event) => {
	const programme = await pageProgramme(event, event.params.programme);
	const q = event.url.searchParams;
	const view = await report(event.locals.db, programme, { region: q.get('regio') || null, phase: q.get('fase') || null });
	if (isProblem(view)) error(400, view.message);
	return { report: view, labels: { status: { ...EVALUATION_STATUS_LABEL }, decision: { ...DECISION_LABEL } } };
};
