import { z } from 'zod';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { pageContext } from '$lib/server/auth/page-access';
import { reviewMeasurement } from '$lib/server/services/measurement.service';
import { reviewQueue } from '$lib/server/services/measurement-list.service';
import { formFields } from '../measurement-form';
import { idField } from '$lib/domain/ids';
import { readForm } from '$lib/server/read-form';
import { invalid } from '$lib/domain/result';
import { failWith } from '$lib/server/form-result';
import { redirectWithFlash, takeFlash } from '$lib/server/flash';

export const load: PageServerLoad = async (event) => {
	const queue = await reviewQueue(await pageContext(event, event.params.programme, 'measurement:approve'));
	return {
		queue: queue.ok ? queue.value.rows : [],
		total: queue.ok ? queue.value.total : 0,
		reviewed: event.url.searchParams.get('beoordeeld'),
		flash: takeFlash(event)
	};
};

const reviewSchema = z.object({ id: idField(), version: idField() });

async function review(event: RequestEvent, decision: 'approve' | 'return') {
	const ctx = await pageContext(event, event.params.programme, 'measurement:approve');
	const values = formFields(await readForm(event.request));
	const parsed = reviewSchema.safeParse(values);
	if (!parsed.success)
		return failWith(invalid({ form: 'Onbekende meting: ververs de pagina.' }).refusal, { id: values.id, values });
	const result = await reviewMeasurement(ctx, parsed.data.id, parsed.data.version, {
		decision,
		comment: values.comment ?? null
	});
	if (!result.ok) return failWith(result.refusal, { id: values.id, values });
	redirectWithFlash(event, {
		message: `${result.value.indicatorName} (${result.value.regionName}, ${result.value.date}) is ${decision === 'approve' ? 'goedgekeurd' : 'teruggestuurd'}.`
	});
}

export const actions: Actions = {
	approve: async (event) => review(event, 'approve'),
	return: async (event) => review(event, 'return')
};
