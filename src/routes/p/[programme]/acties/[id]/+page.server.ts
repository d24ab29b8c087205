import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { actionInputFromForm, targetValue, type ActionView } from '$lib/domain/action';
import { pageContext } from '$lib/server/auth/page-access';
import { deleteAction, getAction, updateAction } from '$lib/server/services/action.service';
import { actionOptions } from '$lib/server/services/action-options.service';
import { actionDateToConfirm } from '$lib/server/services/outside-phases.service';
import { CONFIRM_DATE_FIELD } from '$lib/domain/outside-phases';

import { formFields, refused } from '../action-form';
import { idFromPath } from '$lib/domain/ids';
import { readForm } from '$lib/server/read-form';
import { todayIso } from '$lib/domain/dutch-format';

/** The action to change, if this actor may change it (its author or a lead). */
async function editable(event: RequestEvent | Parameters<PageServerLoad>[0]) {
	const ctx = await pageContext(event, event.params.programme, 'action:log');
	const id = idFromPath(event.params.id);
	const action = id !== null ? await getAction(ctx, id) : null;
	if (!action) error(404, 'Deze actie bestaat niet (meer).');
	if (!action.mayEdit) error(403, 'Je kunt alleen je eigen acties wijzigen.');
	return { ctx, action };
}

const asForm = (a: ActionView): Record<string, string> => ({
	date: a.date,
	target: targetValue({ nextStep: a.nextStep.id, solution: a.solution?.id ?? null }),
	kind: a.kind,
	organisation: a.organisation ? String(a.organisation.id) : '',
	region: a.region.slug,
	jongeren: String(a.reached.jongeren),
	ouders: String(a.reached.ouders),
	professionals: String(a.reached.professionals),
	description: a.description,
	quote: a.quote ?? '',
	quotePublic: a.quotePublic ? 'on' : ''
});

export const load: PageServerLoad = async (event) => {
	const { ctx, action } = await editable(event);
	return {
		action,
		values: asForm(action),
		today: todayIso(),
		options: await actionOptions(ctx)
	};
};

export const actions: Actions = {
	update: async (event) => {
		const { ctx, action } = await editable(event);
		const values = formFields(await readForm(event.request));
		// only a changed date asks again: an action already dated in the summer saves as before
		const confirm =
			values.date !== action.date ? await actionDateToConfirm(ctx, values.date, values[CONFIRM_DATE_FIELD]) : null;
		if (confirm) return { values, confirmDate: confirm };
		const input = { ...actionInputFromForm(values), version: Number(values.version) };
		const result = await updateAction(ctx, action.id, input);
		if (!result.ok) return refused(result.refusal, values);
		redirect(303, `/p/${ctx.programme.slug}/acties?opgeslagen=${action.id}#actie-${action.id}`);
	},
	delete: async (event) => {
		const { ctx, action } = await editable(event);
		const values = formFields(await readForm(event.request));
		const result = await deleteAction(ctx, action.id, idFromPath(values.version) ?? undefined);
		if (!result.ok) return refused(result.refusal, values);
		redirect(303, `/p/${ctx.programme.slug}/acties`);
	}
};
