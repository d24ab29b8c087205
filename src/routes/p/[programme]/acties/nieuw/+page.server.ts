import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { actionInputFromForm, validKey } from '$lib/domain/action';
import { pageContext } from '$lib/server/auth/page-access';
import { createAction } from '$lib/server/services/action.service';
import { actionDefaults, actionOptions } from '$lib/server/services/action-options.service';
import { actionDateToConfirm } from '$lib/server/services/outside-phases.service';
import { CONFIRM_DATE_FIELD } from '$lib/domain/outside-phases';

import { formFields, refused } from '../action-form';
import { readForm } from '$lib/server/read-form';
import { todayIso } from '$lib/domain/dutch-format';

export const load: PageServerLoad = async (event) => {
	const ctx = await pageContext(event, event.params.programme, 'action:log');
	const today = todayIso();
	const [options, defaults] = await Promise.all([actionOptions(ctx), actionDefaults(ctx, today)]);
	return {
		today,
		options,
		defaults,
		// one key per form shown: a second tap or a resend after a dropped connection stores one action
		idempotencyKey: `form-${crypto.randomUUID()}`
	};
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = await pageContext(event, event.params.programme, 'action:log');
		const values = formFields(await readForm(event.request));
		// a date in no phase: back filled in, saved on the second submit (the JavaScript form confirms as it warns)
		const confirm = await actionDateToConfirm(ctx, values.date, values[CONFIRM_DATE_FIELD]);
		if (confirm) return { values, confirmDate: confirm };
		const result = await createAction(ctx, actionInputFromForm(values), {
			idempotencyKey: validKey(values.idempotencyKey)
		});
		if (!result.ok) return refused(result.refusal, values);
		redirect(303, `/p/${ctx.programme.slug}/acties?opgeslagen=${result.value.action.id}`);
	}
};
