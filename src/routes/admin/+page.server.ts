import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import type { Actor } from '$lib/domain/permissions';
import { apiTokenSchema, newUserSchema, roleSchema } from '$lib/domain/account';
import { pageAdmin } from '$lib/server/auth/page-access';
import { listProgrammes } from '$lib/server/services/kompas.service';
import * as users from '$lib/server/services/user.service';
import { uploadPlan } from '$lib/server/services/programme-admin.service';
import { idField } from '$lib/domain/ids';
import { plural } from '$lib/domain/dutch-format';
import { inDutch } from '$lib/domain/zod-messages';
import { readForm } from '$lib/server/read-form';
import { failWith } from '$lib/server/form-result';

export const load: PageServerLoad = async (event) => {
	const actor = pageAdmin(event);
	const db = event.locals.db;
	const [all, programmes, tokens] = await Promise.all([users.listUsersWithRoles(db), listProgrammes(db), users.listApiTokens(db)]);
	return { me: actor.userId, users: all, programmes: programmes.map((p) => ({ slug: p.slug, name: p.name })), tokens };
};

type Errors = Record<string, string>;
const fieldErrors = (error: z.ZodError): Errors => {
	const errors: Errors = {};
	for (const issue of error.issues) errors[String(issue.path[0])] ??= issue.message;
	return errors;
};
const formOf = async (request: Request) => Object.fromEntries(await readForm(request)) as Record<string, string>;

async function setDisabled(event: RequestEvent, actor: Actor, disabled: boolean) {
	const form = disabled ? 'disableUser' : 'enableUser';
	const id = idField().safeParse((await formOf(event.request)).user, inDutch);
	if (!id.success) return fail(400, { form, errors: { user: 'Onbekende gebruiker.' } });
	const r = await users.setUserDisabled(event.locals.db, id.data, disabled, actor);
	if (!r.ok) return failWith(r.refusal, { form });
	if (!disabled) return { form, done: 'Account weer toegelaten.' };
	const kept = r.value.keptTokens;
	const tokens = kept.length
		? ` De API-tokens die deze persoon aanmaakte, horen bij het programma en blijven werken: ${kept.map((t) => `"${t.name}" (${t.programme})`).join(', ')}. Trek ze hieronder in als dat nodig is.`
		: '';
	return { form, done: `Account geblokkeerd; de persoon is overal uitgelogd.${tokens}` };
}

export const actions: Actions = {
	createUser: async (event) => {
		const actor = pageAdmin(event);
		const values = await formOf(event.request);
		const parsed = newUserSchema
			.extend({ programme: z.string().optional(), role: z.union([z.literal(''), roleSchema]).optional() })
			.safeParse({ ...values, isAdmin: values.isAdmin === 'on' }, inDutch);
		const { password: _p, ...safe } = values;
		if (!parsed.success) return fail(400, { form: 'createUser', values: safe, errors: fieldErrors(parsed.error) });
		const { programme, role, ...input } = parsed.data;
		if (Boolean(programme) !== Boolean(role))
			return fail(400, { form: 'createUser', values: safe, errors: { role: 'Kies programma én rol, of geen van beide.' } });
		const r = await users.createUser(event.locals.db, input, actor, programme && role ? { programme, role } : undefined);
		if (!r.ok) return failWith(r.refusal, { form: 'createUser', values: safe });
		return { form: 'createUser', done: `Account ${parsed.data.email} aangemaakt.` };
	},
	setMembership: async (event) => {
		const actor = pageAdmin(event);
		const values = await formOf(event.request);
		const parsed = z.object({ user: idField(), programme: z.string().min(1, 'Kies een programma.'), role: roleSchema }).safeParse(values, inDutch);
		if (!parsed.success) return fail(400, { form: 'setMembership', values, errors: fieldErrors(parsed.error) });
		const r = await users.setMembership(event.locals.db, parsed.data.user, parsed.data.programme, parsed.data.role, actor);
		if (!r.ok) return failWith(r.refusal, { form: 'setMembership', values });
		return { form: 'setMembership', done: 'Rol opgeslagen.' };
	},
	removeMembership: async (event) => {
		const actor = pageAdmin(event);
		const id = idField().safeParse((await formOf(event.request)).membership, inDutch);
		if (!id.success || !(await users.removeMembership(event.locals.db, id.data, actor)).ok) return fail(400, { form: 'removeMembership', errors: { membership: 'Onbekend lidmaatschap.' } });
		return { form: 'removeMembership', done: 'Rol verwijderd.' };
	},
	disableUser: async (event) => {
		const actor = pageAdmin(event);
		return setDisabled(event, actor, true);
	},
	enableUser: async (event) => {
		const actor = pageAdmin(event);
		return setDisabled(event, actor, false);
	},
	resetPassword: async (event) => {
		const actor = pageAdmin(event);
		const id = idField().safeParse((await formOf(event.request)).user, inDutch);
		if (!id.success) return fail(400, { form: 'resetPassword', errors: { user: 'Onbekende gebruiker.' } });
		const r = await users.resetPassword(event.locals.db, id.data, actor);
		if (!r.ok) return failWith(r.refusal, { form: 'resetPassword' });
		return { form: 'resetPassword', user: id.data, password: r.value.password };
	},
	createToken: async (event) => {
		const actor = pageAdmin(event);
		const values = await formOf(event.request);
		const parsed = apiTokenSchema.safeParse(values, inDutch);
		if (!parsed.success) return fail(400, { form: 'createToken', values, errors: fieldErrors(parsed.error) });
		const r = await users.createApiToken(event.locals.db, parsed.data, actor);
		if (!r.ok) return failWith(r.refusal, { form: 'createToken', values });
		return { form: 'createToken', token: r.value.token, done: `Token "${parsed.data.name}" aangemaakt.` };
	},
	uploadPlan: async (event) => {
		const actor = pageAdmin(event);
		const file = (await readForm(event.request)).get('plan');
		if (!(file instanceof File) || file.size === 0) return fail(400, { form: 'uploadPlan', errors: { plan: 'Kies een YAML-bestand met het plan.' } });
		const result = await uploadPlan(event.locals.db, file.name, await file.text(), actor);
		if (!result.ok) return fail(400, { form: 'uploadPlan', errors: { plan: result.refusal.message }, issues: result.refusal.issues ?? [] });
		const s = result.value;
		return { form: 'uploadPlan', done: `Programma ${s.programme} geladen: ${plural(s.nodes, 'knooppunt', 'knooppunten')}, ${plural(s.indicators, 'indicator', 'indicatoren')}, ${plural(s.regions, 'regio', "regio's")}.` };
	},
	revokeToken: async (event) => {
		const actor = pageAdmin(event);
		const id = idField().safeParse((await formOf(event.request)).token, inDutch);
		if (!id.success || !(await users.revokeApiToken(event.locals.db, id.data, actor)).ok) return fail(400, { form: 'revokeToken', errors: { token: 'Onbekend of al ingetrokken token.' } });
		return { form: 'revokeToken', done: 'Token ingetrokken.' };
	}
};
