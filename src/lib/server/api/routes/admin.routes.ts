import { $ } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ApiEnv } from '../context.ts';
import { z } from 'zod';
import { unwrap } from '../service-result.ts';
import { apiRouter, json, refusals, route } from '../openapi.ts';
import { apiTokenSchema, newUserSchema, roleSchema } from '../../../domain/account.ts';
import { actorOf, adminOnly } from '../access.ts';
import * as users from '../../services/user.service.ts';
import { uploadPlan } from '../../services/programme-admin.service.ts';
import { idField } from '../../../domain/ids.ts';

const idParam = z.object({ id: idField() });

/** The services' context of an admin request (`adminOnly` has already refused anyone else). */
const adminContext = (c: Context<ApiEnv>) => ({ db: c.get('db').db, actor: actorOf(c) });

const tags = ['Beheer'];
const ADMIN = [401, 403] as const;
const jsonBody = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });
const deleted = <T extends string>(status: T) => json('Gedaan', z.object({ status: z.literal(status) }));

const listUsers = route({
	method: 'get',
	path: '/users',
	tags,
	summary: 'Alle gebruikers met hun rollen',
	responses: { 200: json('De gebruikers'), ...refusals(...ADMIN) }
});
const createUserRoute = route({
	method: 'post',
	path: '/users',
	tags,
	summary: 'Een gebruiker aanmaken',
	request: { body: jsonBody(newUserSchema) },
	responses: {
		201: json('De nieuwe gebruiker', z.object({ id: z.number().int() })),
		...refusals(400, ...ADMIN, 413, 415)
	}
});
const disableUser = route({
	method: 'patch',
	path: '/users/{id}',
	tags,
	summary: 'Een account blokkeren of weer toelaten',
	request: { params: idParam, body: jsonBody(z.object({ disabled: z.boolean() }).strict()) },
	responses: {
		200: json('De nieuwe toestand', z.object({ id: z.number().int(), disabled: z.boolean() })),
		...refusals(400, ...ADMIN, 404, 413, 415)
	}
});
const resetPasswordRoute = route({
	method: 'post',
	path: '/users/{id}/password-reset',
	tags,
	summary: 'Een nieuw willekeurig wachtwoord (eenmalig getoond); alle sessies eindigen',
	request: { params: idParam },
	responses: { 200: json('Het nieuwe wachtwoord'), ...refusals(400, ...ADMIN, 404) }
});
const setMembershipRoute = route({
	method: 'put',
	path: '/users/{id}/memberships/{programme}',
	tags,
	summary: 'De rol van een gebruiker op een programma zetten',
	request: {
		params: idParam.extend({ programme: z.string().min(1).max(100) }),
		body: jsonBody(z.object({ role: roleSchema }))
	},
	responses: {
		200: json('Het lidmaatschap', z.object({ user: z.number().int(), programme: z.string(), role: roleSchema })),
		...refusals(400, ...ADMIN, 404, 413, 415)
	}
});
const removeMembershipRoute = route({
	method: 'delete',
	path: '/memberships/{id}',
	tags,
	summary: 'Een lidmaatschap verwijderen',
	request: { params: idParam },
	responses: { 200: deleted('deleted'), ...refusals(400, ...ADMIN, 404) }
});
const uploadPlanRoute = route({
	method: 'post',
	path: '/plans',
	tags,
	summary: 'Een planbestand (YAML) laden of bijwerken',
	request: { body: { required: true, content: { 'application/yaml': { schema: { type: 'string' } } } } },
	responses: { 200: json('Wat er is toegevoegd en gewijzigd'), ...refusals(...ADMIN, 413, 422) }
});
const listTokens = route({
	method: 'get',
	path: '/tokens',
	tags,
	summary: 'De API-tokens (zonder het geheim)',
	responses: { 200: json('De tokens'), ...refusals(...ADMIN) }
});
const createToken = route({
	method: 'post',
	path: '/tokens',
	tags,
	summary: 'Een API-token voor één programma en rol; het geheim wordt één keer getoond',
	request: { body: jsonBody(apiTokenSchema) },
	responses: { 201: json('Het token met het geheim'), ...refusals(400, ...ADMIN, 413, 415) }
});
const revokeToken = route({
	method: 'delete',
	path: '/tokens/{id}',
	tags,
	summary: 'Een API-token intrekken',
	request: { params: idParam },
	responses: { 200: deleted('revoked'), ...refusals(400, ...ADMIN, 404) }
});

/** Users, memberships and API tokens: admins only. */
export const adminRoutes = $(apiRouter().use(adminOnly))
	.openapi(listUsers, async (c) => c.json(await users.listUsersWithRoles(c.get('db').db), 200))
	.openapi(createUserRoute, async (c) => {
		const { id } = unwrap(await users.createUser(adminContext(c), c.req.valid('json')));
		return c.json({ id }, 201);
	})
	.openapi(disableUser, async (c) => {
		const { id } = c.req.valid('param');
		const { disabled } = c.req.valid('json');
		const { keptTokens } = unwrap(await users.setUserDisabled(adminContext(c), id, disabled));
		return c.json({ id, disabled, apiTokensKept: keptTokens }, 200);
	})
	.openapi(resetPasswordRoute, async (c) => {
		return c.json(unwrap(await users.resetPassword(adminContext(c), c.req.valid('param').id)), 200);
	})
	.openapi(setMembershipRoute, async (c) => {
		const { id, programme } = c.req.valid('param');
		unwrap(await users.setMembership(adminContext(c), id, programme, c.req.valid('json').role));
		return c.json({ user: id, programme, role: c.req.valid('json').role }, 200);
	})
	.openapi(removeMembershipRoute, async (c) => {
		unwrap(await users.removeMembership(adminContext(c), c.req.valid('param').id));
		return c.json({ status: 'deleted' as const }, 200);
	})
	.openapi(uploadPlanRoute, async (c) => {
		return c.json(unwrap(await uploadPlan(adminContext(c), 'upload', await c.req.text())), 200);
	})
	.openapi(listTokens, async (c) => c.json(await users.listApiTokens(c.get('db').db), 200))
	.openapi(createToken, async (c) => {
		return c.json(unwrap(await users.createApiToken(adminContext(c), c.req.valid('json'))), 201);
	})
	.openapi(revokeToken, async (c) => {
		unwrap(await users.revokeApiToken(adminContext(c), c.req.valid('param').id));
		return c.json({ status: 'revoked' as const }, 200);
	});
