import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { apiTokenSchema } from '$lib/domain/account';
import { idField } from '$lib/domain/ids';
import { inDutch } from '$lib/domain/zod-messages';
import { pageAdmin } from '$lib/server/auth/page-access';
import { redirectWithFlash, takeFlash } from '$lib/server/flash';
import { readForm } from '$lib/server/read-form';
import { listProgrammes } from '$lib/server/services/kompas.service';
import { createApiToken, listApiTokens, revokeApiToken } from '$lib/server/services/user.service';
import { fieldErrors, formValues } from '../admin-form';
import { failWith } from '$lib/server/form-result';

export const load: PageServerLoad = async (event) => {
	pageAdmin(event);
	const [tokens, programmes] = await Promise.all([listApiTokens(event.locals.db), listProgrammes(event.locals.db)]);
	return {
		tokens,
		programmes: programmes.map((programme) => ({ slug: programme.slug, name: programme.name })),
		flash: takeFlash(event)
	};
};

export const actions: Actions = {
	create: async (event) => {
		const ctx = { db: event.locals.db, actor: pageAdmin(event) };
		const values = formValues(await readForm(event.request));
		const parsed = apiTokenSchema.safeParse(values, inDutch);
		if (!parsed.success) return fail(400, { form: 'create', values, errors: fieldErrors(parsed.error) });
		const result = await createApiToken(ctx, parsed.data);
		if (!result.ok) return failWith(result.refusal, { form: 'create', values });
		redirectWithFlash(event, {
			message: `API-sleutel "${parsed.data.name}" aangemaakt. Kopieer hem nu: hij wordt niet nog eens getoond.`,
			secret: result.value.token
		});
	},
	revoke: async (event) => {
		const ctx = { db: event.locals.db, actor: pageAdmin(event) };
		const tokenId = idField().safeParse(formValues(await readForm(event.request)).token, inDutch);
		const revoked = tokenId.success && (await revokeApiToken(ctx, tokenId.data)).ok;
		if (!revoked) return fail(400, { form: 'revoke', errors: { token: 'Onbekende of al ingetrokken API-sleutel.' } });
		redirectWithFlash(event, { message: 'API-sleutel ingetrokken.' });
	}
};
