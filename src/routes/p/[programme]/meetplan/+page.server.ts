import { z } from 'zod';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { LEVELS } from '$lib/domain/plan-edit';
import { pageContext } from '$lib/server/auth/page-access';
import { archiveNode, move, planOutline } from '$lib/server/services/plan-edit.service';
import { archiveIndicator, deleteIndicator } from '$lib/server/services/indicator-edit.service';
import { exportPlanYaml } from '$lib/server/services/plan-export.service';
import { formValues } from './plan-form';
import { idField } from '$lib/domain/ids';
import { inDutch } from '$lib/domain/zod-messages';
import { readForm } from '$lib/server/read-form';
import { invalid } from '$lib/domain/result';
import { failWith } from '$lib/server/form-result';
import { redirectWithFlash, takeFlash } from '$lib/server/flash';
import type { Result } from '$lib/domain/result';

export const load: PageServerLoad = async (event) => {
	const ctx = await pageContext(event, event.params.programme, 'plan:edit');
	const [outline, exported] = await Promise.all([planOutline(ctx), exportPlanYaml(ctx)]);
	return {
		outline,
		exportable: exported.ok,
		saved: event.url.searchParams.get('opgeslagen'),
		flash: takeFlash(event)
	};
};

const target = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('node'), level: z.enum(LEVELS), id: idField() }),
	z.object({ kind: z.literal('indicator'), code: z.string().min(1), id: idField() })
]);
const moveSchema = z.intersection(target, z.object({ direction: z.enum(['up', 'down']) }));
const archiveSchema = z.intersection(target, z.object({ version: idField(), archived: z.enum(['0', '1']) }));

const unknownCommand = () =>
	failWith(invalid({ form: 'Onbekende opdracht: ververs de pagina en probeer het opnieuw.' }).refusal);
/** A change done: back to the outline (303, no `?/action` left), saying what was done; a refusal stays. */
const outcome = (event: RequestEvent, r: Result<unknown>, message: string) =>
	r.ok ? redirectWithFlash(event, { message }) : failWith(r.refusal);

export const actions: Actions = {
	move: async (event) => {
		const ctx = await pageContext(event, event.params.programme, 'plan:edit');
		const parsed = moveSchema.safeParse(formValues(await readForm(event.request)), inDutch);
		if (!parsed.success) return unknownCommand();
		const t = parsed.data;
		const r = await move(
			ctx,
			t.kind === 'node' ? { kind: 'node', level: t.level, id: t.id } : { kind: 'indicator', id: t.id },
			t.direction
		);
		return outcome(event, r, 'Volgorde gewijzigd.');
	},
	archive: async (event) => {
		const ctx = await pageContext(event, event.params.programme, 'plan:edit');
		const parsed = archiveSchema.safeParse(formValues(await readForm(event.request)), inDutch);
		if (!parsed.success) return unknownCommand();
		const t = parsed.data;
		const archived = t.archived === '1';
		const r =
			t.kind === 'node'
				? await archiveNode(ctx, { level: t.level, id: t.id }, t.version, archived)
				: await archiveIndicator(ctx, t.code, t.version, archived);
		return outcome(event, r, archived ? 'Gearchiveerd.' : 'Teruggezet uit het archief.');
	},
	delete: async (event) => {
		const ctx = await pageContext(event, event.params.programme, 'plan:edit');
		const parsed = z
			.object({ code: z.string().min(1), version: idField() })
			.safeParse(formValues(await readForm(event.request)), inDutch);
		if (!parsed.success) return unknownCommand();
		return outcome(
			event,
			await deleteIndicator(ctx, parsed.data.code, parsed.data.version),
			`Indicator ${parsed.data.code} verwijderd.`
		);
	}
};
