import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { pageActor, pageProgramme } from '$lib/server/auth/page-access';
import { createOrganisation, listOrganisations, updateOrganisation } from '$lib/server/services/organisation.service';
import { actionOptions } from '$lib/server/services/action-options.service';
import { formFields } from '../acties/action-form';
import { idFromPath } from '$lib/domain/ids';
import { readForm } from '$lib/server/read-form';

export const load: PageServerLoad = async (event) => {
	const programme = await pageProgramme(event, event.params.programme, 'plan:edit');
	const [organisations, options] = await Promise.all([listOrganisations(event.locals.db, programme, true), actionOptions(event.locals.db, programme)]);
	return { organisations, regions: options.regions };
};

type Refused = { ok: false; status: 400 | 403 | 404 | 409; message: string; issues?: { path: string; message: string }[] };
const refused = (form: string, r: Refused, values: Record<string, string>) => {
	const errors: Record<string, string> = {};
	for (const i of r.issues ?? [{ path: 'form', message: r.message }]) errors[i.path.split('.')[0]] ??= i.message;
	return fail(r.status, { form, id: values.id ?? null, values, errors });
};

export const actions: Actions = {
	create: async (event) => {
		const programme = await pageProgramme(event, event.params.programme, 'plan:edit');
		const values = formFields(await readForm(event.request));
		const r = await createOrganisation(event.locals.db, programme, pageActor(event), { name: values.name ?? '', kind: values.kind ?? '', region: values.region || null });
		if (!r.ok) return refused('create', r, values);
		return { form: 'create', saved: r.value.name };
	},
	update: async (event) => {
		const programme = await pageProgramme(event, event.params.programme, 'plan:edit');
		const values = formFields(await readForm(event.request));
		const id = idFromPath(values.id);
		if (id === null) return fail(400, { form: 'update', id: null, values, errors: { form: 'Kies een organisatie om te wijzigen.' } });
		const r = await updateOrganisation(event.locals.db, programme, pageActor(event), id, {
			name: values.name ?? '',
			kind: values.kind ?? '',
			region: values.region || null,
			archived: values.archived === 'on',
			version: Number(values.version)
		});
		if (!r.ok) return refused('update', r, values);
		return { form: 'update', saved: r.value.name };
	}
};
