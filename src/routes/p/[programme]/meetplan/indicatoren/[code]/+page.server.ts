import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { readIndicatorForm, versionSchema } from '$lib/domain/plan-edit';
import { pageContext } from '$lib/server/auth/page-access';
import { nodeChoices } from '$lib/server/services/plan-edit.service';
import {
	baselineAreas,
	dimensionChoices,
	indicatorEditor,
	updateIndicator
} from '$lib/server/services/indicator-edit.service';
import { afterSave, formValues, refusedEdit } from '../../plan-form';
import { readForm } from '$lib/server/read-form';
import { invalid, versionMissing } from '$lib/domain/result';

export const load: PageServerLoad = async (event) => {
	const ctx = await pageContext(event, event.params.programme, 'plan:edit');
	const indicator = await indicatorEditor(ctx, event.params.code);
	if (!indicator) error(404, `De indicator "${event.params.code}" bestaat niet in dit plan.`);
	return {
		indicator,
		nodes: await nodeChoices(ctx),
		areas: await baselineAreas(ctx),
		dimensions: dimensionChoices(ctx),
		saved: event.url.searchParams.has('opgeslagen')
	};
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = await pageContext(event, event.params.programme, 'plan:edit');
		const values = formValues(await readForm(event.request));
		const version = versionSchema.safeParse(values.version);
		const read = readIndicatorForm(values);
		if (!read.ok || !version.success)
			return refusedEdit(read.ok ? versionMissing().refusal : invalid(read.errors).refusal, values);
		const result = await updateIndicator(ctx, event.params.code, version.data, read.value);
		if (!result.ok) return refusedEdit(result.refusal, values);
		redirect(303, afterSave(ctx.programme.slug, result.value));
	}
};
