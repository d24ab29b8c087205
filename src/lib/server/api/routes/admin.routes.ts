import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiEnv } from '../context.ts';
import { ApiError, notFound } from '../errors.ts';
import { validate } from '../validate.ts';
import { apiTokenSchema, newUserSchema, roleSchema } from '../../../domain/account.ts';
import { adminOnly } from '../access.ts';
import * as users from '../../services/user.service.ts';
import { uploadPlan } from '../../services/programme-admin.service.ts';
import { idField } from '../../../domain/ids.ts';

const idParam = z.object({ id: idField() });
const refused = (r: { field: string; message: string }) => new ApiError(400, 'invalid_input', r.message, [{ path: r.field, message: r.message }]);
const refusedUser = (r: users.Refusal) => (r.status === 404 ? notFound('Gebruiker') : refused(r));

/** Users, memberships and API tokens: admins only. */
export const adminRoutes = new Hono<ApiEnv>()
	.use(adminOnly)
	.get('/users', async (c) => c.json(await users.listUsersWithRoles(c.get('db').db), 200))
	.post('/users', validate('json', newUserSchema), async (c) => {
		const r = await users.createUser(c.get('db').db, c.req.valid('json'), c.get('actor'));
		if (!r.ok) throw refused(r);
		return c.json({ id: r.value.id }, 201);
	})
	.patch('/users/:id', validate('param', idParam), validate('json', z.object({ disabled: z.boolean() }).strict()), async (c) => {
		const { id } = c.req.valid('param');
		const { disabled } = c.req.valid('json');
		const r = await users.setUserDisabled(c.get('db').db, id, disabled, c.get('actor')!);
		if (!r.ok) throw refusedUser(r);
		return c.json({ id, disabled, apiTokensKept: r.value.keptTokens }, 200);
	})
	.post('/users/:id/password-reset', validate('param', idParam), async (c) => {
		const r = await users.resetPassword(c.get('db').db, c.req.valid('param').id, c.get('actor')!);
		if (!r.ok) throw refusedUser(r);
		return c.json(r.value, 200);
	})
	.put('/users/:id/memberships/:programme', validate('param', idParam.extend({ programme: z.string().min(1).max(100) })), validate('json', z.object({ role: roleSchema })), async (c) => {
		const { id, programme } = c.req.valid('param');
		const r = await users.setMembership(c.get('db').db, id, programme, c.req.valid('json').role, c.get('actor'));
		if (!r.ok) throw r.field === 'user' ? notFound('Gebruiker') : notFound('Programma');
		return c.json({ user: id, programme, role: c.req.valid('json').role }, 200);
	})
	.delete('/memberships/:id', validate('param', idParam), async (c) => {
		if (!(await users.removeMembership(c.get('db').db, c.req.valid('param').id, c.get('actor')))) throw notFound('Lidmaatschap');
		return c.json({ status: 'deleted' }, 200);
	})
	.post('/plans', async (c) => {
		const result = await uploadPlan(c.get('db').db, 'upload', await c.req.text(), c.get('actor')!);
		if (!result.ok) throw new ApiError(422, 'invalid_plan', 'Het plan is geweigerd; er is niets gewijzigd.', result.issues);
		return c.json(result.summary, 200);
	})
	.get('/tokens', async (c) => c.json(await users.listApiTokens(c.get('db').db), 200))
	.post('/tokens', validate('json', apiTokenSchema), async (c) => {
		const r = await users.createApiToken(c.get('db').db, c.req.valid('json'), c.get('actor'));
		if (!r.ok) throw refused(r);
		return c.json(r.value, 201);
	})
	.delete('/tokens/:id', validate('param', idParam), async (c) => {
		if (!(await users.revokeApiToken(c.get('db').db, c.req.valid('param').id, c.get('actor')))) throw notFound('Token');
		return c.json({ status: 'revoked' }, 200);
	});
