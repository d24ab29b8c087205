import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { readNodeForm, LEVELS } from '$lib/domain/plan-edit';
import { pageContext } from '$lib/server/auth/page-access';
import { createNode, nodeChoices } from '$lib/server/services/plan-edit.service';
import { formValues, refusedEdit } from '../../plan-form';
import { levelFromSlug } from '../../levels';
import { readForm } from '$lib/server/read-form';
import { invalid } from '$lib/domain/result';

export const load: PageServerLoad = async (event) => {
	const ctx = await pageContext(event, event.params.programme, 'plan:edit');
	const level = levelFromSlug(event.url.searchParams.get('niveau'));
	if (!level) return { level: null, parents: [], values: {} };
	const choices = await nodeChoices(ctx);
	const parentLevel = level === 'nextStep' ? 'theme' : level === 'solution' ? 'nextStep' : null;
	return {
		level,
		parents: choices.filter((c) => c.level === parentLevel),
		values: { parent: event.url.searchParams.get('onder') ?? '' }
	};
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = await pageContext(event, event.params.programme, 'plan:edit');
		const values = formValues(await readForm(event.request));
		const level = LEVELS.find((l) => l === values.nodeLevel);
		if (!level) return refusedEdit(invalid({ form: 'Onbekend soort knooppunt.' }).refusal, values);
		const read = readNodeForm(level, values);
		if (!read.ok) return refusedEdit(invalid(read.errors).refusal, values);
		const result = await createNode(ctx, level, read.value);
		if (!result.ok) return refusedEdit(result.refusal, values);
		redirect(303, `/p/${ctx.programme.slug}/meetplan?opgeslagen=${result.value.code}#${result.value.code}`);
	}
};
