import { can, type Actor } from './permissions.ts';

/**
 * Where a person lands after signing in and when opening the app at `/`: straight to what their role
 * does most, when that is obvious — an aanjager on the action form, a lead on "Wat staat er open",
 * a funder on the dashboard. With several programmes (or as an admin, who sees them all) nothing is
 * obvious: null, the programme list.
 */
export function landingPath(actor: Actor | null, programmes: readonly { id: number; slug: string }[]): string | null {
	if (!actor || actor.isAdmin || programmes.length !== 1) return null;
	const [{ id, slug }] = programmes;
	if (can(actor, 'measurement:approve', id)) return `/p/${slug}/evaluaties/open`;
	if (can(actor, 'action:log', id)) return `/p/${slug}/acties/nieuw`;
	if (can(actor, 'programme:read', id)) return `/p/${slug}/dashboard`;
	return null;
}

/** `/?lijst` shows the programme list itself, without going on to the landing page (the menu's "Programma's"). */
export const LIST_PARAM = 'lijst';
