import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { plural } from '$lib/domain/dutch-format';
import { warningLine } from '$lib/domain/plan-validation';
import { pageAdmin } from '$lib/server/auth/page-access';
import { redirectWithFlash, takeFlash } from '$lib/server/flash';
import { readForm } from '$lib/server/read-form';
import { listProgrammes } from '$lib/server/services/kompas.service';
import { uploadPlan } from '$lib/server/services/programme-admin.service';

export const load: PageServerLoad = async (event) => {
	pageAdmin(event);
	const programmes = await listProgrammes(event.locals.db);
	return {
		programmes: programmes.map((programme) => ({ slug: programme.slug, name: programme.name })),
		flash: takeFlash(event)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = { db: event.locals.db, actor: pageAdmin(event) };
		const file = (await readForm(event.request)).get('plan');
		if (!(file instanceof File) || file.size === 0)
			return fail(400, { errors: { plan: 'Kies een YAML-bestand met het plan.' }, issues: [] });
		const result = await uploadPlan(ctx, file.name, await file.text());
		if (!result.ok)
			return fail(400, {
				errors: { plan: 'Het plan is geweigerd; er is niets gewijzigd.' },
				issues: result.refusal.issues ?? []
			});
		const { programme, nodes, indicators, regions, warnings } = result.value;
		redirectWithFlash(event, {
			message: `Programma ${programme} geladen: ${plural(nodes, 'knooppunt', 'knooppunten')}, ${plural(indicators, 'indicator', 'indicatoren')}, ${plural(regions, 'regio', "regio's")}.`,
			notes: warnings.map(warningLine)
		});
	}
};
