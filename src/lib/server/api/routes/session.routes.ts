import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ApiEnv } from '../context.ts';
import { ApiError } from '../errors.ts';
import { validate } from '../validate.ts';
import { loginSchema, tooManyAttempts } from '../../../domain/account.ts';
import { requireActor } from '../../auth/access.ts';
import { login, logout, SESSION_COOKIE, sessionCookieOptions } from '../../services/auth.service.ts';
import { actorFromSession } from '../../services/auth.service.ts';
import { describeActor } from '../../services/user.service.ts';

export const sessionRoutes = new Hono<ApiEnv>()
	.post('/', validate('json', loginSchema), async (c) => {
		const { email, password } = c.req.valid('json');
		const result = await login(c.get('db').db, email, password, c.env?.clientAddress ?? 'onbekend');
		if (!result.ok && result.reason === 'rate_limited') {
			c.header('Retry-After', String(result.retryAfterSeconds));
			throw new ApiError(429, 'rate_limited', tooManyAttempts(result.retryAfterSeconds));
		}
		if (!result.ok) throw new ApiError(401, 'invalid_credentials', 'E-mailadres of wachtwoord klopt niet.');
		setCookie(c, SESSION_COOKIE, result.token, sessionCookieOptions(c.req.url, result.expires));
		const actor = (await actorFromSession(c.get('db').db, result.token))!;
		return c.json(await describeActor(c.get('db').db, actor), 200);
	})
	.get('/', async (c) => {
		const actor = requireActor(c.get('actor'));
		return c.json(await describeActor(c.get('db').db, actor), 200);
	})
	.delete('/', async (c) => {
		requireActor(c.get('actor'));
		const token = getCookie(c, SESSION_COOKIE);
		if (token) await logout(c.get('db').db, token);
		deleteCookie(c, SESSION_COOKIE, { path: '/' });
		return c.json({ status: 'signed_out' }, 200);
	});
