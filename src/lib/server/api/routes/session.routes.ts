import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { apiRouter, json, refusals, route } from '../openapi.ts';
import { loginSchema } from '../../../domain/account.ts';
import { unwrap } from '../service-result.ts';
import { requireActor } from '../../auth/access.ts';
import { login, logout, SESSION_COOKIE, sessionCookieOptions } from '../../services/auth.service.ts';
import { actorFromSession } from '../../services/auth.service.ts';
import { describeActor } from '../../services/user.service.ts';

const tags = ['Sessie'];
const whoAmI = json('Wie je bent en je rollen per programma');

const signIn = route({
	method: 'post',
	path: '/',
	tags,
	summary: 'Aanmelden: zet het sessie-cookie',
	security: [],
	request: { body: { required: true, content: { 'application/json': { schema: loginSchema } } } },
	responses: { 200: whoAmI, ...refusals(400, 401, 413, 415, 429) }
});
const current = route({
	method: 'get',
	path: '/',
	tags,
	summary: 'Wie ben ik?',
	responses: { 200: whoAmI, ...refusals(401) }
});
const signOut = route({
	method: 'delete',
	path: '/',
	tags,
	summary: 'Afmelden: beëindigt deze sessie',
	responses: { 200: json('Afgemeld', z.object({ status: z.literal('signed_out') })), ...refusals(401, 403) }
});

export const sessionRoutes = apiRouter()
	.openapi(signIn, async (c) => {
		const { email, password } = c.req.valid('json');
		const session = unwrap(
			await login(c.get('db').db, { email, password, address: c.env?.clientAddress ?? 'onbekend' }),
			c
		);
		setCookie(c, SESSION_COOKIE, session.token, sessionCookieOptions(c.req.url, session.expires));
		const actor = (await actorFromSession(c.get('db').db, session.token))!;
		return c.json(await describeActor({ db: c.get('db').db, actor }), 200);
	})
	.openapi(current, async (c) => {
		return c.json(await describeActor({ db: c.get('db').db, actor: requireActor(c.get('actor')) }), 200);
	})
	.openapi(signOut, async (c) => {
		requireActor(c.get('actor'));
		const token = getCookie(c, SESSION_COOKIE);
		if (token) await logout(c.get('db').db, token);
		deleteCookie(c, SESSION_COOKIE, { path: '/' });
		return c.json({ status: 'signed_out' as const }, 200);
	});
