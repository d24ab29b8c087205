import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { todayIso } from '$lib/domain/dutch-format';
import { pageContext } from '$lib/server/auth/page-access';
import { submitMeasurement } from '$lib/server/services/measurement.service';
import { measurementOptions } from '$lib/server/services/measurement-list.service';
import { measurementDateToConfirm } from '$lib/server/services/outside-phases.service';
import { CONFIRM_DATE_FIELD } from '$lib/domain/outside-phases';
import { entryFrom, formFields, refused } from '../measurement-form';
import { readForm } from '$lib/server/read-form';
import { invalid } from '$lib/domain/result';

export const load: PageServerLoad = async (event) => {
	const ctx = await pageContext(event, event.params.programme, 'measurement:submit');
	const options = await measurementOptions(ctx);
	const code = event.url.searchParams.get('indicator');
	const fixed = options.indicators.find((i) => i.code === code && !i.derived) ?? null;
	return { options, fixed, today: todayIso(), values: { region: event.url.searchParams.get('regio') ?? '' } };
};

export const actions = {
	default: async (event) => {
		const ctx = await pageContext(event, event.params.programme, 'measurement:submit');
		const values = formFields(await readForm(event.request));
		const options = await measurementOptions(ctx);
		const unit = options.indicators.find((i) => i.code === values.indicator)?.unit;
		if (!values.indicator) return refused(invalid({ indicator: 'kies een indicator' }).refusal, values, false);
		// a per-period value dated in no phase: back filled in, saved on the second submit
		const confirm = await measurementDateToConfirm(ctx, values.indicator, values.date, values[CONFIRM_DATE_FIELD]);
		if (confirm) return { values, confirmDate: confirm };
		const result = await submitMeasurement(ctx, entryFrom(values, unit === 'text'));
		if (!result.ok) return refused(result.refusal, values, unit === 'text');
		const m = result.value;
		redirect(303, `/p/${ctx.programme.slug}/indicatoren/${m.indicator}?regio=${m.region}&opgeslagen=${m.id}#metingen`);
	}
} satisfies Actions;
