import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { setPasswordSchema } from '$lib/domain/account';
import { invalid, issuesOf } from '$lib/domain/result';
import { inDutch } from '$lib/domain/zod-messages';
import { failWith } from '$lib/server/form-result';
import { readForm } from '$lib/server/read-form';
import { SESSION_COOKIE } from '$lib/server/services/auth.service';
import { linkStatus, setPasswordWithLink } from '$lib/server/services/password-link.service';

/** A one-time link from an invitation or a reset: public (hooks PUBLIC_PAGES); the token is the permission. */
export const load: PageServerLoad = async ({ locals, params }) => {
	const status = await linkStatus(locals.db, params.token);
	return status.ok
		? { email: status.value.email, purpose: status.value.purpose, refused: null }
		: { email: null, purpose: null, refused: status.refusal.message };
};

export const actions: Actions = {
	default: async ({ locals, params, request, cookies }) => {
		const parsed = setPasswordSchema.safeParse(Object.fromEntries(await readForm(request)), inDutch);
		if (!parsed.success) return failWith(invalid(issuesOf(parsed.error.issues)).refusal);
		const result = await setPasswordWithLink(locals.db, { token: params.token, password: parsed.data.password });
		if (!result.ok) return failWith(result.refusal);
		// every session of the account ended, this browser's too if it held one
		cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, '/login?ingesteld=1');
	}
};
