import { z } from 'zod';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { pageContext } from '$lib/server/auth/page-access';
import {
	addDimension,
	dimensionsEditor,
	removeDimension,
	setMinGroupSize,
	updateDimension
} from '$lib/server/services/dimension-edit.service';
import { readDimensionForm, readMinGroupSize } from '$lib/domain/dimension-edit';
import { versionSchema } from '$lib/domain/plan-edit';
import { invalid, versionMissing, type Refusal, type Result } from '$lib/domain/result';
import { failWith } from '$lib/server/form-result';
import { readForm } from '$lib/server/read-form';
import { redirectWithFlash, takeFlash } from '$lib/server/flash';
import { formValues } from '../plan-form';

export const load: PageServerLoad = async (event) => {
	const ctx = await pageContext(event, event.params.programme, 'plan:edit');
	return { editor: await dimensionsEditor(ctx), flash: takeFlash(event) };
};

/** Which form a refusal belongs to, so only that one comes back filled in: `add`, `minGroupSize`, a dimension's key. */
const refusedIn = (which: string, refusal: Refusal, values: Record<string, string | string[]>) =>
	failWith(refusal, { which, values });

/** Reads the posted form and its version, then runs `save`; PRG with a flash on success. */
async function handle(
	event: RequestEvent,
	which: (values: Record<string, string | string[]>) => string,
	save: (
		ctx: Awaited<ReturnType<typeof pageContext>>,
		values: Record<string, string | string[]>,
		version: number
	) => Promise<Result<unknown>>,
	message: string
) {
	const ctx = await pageContext(event, event.params.programme, 'plan:edit');
	const values = formValues(await readForm(event.request));
	const version = versionSchema.safeParse(values.version);
	if (!version.success) return refusedIn(which(values), versionMissing().refusal, values);
	const r = await save(ctx, values, version.data);
	if (!r.ok) return refusedIn(which(values), r.refusal, values);
	redirectWithFlash(event, { message });
}

const keyOf = (values: Record<string, string | string[]>) => z.string().catch('').parse(values.dimension);

export const actions: Actions = {
	add: async (event) =>
		handle(
			event,
			() => 'add',
			async (ctx, values, version) => {
				const read = readDimensionForm(values);
				return read.ok ? addDimension(ctx, version, read.value) : invalid(read.errors);
			},
			'Dimensie toegevoegd.'
		),
	update: async (event) =>
		handle(
			event,
			keyOf,
			async (ctx, values, version) => {
				const read = readDimensionForm({ ...values, key: keyOf(values) });
				return read.ok ? updateDimension(ctx, keyOf(values), version, read.value) : invalid(read.errors);
			},
			'Dimensie opgeslagen.'
		),
	remove: async (event) =>
		handle(
			event,
			keyOf,
			(ctx, values, version) => removeDimension(ctx, keyOf(values), version),
			'Dimensie verwijderd.'
		),
	minGroupSize: async (event) =>
		handle(
			event,
			() => 'minGroupSize',
			async (ctx, values, version) => {
				const read = readMinGroupSize(values);
				return read.ok ? setMinGroupSize(ctx, version, read.value) : invalid(read.errors);
			},
			'Minimale groepsgrootte opgeslagen.'
		)
};
