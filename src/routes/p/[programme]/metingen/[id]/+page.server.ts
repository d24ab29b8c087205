import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { todayIso } from '$lib/domain/dutch-format';
import { canEditMeasurement } from '$lib/domain/measurement';
import { can } from '$lib/domain/permissions';
import { pageContext } from '$lib/server/auth/page-access';
import { editMeasurement, getMeasurement, reviewMeasurement } from '$lib/server/services/measurement.service';
import { measurementOptions } from '$lib/server/services/measurement-list.service';
import { measurementDateToConfirm } from '$lib/server/services/outside-phases.service';
import { CONFIRM_DATE_FIELD } from '$lib/domain/outside-phases';
import { categoryField, entryFrom, formFields, refused } from '../measurement-form';
import type { CategoryValue } from '$lib/domain/breakdown';
import { idField, idFromPath } from '$lib/domain/ids';
import { readForm } from '$lib/server/read-form';
import { versionMissing } from '$lib/domain/result';
import { failWith } from '$lib/server/form-result';

async function measurementOf(
	event: RequestEvent | Parameters<PageServerLoad>[0],
	permission: 'measurement:submit' | 'measurement:approve'
) {
	const ctx = await pageContext(event, event.params.programme, permission);
	const id = idFromPath(event.params.id);
	const m = id !== null ? await getMeasurement(ctx, id) : null;
	if (!m) error(404, 'Deze meting bestaat niet (meer).');
	return { ctx, m };
}

const version = idField();

/** The stored categories as the form's fields, in the form's Dutch notation. */
const categoryValues = (list: readonly CategoryValue[]) =>
	Object.fromEntries(
		list.flatMap((c) => [
			[categoryField(c.dimension, c.category, 'value'), String(c.value).replace('.', ',')],
			...(c.n === undefined ? [] : [[categoryField(c.dimension, c.category, 'n'), String(c.n)]])
		])
	);

export const load: PageServerLoad = async (event) => {
	const { ctx, m } = await measurementOf(event, 'measurement:submit');
	const { programme, actor } = ctx;
	const options = await measurementOptions(ctx);
	const mayEdit = canEditMeasurement(actor, programme.id, m);
	const mayReview = can(actor, 'measurement:approve', programme.id) && m.status === 'submitted';
	// the categories as typed only where this page is a data-entry view: the edit form, or the lead's review
	const entry = mayEdit || mayReview;
	return {
		measurement: entry ? m : { ...m, categories: [] },
		indicator: options.indicators.find((i) => i.code === m.indicator) ?? {
			code: m.indicator,
			name: m.indicatorName,
			unit: m.unit,
			derived: false
		},
		options,
		today: todayIso(),
		mayEdit,
		mayReview,
		values: {
			region: m.region,
			date: m.date,
			value: m.value === null ? '' : String(m.value).replace('.', ','),
			story: m.text ?? '',
			n: m.n === null ? '' : String(m.n),
			source: m.source ?? '',
			note: m.note ?? '',
			...(entry ? categoryValues(m.categories) : {})
		} as Record<string, string>
	};
};

export const actions = {
	save: async (event) => {
		const { ctx, m } = await measurementOf(event, 'measurement:submit');
		const values = formFields(await readForm(event.request));
		const v = version.safeParse(values.version);
		if (!v.success) return failWith(versionMissing().refusal, { values });
		const confirm =
			values.date !== m.date
				? await measurementDateToConfirm(ctx, m.indicator, values.date, values[CONFIRM_DATE_FIELD])
				: null;
		if (confirm) return { values, confirmDate: confirm };
		const isText = m.unit === 'text';
		const { indicator: _i, ...patch } = entryFrom(values, isText);
		const result = await editMeasurement(ctx, m.id, v.data, patch);
		if (!result.ok) return refused(result.refusal, values, isText);
		redirect(303, `/p/${ctx.programme.slug}/metingen?opgeslagen=${m.id}`);
	},
	approve: async (event) => review(event, 'approve'),
	return: async (event) => review(event, 'return')
} satisfies Actions;

async function review(event: RequestEvent, decision: 'approve' | 'return') {
	const { ctx, m } = await measurementOf(event, 'measurement:approve');
	const values = formFields(await readForm(event.request));
	const v = version.safeParse(values.version);
	if (!v.success) return failWith(versionMissing().refusal, { review: values });
	const result = await reviewMeasurement(ctx, m.id, v.data, { decision, comment: values.comment ?? null });
	if (!result.ok) return failWith(result.refusal, { review: values });
	redirect(303, `/p/${ctx.programme.slug}/metingen/beoordelen?beoordeeld=${m.id}`);
}
