import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { inviteSchema, roleSchema } from '$lib/domain/account';
import { idField } from '$lib/domain/ids';
import { inDutch } from '$lib/domain/zod-messages';
import { pageAdmin } from '$lib/server/auth/page-access';
import { redirectWithFlash, takeFlash } from '$lib/server/flash';
import { mailSender } from '$lib/server/mail';
import { readForm } from '$lib/server/read-form';
import { listProgrammes } from '$lib/server/services/kompas.service';
import * as userService from '$lib/server/services/user.service';
import { fieldErrors, formValues } from '../admin-form';
import { failWith } from '$lib/server/form-result';

export const load: PageServerLoad = async (event) => {
	const admin = pageAdmin(event);
	const [users, programmes] = await Promise.all([
		userService.listUsersWithRoles(event.locals.db),
		listProgrammes(event.locals.db)
	]);
	return {
		me: admin.userId,
		users,
		programmes: programmes.map((programme) => ({ slug: programme.slug, name: programme.name })),
		flash: takeFlash(event)
	};
};

const newUserForm = inviteSchema.extend({
	programme: z.string().optional(),
	role: z.union([z.literal(''), roleSchema]).optional()
});
const membershipForm = z.object({
	user: idField(),
	programme: z.string().min(1, 'Kies een programma.'),
	role: roleSchema
});
/** Invitation links go by e-mail; without SMTP_URL the admin sees the link once (flash) to pass on. */
const delivery = (event: RequestEvent) => ({ send: mailSender(), origin: event.url.origin });

function invited(done: string, link: string | null, user: number) {
	return link
		? {
				message: `${done} Er is geen e-mail verstuurd (geen SMTP_URL, of het versturen mislukte): geef deze link zelf door. Hij werkt 24 uur en één keer, en wordt niet nog eens getoond.`,
				secret: link,
				user
			}
		: { message: `${done} De uitnodiging met een link om het wachtwoord in te stellen (24 uur geldig) is gemaild.` };
}

/** Blocking names the live API tokens the person made; a few are named, the rest counted. */
const NAMED_TOKENS = 5;

async function userIdFrom(event: RequestEvent): Promise<number | null> {
	const parsed = idField().safeParse(formValues(await readForm(event.request)).user, inDutch);
	return parsed.success ? parsed.data : null;
}

function keptTokensNote(kept: userService.KeptToken[]): string {
	if (!kept.length) return '';
	const named = kept.slice(0, NAMED_TOKENS).map((token) => `"${token.name}" (${token.programme})`);
	if (kept.length > NAMED_TOKENS) named.push(`nog ${kept.length - NAMED_TOKENS} andere`);
	return ` De API-sleutels die deze persoon aanmaakte, horen bij het programma en blijven werken: ${named.join(', ')}. Trek ze in onder API-sleutels als dat nodig is.`;
}

async function setDisabled(event: RequestEvent, disabled: boolean) {
	const ctx = { db: event.locals.db, actor: pageAdmin(event) };
	const form = disabled ? 'disableUser' : 'enableUser';
	const userId = await userIdFrom(event);
	if (userId === null) return fail(400, { form, errors: { user: 'Onbekende gebruiker.' } });
	const result = await userService.setUserDisabled(ctx, userId, disabled);
	if (!result.ok) return failWith(result.refusal, { form });
	redirectWithFlash(event, {
		message: disabled
			? `Account geblokkeerd; de persoon is overal uitgelogd.${keptTokensNote(result.value.keptTokens)}`
			: 'Account weer toegelaten.'
	});
}

export const actions: Actions = {
	createUser: async (event) => {
		const ctx = { db: event.locals.db, actor: pageAdmin(event) };
		const values = formValues(await readForm(event.request));
		const parsed = newUserForm.safeParse({ ...values, isAdmin: values.isAdmin === 'on' }, inDutch);
		if (!parsed.success) return fail(400, { form: 'createUser', values, errors: fieldErrors(parsed.error) });
		const { programme, role, ...invite } = parsed.data;
		if (Boolean(programme) !== Boolean(role))
			return fail(400, { form: 'createUser', values, errors: { role: 'Kies programma én rol, of geen van beide.' } });
		const membership = programme && role ? { programme, role } : undefined;
		const result = await userService.inviteUser(ctx, invite, membership, delivery(event));
		if (!result.ok) return failWith(result.refusal, { form: 'createUser', values });
		redirectWithFlash(event, invited(`Account ${invite.email} aangemaakt.`, result.value.link, result.value.id));
	},
	sendLink: async (event) => {
		const ctx = { db: event.locals.db, actor: pageAdmin(event) };
		const userId = await userIdFrom(event);
		if (userId === null) return fail(400, { form: 'sendLink', errors: { user: 'Onbekende gebruiker.' } });
		const result = await userService.resendInvite(ctx, userId, delivery(event));
		if (!result.ok) return failWith(result.refusal, { form: 'sendLink' });
		redirectWithFlash(
			event,
			invited('Nieuwe link gemaakt; een eerdere link werkt niet meer.', result.value.link, userId)
		);
	},
	setMembership: async (event) => {
		const ctx = { db: event.locals.db, actor: pageAdmin(event) };
		const values = formValues(await readForm(event.request));
		const parsed = membershipForm.safeParse(values, inDutch);
		if (!parsed.success) return fail(400, { form: 'setMembership', values, errors: fieldErrors(parsed.error) });
		const { user, programme, role } = parsed.data;
		const result = await userService.setMembership(ctx, user, programme, role);
		if (!result.ok) return failWith(result.refusal, { form: 'setMembership', values });
		redirectWithFlash(event, { message: 'Rol opgeslagen.' });
	},
	removeMembership: async (event) => {
		const ctx = { db: event.locals.db, actor: pageAdmin(event) };
		const membershipId = idField().safeParse(formValues(await readForm(event.request)).membership, inDutch);
		const removed = membershipId.success && (await userService.removeMembership(ctx, membershipId.data)).ok;
		if (!removed)
			return fail(400, {
				form: 'removeMembership',
				errors: { user: 'Onbekend lidmaatschap; de lijst is bijgewerkt.' }
			});
		redirectWithFlash(event, { message: 'Rol verwijderd.' });
	},
	disableUser: async (event) => setDisabled(event, true),
	enableUser: async (event) => setDisabled(event, false),
	resetPassword: async (event) => {
		const ctx = { db: event.locals.db, actor: pageAdmin(event) };
		const userId = await userIdFrom(event);
		if (userId === null) return fail(400, { form: 'resetPassword', errors: { user: 'Onbekende gebruiker.' } });
		const result = await userService.resetPassword(ctx, userId);
		if (!result.ok) return failWith(result.refusal, { form: 'resetPassword' });
		redirectWithFlash(event, {
			message: 'Geef het door en laat het meteen wijzigen onder "Mijn account". Het wordt niet nog eens getoond.',
			secret: result.value.password,
			user: userId
		});
	}
};
