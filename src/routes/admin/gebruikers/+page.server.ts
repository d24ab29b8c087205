import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { newUserSchema, roleSchema } from '$lib/domain/account';
import { idField } from '$lib/domain/ids';
import { inDutch } from '$lib/domain/zod-messages';
import { pageAdmin } from '$lib/server/auth/page-access';
import { redirectWithFlash, takeFlash } from '$lib/server/flash';
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

const newUserForm = newUserSchema.extend({
	programme: z.string().optional(),
	role: z.union([z.literal(''), roleSchema]).optional()
});
const membershipForm = z.object({
	user: idField(),
	programme: z.string().min(1, 'Kies een programma.'),
	role: roleSchema
});
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
		const { password, ...values } = formValues(await readForm(event.request));
		const parsed = newUserForm.safeParse({ ...values, password, isAdmin: values.isAdmin === 'on' }, inDutch);
		if (!parsed.success) return fail(400, { form: 'createUser', values, errors: fieldErrors(parsed.error) });
		const { programme, role, ...newUser } = parsed.data;
		if (Boolean(programme) !== Boolean(role))
			return fail(400, { form: 'createUser', values, errors: { role: 'Kies programma én rol, of geen van beide.' } });
		const result = await userService.createUser(ctx, newUser, programme && role ? { programme, role } : undefined);
		if (!result.ok) return failWith(result.refusal, { form: 'createUser', values });
		redirectWithFlash(event, { message: `Account ${newUser.email} aangemaakt.` });
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
