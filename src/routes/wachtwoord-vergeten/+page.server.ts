import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { resetRequestSchema } from '$lib/domain/account';
import { inDutch } from '$lib/domain/zod-messages';
import { clientAddress } from '$lib/server/auth/client-address';
import { redirectWithFlash, takeFlash } from '$lib/server/flash';
import { failWith } from '$lib/server/form-result';
import { mailSender } from '$lib/server/mail';
import { readForm } from '$lib/server/read-form';
import { requestReset } from '$lib/server/services/password-link.service';

/** "Wachtwoord vergeten?": public (hooks PUBLIC_PAGES); one answer whether the address is known or not. */
export const load: PageServerLoad = async (event) => ({ flash: takeFlash(event) });

export const actions: Actions = {
	default: async (event) => {
		const email = String((await readForm(event.request)).get('email') ?? '');
		const parsed = resetRequestSchema.safeParse({ email }, inDutch);
		if (!parsed.success)
			return fail(400, {
				email,
				errors: { email: parsed.error.issues[0].message },
				message: parsed.error.issues[0].message
			});
		const result = await requestReset(event.locals.db, {
			email: parsed.data.email,
			address: clientAddress(event.getClientAddress),
			origin: event.url.origin,
			send: mailSender()
		});
		if (!result.ok) {
			if (result.refusal.retryAfterSeconds !== undefined)
				event.setHeaders({ 'retry-after': String(result.refusal.retryAfterSeconds) });
			return failWith(result.refusal, { email });
		}
		redirectWithFlash(event, { message: result.value.message });
	}
};
