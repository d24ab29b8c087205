import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { loginSchema, safeNext, wrongAddressMessage } from '$lib/domain/account';
import { actorFromSession, login, SESSION_COOKIE, sessionCookieOptions } from '$lib/server/services/auth.service';
import { landingFor } from '$lib/server/services/kompas.service';
import { readForm } from '$lib/server/read-form';
import { clientAddress } from '$lib/server/auth/client-address';
import { invalid } from '$lib/domain/result';
import { failWith } from '$lib/server/form-result';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.actor) redirect(303, safeNext(url.searchParams.get('next')));
	// the page compares it with the browser's own address and warns before a sign-in would be refused
	return {
		passwordChanged: url.searchParams.has('gewijzigd'),
		passwordSet: url.searchParams.has('ingesteld'),
		origin: url.origin
	};
};

export const actions: Actions = {
	default: async ({ request, locals, cookies, url, getClientAddress, setHeaders }) => {
		const form = Object.fromEntries(await readForm(request));
		const email = String(form.email ?? '');
		// let through by the origin check only to be refused here, with the address to use (the form comes back filled in)
		if (locals.wrongAddress)
			return fail(403, { message: wrongAddressMessage(url.origin, request.headers.get('origin') ?? ''), email });
		const parsed = loginSchema.safeParse(form);
		if (!parsed.success)
			return failWith(
				invalid({ form: 'Vul je e-mailadres en wachtwoord in.' }, 'Vul je e-mailadres en wachtwoord in.').refusal,
				{ email }
			);
		const result = await login(locals.db, {
			email: parsed.data.email,
			password: parsed.data.password,
			address: clientAddress(getClientAddress)
		});
		if (!result.ok) {
			if (result.refusal.retryAfterSeconds !== undefined)
				setHeaders({ 'retry-after': String(result.refusal.retryAfterSeconds) });
			return failWith(result.refusal, { email });
		}
		const { sameSite: _s, ...opts } = sessionCookieOptions(url.href, result.value.expires);
		cookies.set(SESSION_COOKIE, result.value.token, { ...opts, sameSite: 'lax' });
		const next = url.searchParams.get('next');
		// without a page to return to (or back to the start), straight on to the role's landing page: one round
		// trip less on a slow line than going by `/`; a refused `next` still goes to `/` itself
		const actor = next === null || next === '/' ? await actorFromSession(locals.db, result.value.token) : null;
		redirect(303, actor ? ((await landingFor({ db: locals.db, actor })) ?? '/') : safeNext(next));
	}
};
