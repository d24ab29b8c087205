import type { LayoutServerLoad } from './$types';
import { toProgrammeView } from '$lib/server/services/kompas.service';
import { attentionFor } from '$lib/server/services/measurement-review.service';
import { pageProgramme } from '$lib/server/auth/page-access';
import { can } from '$lib/domain/permissions';

export const load: LayoutServerLoad = async (event) => {
	const programme = await pageProgramme(event, event.params.programme);
	const actor = event.locals.actor;
	const may = {
		log: can(actor, 'action:log', programme.id),
		submit: can(actor, 'measurement:submit', programme.id),
		lead: can(actor, 'plan:edit', programme.id)
	};
	// one grouped count, and only for who can have something waiting (a funder never does)
	const attention =
		actor && may.submit ? (await attentionFor(event.locals.db, actor, [programme.id])).get(programme.id)! : null;
	return {
		programme: toProgrammeView(programme),
		/** what the navigation may offer; every page and action still checks for itself */
		may,
		/** measurements waiting for this person: to review (who may approve) and returned to them */
		attention
	};
};
