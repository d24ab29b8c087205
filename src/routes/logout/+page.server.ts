import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { logout, SESSION_COOKIE } from '$lib/server/services/auth.service';

export const load: PageServerLoad = async () => ({});

export const actions: Actions = {
	default: async ({ locals, cookies }) => {
		const token = cookies.get(SESSION_COOKIE);
		if (token) await logout(locals.db, token);
		cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, '/login');
	}
};
