import type { Actions, PageServerLoad } from './$types';
import { can } from '$lib/domain/permissions';
import { pageContext } from '$lib/server/auth/page-access';
import { addSchoolYear, listSchoolYears, saveSchoolYear, type PhaseEdit } from '$lib/server/services/phase.service';
import { idField } from '$lib/domain/ids';
import { readForm } from '$lib/server/read-form';
import { invalid } from '$lib/domain/result';
import { failWith } from '$lib/server/form-result';
import { redirectWithFlash, takeFlash } from '$lib/server/flash';
import { todayIso } from '$lib/domain/dutch-format';

export const load: PageServerLoad = async (event) => {
	const ctx = await pageContext(event, event.params.programme);
	const today = todayIso();
	return {
		today,
		schoolYears: await listSchoolYears(ctx, today),
		may: { edit: can(ctx.actor, 'plan:edit', ctx.programme.id) },
		flash: takeFlash(event)
	};
};

const id = idField();
const str = (form: FormData, name: string) => String(form.get(name) ?? '');

export const actions: Actions = {
	saveYear: async (event) => {
		const ctx = await pageContext(event, event.params.programme, 'plan:edit');
		const form = await readForm(event.request);
		const year = id.safeParse(form.get('schoolYear'));
		const version = id.safeParse(form.get('version'));
		if (!year.success || !version.success)
			// no school year's form comes back; null also keeps the refusal below, with its values, in the page's types
			return failWith(
				invalid(
					{ schoolYear: 'Onbekend schooljaar; laad de pagina opnieuw.' },
					'Onbekend schooljaar; laad de pagina opnieuw.'
				).refusal,
				{ schoolYear: null }
			);
		const phases: PhaseEdit[] = [];
		for (let i = 0; i < 24 && form.has(`phases.${i}.id`); i++)
			phases.push({
				id: Number(str(form, `phases.${i}.id`)),
				name: str(form, `phases.${i}.name`).slice(0, 200),
				start: str(form, `phases.${i}.start`),
				end: str(form, `phases.${i}.end`),
				evaluationDate: str(form, `phases.${i}.evaluationDate`)
			});
		const r = await saveSchoolYear(ctx, year.data, version.data, phases);
		if (r.ok) redirectWithFlash(event, { message: `Fasen van ${r.value.name} opgeslagen.` });
		return failWith(r.refusal, { schoolYear: year.data, values: phases });
	},
	addYear: async (event) => {
		const ctx = await pageContext(event, event.params.programme, 'plan:edit');
		const r = await addSchoolYear(ctx, todayIso());
		if (r.ok) redirectWithFlash(event, { message: `Schooljaar ${r.value} toegevoegd uit het standaardsjabloon.` });
		return failWith(r.refusal);
	}
};
