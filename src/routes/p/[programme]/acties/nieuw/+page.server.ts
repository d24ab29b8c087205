import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { actionInputFromForm, validKey } from '$lib/domain/action';
import { pageActor, pageProgramme } from '$lib/server/auth/page-access';
import { createAction } from '$lib/server/services/action.service';
import { actionDefaults, actionOptions } from '$lib/server/services/action-options.service';

import { formFields, refused } from '../action-form';
import { readForm } from '$lib/server/read-form';
import { todayIso } from '$lib/domain/dutch-format';

export const load: PageServerLoad = async (event) => {
	const programme = await pageProgramme(event, event.params.programme, 'action:log');
	const actor = pageActor(event);
	const today = todayIso();
	return {
		today,
		options: await actionOptions(event.locals.db, programme),
		defaults: await actionDefaults(event.locals.db, programme, actor, today),
		// one key per form shown: a second tap or a resend after a dropped connection stores one action
		idempotencyKey: `form-${crypto.randomUUID()}`
	};
};

export const actions: Actions = {
	default: async (event) => {
		const programme = await pageProgramme(event, event.params.programme, 'action:log');
		const actor = pageActor(event);
		const values = formFields(await readForm(event.request));
		const result = await createAction(
			event.locals.db,
			programme,
			actor,
			actionInputFromForm(values),
			validKey(values.idempotencyKey)
		);
		if (!result.ok) return refused(result.refusal, values);
		redirect(303, `/p/${programme.slug}/acties?opgeslagen=${result.value.action.id}`);
	}
};
