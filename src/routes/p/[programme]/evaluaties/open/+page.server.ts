import type { Actions, PageServerLoad } from './$types';
import { pageContext } from '$lib/server/auth/page-access';
import { dueList } from '$lib/server/services/due.service';
import { setFollowUpDone } from '$lib/server/services/evaluation.service';

import { idField } from '$lib/domain/ids';
import { readForm } from '$lib/server/read-form';
import { invalid } from '$lib/domain/result';
import { failWith } from '$lib/server/form-result';
import { redirectWithFlash, takeFlash } from '$lib/server/flash';
import { todayIso } from '$lib/domain/dutch-format';

export const load: PageServerLoad = async (event) => {
	const ctx = await pageContext(event, event.params.programme, 'evaluation:write');
	return { due: await dueList(ctx, todayIso()), flash: takeFlash(event) };
};

const id = idField();

export const actions: Actions = {
	followUpDone: async (event) => {
		const ctx = await pageContext(event, event.params.programme, 'evaluation:write');
		const form = await readForm(event.request);
		const followUp = id.safeParse(form.get('followUp'));
		const version = id.safeParse(form.get('version'));
		if (!followUp.success || !version.success)
			return failWith(invalid({ followUp: 'Onbekende vervolgactie.' }, 'Onbekende vervolgactie.').refusal);
		const r = await setFollowUpDone(ctx, followUp.data, true, version.data);
		if (!r.ok) return failWith(r.refusal);
		redirectWithFlash(event, { message: 'Vervolgactie afgerond.' });
	}
};
