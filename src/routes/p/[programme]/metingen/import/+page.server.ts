import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { pageActor, pageProgramme } from '$lib/server/auth/page-access';
import type { ImportIssue } from '$lib/domain/measurement-import';
import { plural } from '$lib/domain/dutch-format';
import { importMeasurements } from '$lib/server/services/measurement-import.service';
import { readForm } from '$lib/server/read-form';

export const load: PageServerLoad = async (event) => {
	await pageProgramme(event, event.params.programme, 'measurement:submit');
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const programme = await pageProgramme(event, event.params.programme, 'measurement:submit');
		const data = await readForm(event.request);
		const file = data.get('file');
		const replace = data.get('replace') === 'on';
		if (!(file instanceof File) || file.size === 0)
			return fail(400, { replace, fileName: '', rows: 0, total: 0, issues: [] as ImportIssue[], errors: { file: 'Kies een CSV- of Excel-bestand (.csv of .xlsx).' } });
		const result = await importMeasurements(event.locals.db, programme, { actor: pageActor(event) }, file.stream() as unknown as AsyncIterable<Uint8Array>, { fileName: file.name, replace });
		if (!result.ok)
			return fail(result.tooLarge ? 413 : 400, {
				replace,
				fileName: file.name,
				rows: result.rows,
				total: result.problems,
				issues: result.issues,
				errors: { file: result.tooLarge ? `${file.name} is te groot voor deze server. Splits het in kleinere bestanden.` : `${file.name} is geweigerd: ${plural(result.problems, 'probleem', 'problemen')}. Er is niets geïmporteerd.` }
			});
		return { fileName: file.name, summary: { rows: result.rows, added: result.added, replaced: result.replaced, unchanged: result.unchanged } };
	}
};
