import type { Actions, PageServerLoad } from './$types';
import { pageContext, pageProgramme } from '$lib/server/auth/page-access';
import type { ImportIssue } from '$lib/domain/measurement-import';
import { dutchCount, plural } from '$lib/domain/dutch-format';
import { importCategoryColumns, importMeasurements } from '$lib/server/services/measurement-import.service';
import { readForm } from '$lib/server/read-form';
import { invalid } from '$lib/domain/result';
import { failWith } from '$lib/server/form-result';
import { redirectWithFlash, takeFlash } from '$lib/server/flash';
import { webStreamChunks } from '$lib/server/files/measurement-reader';

const NO_ISSUES: readonly ImportIssue[] = [];

export const load: PageServerLoad = async (event) => {
	const programme = await pageProgramme(event, event.params.programme, 'measurement:submit');
	return { flash: takeFlash(event), categoryColumns: importCategoryColumns(programme) };
};

export const actions = {
	default: async (event) => {
		const ctx = await pageContext(event, event.params.programme, 'measurement:submit');
		const data = await readForm(event.request);
		const file = data.get('file');
		const replace = data.get('replace') === 'on';
		if (!(file instanceof File) || file.size === 0)
			return failWith(invalid({ file: 'Kies een CSV- of Excel-bestand (.csv of .xlsx).' }).refusal, {
				replace,
				fileName: '',
				rows: 0,
				total: 0,
				issues: NO_ISSUES
			});
		const result = await importMeasurements(ctx, webStreamChunks(file.stream()), {
			fileName: file.name,
			replace
		});
		if (!result.ok) {
			const { refusal } = result;
			const total = refusal.counts?.problems ?? 0;
			// the form names the file; the rows go in the table below it
			const message =
				refusal.code === 'payload_too_large'
					? `${file.name} is te groot voor deze server. Splits het in kleinere bestanden.`
					: `${file.name} is geweigerd: ${plural(total, 'probleem', 'problemen')}. Er is niets geïmporteerd.`;
			const issues: ImportIssue[] = (refusal.issues ?? []).map((i) => ({
				row: i.row ?? 0,
				column: i.column ?? '',
				message: i.message
			}));
			return failWith(
				{ ...refusal, message, issues: [{ path: 'file', message }] },
				{ replace, fileName: file.name, rows: refusal.counts?.rows ?? 0, total, issues }
			);
		}
		const { rows, added, replaced, unchanged } = result.value;
		redirectWithFlash(event, {
			message: `${file.name} is geïmporteerd: ${plural(rows, 'rij', 'rijen')}, ${dutchCount(added)} toegevoegd, ${dutchCount(replaced)} vervangen${unchanged ? `, ${dutchCount(unchanged)} ongewijzigd` : ''}.`
		});
	}
} satisfies Actions;
