import type { PageServerLoad } from './$types';
import { pageContext } from '$lib/server/auth/page-access';
import { dashboard } from '$lib/server/services/dashboard.service';
import { errorWith } from '$lib/server/form-result';
import { pageCategory } from '$lib/server/breakdown-query';
import { DECISION_LABEL, EVALUATION_STATUS_LABEL } from '$lib/domain/evaluation';

export const load: PageServerLoad = async (event) => {
	const ctx = await pageContext(event, event.params.programme);
	const q = event.url.searchParams;
	const view = await dashboard(ctx, {
		region: q.get('regio') || null,
		phase: q.get('fase') || null,
		indicator: q.get('indicator') || null,
		category: pageCategory(event.url, ctx.programme, ['regio', 'fase', 'indicator'])
	});
	if (!view.ok) errorWith(view.refusal);
	return { view: view.value, labels: { status: { ...EVALUATION_STATUS_LABEL }, decision: { ...DECISION_LABEL } } };
};
