import type { Actions, PageServerLoad } from './$types';
import { pageContext } from '$lib/server/auth/page-access';
import { createOrganisation, listOrganisations, updateOrganisation } from '$lib/server/services/organisation.service';
import { actionOptions } from '$lib/server/services/action-options.service';
import { formFields } from '../acties/action-form';
import { idFromPath } from '$lib/domain/ids';
import { readForm } from '$lib/server/read-form';
import { failWith } from '$lib/server/form-result';
import { redirectWithFlash, takeFlash } from '$lib/server/flash';
import { invalid, type Refusal } from '$lib/domain/result';

export const load: PageServerLoad = async (event) => {
	const ctx = await pageContext(event, event.params.programme, 'plan:edit');
	const [organisations, options] = await Promise.all([
		listOrganisations(ctx, { includeArchived: true }),
		actionOptions(ctx)
	]);
	return { organisations, regions: options.regions, flash: takeFlash(event) };
};

const refused = (form: string, refusal: Refusal, values: Record<string, string>) =>
	failWith(refusal, { form, id: values.id ?? null, values }, (path) => path.split('.')[0]);

export const actions: Actions = {
	create: async (event) => {
		const ctx = await pageContext(event, event.params.programme, 'plan:edit');
		const values = formFields(await readForm(event.request));
		const r = await createOrganisation(ctx, {
			name: values.name ?? '',
			kind: values.kind ?? '',
			region: values.region || null
		});
		if (!r.ok) return refused('create', r.refusal, values);
		redirectWithFlash(event, { message: `"${r.value.name}" is opgeslagen.` });
	},
	update: async (event) => {
		const ctx = await pageContext(event, event.params.programme, 'plan:edit');
		const values = formFields(await readForm(event.request));
		const id = idFromPath(values.id);
		if (id === null)
			return refused('update', invalid({ form: 'Kies een organisatie om te wijzigen.' }).refusal, values);
		const r = await updateOrganisation(ctx, id, {
			name: values.name ?? '',
			kind: values.kind ?? '',
			region: values.region || null,
			archived: values.archived === 'on',
			version: Number(values.version)
		});
		if (!r.ok) return refused('update', r.refusal, values);
		redirectWithFlash(event, { message: `"${r.value.name}" is opgeslagen.` });
	}
};
