import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { pageContext } from '$lib/server/auth/page-access';
import { reviewMeasurement } from '$lib/server/services/measurement.service';
import { BULK_LIMIT, reviewCards, reviewMany } from '$lib/server/services/measurement-review.service';
import { formFields } from '../measurement-form';
import { idField } from '$lib/domain/ids';
import { readForm } from '$lib/server/read-form';
import { invalid } from '$lib/domain/result';
import { failWith } from '$lib/server/form-result';
import { redirectWithFlash, takeFlash } from '$lib/server/flash';

export const load: PageServerLoad = async (event) => {
	const { cards, total } = await reviewCards(await pageContext(event, event.params.programme, 'measurement:approve'));
	const q = event.url.searchParams;
	return {
		queue: cards,
		total,
		reviewed: q.get('beoordeeld'),
		bulk: { approved: countParam(q.get('goedgekeurd')), returned: countParam(q.get('teruggestuurd')) },
		flash: takeFlash(event)
	};
};

/** How many a bulk review did, from the address it redirected to; anything else is ignored. */
const countParam = (raw: string | null): number | null =>
	raw !== null && /^\d{1,3}$/.test(raw) && Number(raw) > 0 ? Number(raw) : null;

const reviewSchema = z.object({ id: idField(), version: idField() });

async function review(event: RequestEvent, decision: 'approve' | 'return') {
	const ctx = await pageContext(event, event.params.programme, 'measurement:approve');
	const values = formFields(await readForm(event.request));
	const parsed = reviewSchema.safeParse(values);
	if (!parsed.success)
		return failWith(invalid({ form: 'Onbekende meting: ververs de pagina.' }).refusal, { id: values.id, values });
	const result = await reviewMeasurement(ctx, parsed.data.id, parsed.data.version, {
		decision,
		comment: values.comment ?? null
	});
	if (!result.ok) return failWith(result.refusal, { id: values.id, values });
	redirectWithFlash(event, {
		message: `${result.value.indicatorName} (${result.value.regionName}, ${result.value.date}) is ${decision === 'approve' ? 'goedgekeurd' : 'teruggestuurd'}.`
	});
}

/** A ticked card: "id:version", so a measurement changed since the page was drawn is noticed. */
const picked = z
	.array(z.string().regex(/^\d{1,10}:\d{1,10}$/))
	.max(BULK_LIMIT)
	.transform((list) =>
		list.map((p) => {
			const [id, version] = p.split(':').map(Number);
			return { id, version };
		})
	);

/** Several ticked measurements approved or returned at once; the page comes back with the ticks and comment. */
async function bulk(event: RequestEvent, decision: 'approve' | 'return') {
	const ctx = await pageContext(event, event.params.programme, 'measurement:approve');
	const form = await readForm(event.request);
	const pick = form.getAll('pick').filter((p): p is string => typeof p === 'string');
	const comment = String(form.get('comment') ?? '');
	const values = { pick, comment };
	const items = picked.safeParse(pick);
	if (!items.success)
		return failWith(
			invalid({ items: `Kies hoogstens ${BULK_LIMIT} metingen uit de lijst.` }, 'Onbekende keuze: ververs de pagina.')
				.refusal,
			{ bulk: true, values },
			bulkField
		);
	const result = await reviewMany(ctx, { items: items.data, decision, comment });
	if (!result.ok) {
		const problems = (result.refusal.issues ?? []).filter((i) => i.path.startsWith('items.')).map((i) => i.message);
		return failWith(result.refusal, { bulk: true, values, problems }, bulkField);
	}
	const n = result.value.length;
	redirect(
		303,
		`/p/${ctx.programme.slug}/metingen/beoordelen?${decision === 'approve' ? 'goedgekeurd' : 'teruggestuurd'}=${n}`
	);
}

/** Every problem with the chosen list (`items.3`) is shown above the bulk form; the comment beside its field. */
const bulkField = (path: string) => (path === 'comment' ? 'comment' : path.startsWith('items') ? 'items' : path);

export const actions: Actions = {
	approve: async (event) => review(event, 'approve'),
	return: async (event) => review(event, 'return'),
	bulkApprove: async (event) => bulk(event, 'approve'),
	bulkReturn: async (event) => bulk(event, 'return')
};
