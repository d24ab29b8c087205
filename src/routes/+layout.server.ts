import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => ({
	me: locals.actor ? { name: locals.actor.name, isAdmin: locals.actor.isAdmin } : null
});
