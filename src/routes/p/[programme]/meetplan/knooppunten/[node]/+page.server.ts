import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { readNodeForm, versionSchema } from '$lib/domain/plan-edit';
import { pageContext } from '$lib/server/auth/page-access';
import { nodeChoices, nodeEditor, updateNode } from '$lib/server/services/plan-edit.service';
import { formValues, refusedEdit } from '../../plan-form';
import { inDutch } from '$lib/domain/zod-messages';
import { readForm } from '$lib/server/read-form';
import { invalid, versionMissing } from '$lib/domain/result';

export const load: PageServerLoad = async (event) => {
	const ctx = await pageContext(event, event.params.programme, 'plan:edit');
	const node = await nodeEditor(ctx, event.params.node);
	if (!node) error(404, `Het knooppunt "${event.params.node}" bestaat niet in dit plan.`);
	const parentLevel = node.level === 'nextStep' ? 'theme' : node.level === 'solution' ? 'nextStep' : null;
	const choices = await nodeChoices(ctx);
	return { node, parents: choices.filter((c) => c.level === parentLevel) };
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = await pageContext(event, event.params.programme, 'plan:edit');
		const node = await nodeEditor(ctx, event.params.node);
		if (!node) error(404, `Het knooppunt "${event.params.node}" bestaat niet in dit plan.`);
		const values = formValues(await readForm(event.request));
		const version = versionSchema.safeParse(values.version, inDutch);
		const read = readNodeForm(node.level, values);
		if (!read.ok || !version.success)
			return refusedEdit(read.ok ? versionMissing().refusal : invalid(read.errors).refusal, values);
		const result = await updateNode(ctx, event.params.node, version.data, read.value);
		if (!result.ok) return refusedEdit(result.refusal, values);
		redirect(303, `/p/${ctx.programme.slug}/meetplan?opgeslagen=${result.value.code}#${result.value.code}`);
	}
};
