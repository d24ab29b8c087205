import type { LayoutServerLoad } from './$types';
import { toProgrammeView } from '$lib/server/services/kompas.service';
import { pageProgramme } from '$lib/server/auth/page-access';
import { can } from '$lib/domain/permissions';

export const load: LayoutServerLoad = async (event) => {
	const programme = await pageProgramme(event, event.params.programme);
	const actor = event.locals.actor;
	return {
		programme: toProgrammeView(programme),
		/** what the navigation may offer; every page and action still checks for itself */
		may: {
			log: can(actor, 'action:log', programme.id),
			submit: can(actor, 'measurement:submit', programme.id),
			lead: can(actor, 'plan:edit', programme.id)
		}
	};
};
