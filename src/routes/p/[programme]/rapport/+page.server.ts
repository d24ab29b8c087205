import type { PageServerLoad } from './$types';
import { pageContext } from '$lib/server/auth/page-access';
import { errorWith } from '$lib/server/form-result';
import { pageCategory } from '$lib/server/breakdown-query';
import { report } from '$lib/server/services/report.service';
import { DECISION_LABEL, EVALUATION_STATUS_LABEL } from '$lib/domain/evaluation';

export const load: PageServerLoad = async (event) => {
	const ctx = await pageContext(event, event.params.programme);
	const q = event.url.searchParams;
	const view = await report(ctx, {
		region: q.get('regio') || null,
		phase: q.get('fase') || null,
		category: pageCategory(event.url, ctx.programme, ['regio', 'fase'])
	});
	if (!view.ok) errorWith(view.refusal);
	return { report: view.value, labels: { status: { ...EVALUATION_STATUS_LABEL }, decision: { ...DECISION_LABEL } } };
};
