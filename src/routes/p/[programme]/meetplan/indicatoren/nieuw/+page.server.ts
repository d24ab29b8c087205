import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { readIndicatorForm } from '$lib/domain/plan-edit';
import { pageContext } from '$lib/server/auth/page-access';
import { nodeChoices } from '$lib/server/services/plan-edit.service';
import {
	baselineAreas,
	createIndicator,
	currentLibrary,
	dimensionChoices,
	libraryValues
} from '$lib/server/services/indicator-edit.service';
import { afterSave, formValues, refusedEdit } from '../../plan-form';
import { readForm } from '$lib/server/read-form';
import { invalid } from '$lib/domain/result';

export const load: PageServerLoad = async (event) => {
	const ctx = await pageContext(event, event.params.programme, 'plan:edit');
	const library = currentLibrary();
	const chosen = event.url.searchParams.get('bibliotheek');
	const fromLibrary = chosen ? libraryValues(library, chosen) : null;
	const values: Record<string, string> = { ...fromLibrary, node: event.url.searchParams.get('onder') ?? '' };
	return {
		nodes: await nodeChoices(ctx),
		areas: await baselineAreas(ctx),
		dimensions: dimensionChoices(ctx),
		library: library.indicators.map((l) => ({ code: l.code, name: l.name })),
		chosen: fromLibrary ? chosen : null,
		values
	};
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = await pageContext(event, event.params.programme, 'plan:edit');
		const values = formValues(await readForm(event.request));
		const read = readIndicatorForm(values);
		if (!read.ok) return refusedEdit(invalid(read.errors).refusal, values);
		const library = typeof values.library === 'string' && values.library ? values.library : null;
		const result = await createIndicator(ctx, read.value, library);
		if (!result.ok) return refusedEdit(result.refusal, values);
		redirect(303, afterSave(ctx.programme.slug, result.value));
	}
};
