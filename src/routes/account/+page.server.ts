import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { passwordChangeSchema } from '$lib/domain/account';
import { pageActor } from '$lib/server/auth/page-access';
import { changePassword, SESSION_COOKIE } from '$lib/server/services/auth.service';
import { describeActor } from '$lib/server/services/user.service';
import { inDutch } from '$lib/domain/zod-messages';
import { readForm } from '$lib/server/read-form';
import { clientAddress } from '$lib/server/auth/client-address';
import { invalid, issuesOf } from '$lib/domain/result';
import { failWith } from '$lib/server/form-result';

export const load: PageServerLoad = async (event) => ({
	me: await describeActor({ db: event.locals.db, actor: pageActor(event) })
});

export const actions: Actions = {
	default: async (event) => {
		const actor = pageActor(event);
		if (actor.userId === null) return failWith(invalid({ current: 'Een API-token heeft geen wachtwoord.' }).refusal);
		const parsed = passwordChangeSchema.safeParse(Object.fromEntries(await readForm(event.request)), inDutch);
		if (!parsed.success) {
			return failWith(invalid(issuesOf(parsed.error.issues)).refusal, {}, (path) => path.split('.')[0]);
		}
		const result = await changePassword(event.locals.db, {
			userId: actor.userId,
			current: parsed.data.current,
			next: parsed.data.next,
			address: clientAddress(event.getClientAddress)
		});
		if (!result.ok) {
			if (result.refusal.retryAfterSeconds !== undefined)
				event.setHeaders({ 'retry-after': String(result.refusal.retryAfterSeconds) });
			return failWith(result.refusal);
		}
		event.cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, '/login?gewijzigd=1');
	}
};
