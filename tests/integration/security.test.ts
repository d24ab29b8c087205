import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../src/lib/server/api/app.ts';
import { hashPassword, verifyPassword } from '../../src/lib/server/auth/password.ts';
import { hashToken } from '../../src/lib/server/auth/tokens.ts';
import { MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS } from '../../src/lib/server/services/auth.service.ts';
import { createAccount, PASSWORD, signIn } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans, tableCounts } from '../helpers/plans.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { TMP } from '../helpers/environment.ts';

const ORIGIN = 'http://localhost';

describe('headers and cross-site defence of the built server', () => {
	let server: RunningServer;
	const dbFile = join(TMP, `security-${process.pid}.db`);
	beforeAll(async () => {
		rmSync(dbFile, { force: true });
		server = await startServer({ DATABASE_URL: dbFile });
	});
	afterAll(async () => server?.stop());

	it('should send security headers and a CSP without inline scripts', async () => {
		const res = await fetch(`${server.url}/login`);
		const csp = res.headers.get('content-security-policy') ?? '';
		expect(csp).toContain("frame-ancestors 'none'");
		const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
		expect(scriptSrc).toContain("'self'");
		expect(scriptSrc).not.toContain("'unsafe-inline'");
		expect(scriptSrc).not.toContain("'unsafe-eval'");
		// inline scripts run only with this answer's nonce, a new one each time
		const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
		expect(nonce).toMatch(/^[A-Za-z0-9+/=_-]{16,}$/);
		const again = (await fetch(`${server.url}/login`)).headers.get('content-security-policy') ?? '';
		expect(again).not.toContain(nonce!);
		expect(res.headers.get('x-content-type-options')).toBe('nosniff');
		expect(res.headers.get('referrer-policy')).toBe('same-origin');
		const api = await fetch(`${server.url}/api/v1/health`);
		expect(api.headers.get('x-content-type-options')).toBe('nosniff');
		// ORIGIN is http here: no Strict-Transport-Security
		expect(res.headers.has('strict-transport-security')).toBe(false);
		expect(api.headers.has('strict-transport-security')).toBe(false);
	});

	it('should refuse a cross-site form post', async () => {
		const res = await fetch(`${server.url}/login`, {
			method: 'POST',
			headers: {
				origin: 'https://evil.example',
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'text/html'
			},
			body: 'email=a%40b.nl&password=xxxxxxxxxxxxxx',
			redirect: 'manual'
		});
		expect(res.status).toBe(403);
	});

	it('should answer a path it cannot decode with 400 and keep running', async () => {
		for (const path of ['/p/%ZZ', '/p/%E0%A4%A/kompas', '/%'])
			expect((await fetch(`${server.url}${path}`, { redirect: 'manual' })).status).toBe(400);
		expect((await fetch(`${server.url}/login`)).status).toBe(200);
		const api = await fetch(`${server.url}/api/v1/programmes/%ZZ`);
		expect([api.status, ((await api.json()) as { error: { code: string } }).error.code]).toEqual([400, 'invalid_path']);
	});

	it('should answer a form body that cannot be read with 400 and a Dutch message, not a 500', async () => {
		const res = await fetch(`${server.url}/login`, {
			method: 'POST',
			headers: { origin: server.url, 'content-type': 'multipart/form-data; boundary=xyz', accept: 'text/html' },
			body: 'geen multipart'
		});
		expect(res.status).toBe(400);
		expect(await res.text()).toContain('Het formulier kon niet gelezen worden');
	});
});

describe('Strict-Transport-Security when ORIGIN is https', () => {
	let server: RunningServer;
	const dbFile = join(TMP, `security-https-${process.pid}.db`);
	beforeAll(async () => {
		rmSync(dbFile, { force: true });
		// a TLS proxy in front would serve https://monitor.example.nl; the test reaches the server behind it
		server = await startServer({ DATABASE_URL: dbFile, SEED_ON_EMPTY: 'false', ORIGIN: 'https://monitor.example.nl' });
	});
	afterAll(async () => server?.stop());

	it('should send HSTS for a year, with subdomains, on pages and API answers', async () => {
		for (const path of ['/login', '/api/v1/health', '/api/v1/programmes', '/api/v1/%ZZ'])
			expect(
				(await fetch(`${server.url}${path}`, { redirect: 'manual' })).headers.get('strict-transport-security'),
				path
			).toBe('max-age=31536000; includeSubDomains');
	});
});

describe('password hashing', () => {
	it('should hash with argon2id and verify only the right password', async () => {
		const hash = await hashPassword('een lang genoeg wachtwoord');
		expect(hash).toMatch(/^\$argon2id\$/);
		expect(hash).not.toContain('een lang genoeg wachtwoord');
		expect(await verifyPassword(hash, 'een lang genoeg wachtwoord')).toBe(true);
		expect(await verifyPassword(hash, 'een ander wachtwoord!!')).toBe(false);
		expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
	});
});

describe.each(DIALECTS)('accounts and defences on %s', (dialect) => {
	let db: TestDb;
	let api: ReturnType<typeof createApi>;
	const call = (path: string, init: RequestInit = {}) => Promise.resolve(api.request(path, init));
	const json = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
		method,
		headers: { 'content-type': 'application/json', origin: ORIGIN, ...headers },
		body: JSON.stringify(body)
	});
	/** the client address reaches the API from the SvelteKit route (the adapter's socket address or ADDRESS_HEADER) */
	const login = (email: string, password: string, address = '10.0.0.1', headers: Record<string, string> = {}) =>
		Promise.resolve(
			api.request('/api/v1/session', json('POST', { email, password }, headers), { clientAddress: address })
		);

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db);
		api = createApi(db);
	});
	afterAll(async () => db?.drop());

	it('should never store a password in clear', async () => {
		const a = await createAccount(db.db, 'admin');
		const row = await db.db.selectFrom('users').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
		expect(row.password_hash).toMatch(/^\$argon2id\$/);
		expect(JSON.stringify(row)).not.toContain(PASSWORD);
	});

	it('should sign in with a session cookie that is HttpOnly, SameSite=Lax and path /', async () => {
		const a = await createAccount(db.db, { role: 'funder', programme: 'vleuten-versterkt' });
		const res = await login(a.email, a.password);
		expect(res.status).toBe(200);
		const cookie = res.headers.get('set-cookie')!;
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/SameSite=Lax/i);
		expect(cookie).toMatch(/Path=\//);
		expect(cookie).not.toMatch(/Secure/); // plain http here; https adds Secure
		const me = await (await call('/api/v1/session', { headers: { cookie: cookie.split(';')[0] } })).json();
		expect(me).toMatchObject({
			email: a.email,
			isAdmin: false,
			roles: [{ programme: 'vleuten-versterkt', role: 'funder' }]
		});
		// only a hash of the token is stored
		const token = cookie.split(';')[0].split('=')[1];
		const stored = await db.db
			.selectFrom('sessions')
			.select('token_hash')
			.where('token_hash', '=', hashToken(token))
			.executeTakeFirst();
		expect(stored).toBeDefined();
		expect(
			await db.db.selectFrom('sessions').select('id').where('token_hash', '=', token).executeTakeFirst()
		).toBeUndefined();
	});

	it('should answer an unknown e-mail and a wrong password the same way', async () => {
		const a = await createAccount(db.db, 'admin');
		const unknown = await login('niemand@example.org', 'wat dan ook maar', '10.0.0.2');
		const wrong = await login(a.email, 'helemaal verkeerd!!', '10.0.0.2');
		expect(unknown.status).toBe(401);
		expect(wrong.status).toBe(401);
		expect(await unknown.json()).toEqual(await wrong.json());
	});

	it('should limit failed sign-ins per account with 429 and Retry-After, even for the right password', async () => {
		const a = await createAccount(db.db, 'admin');
		for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++)
			expect((await login(a.email, 'fout fout fout', `10.1.0.${i}`)).status).toBe(401);
		const limited = await login(a.email, a.password, '10.1.1.1');
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
		expect((await limited.json()).error.code).toBe('rate_limited');
	});

	it('should limit failed sign-ins per address', async () => {
		for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++)
			await login(`onbekend${i}@example.org`, 'fout fout fout', '10.2.0.1');
		const a = await createAccount(db.db, 'admin');
		expect((await login(a.email, a.password, '10.2.0.1')).status).toBe(429);
		expect((await login(a.email, a.password, '10.2.0.2')).status).toBe(200);
	});

	it('should forget failed attempts once they no longer count', async () => {
		const long = new Date(Date.now() - 24 * 3600_000).toISOString();
		await db.db.insertInto('login_attempts').values({ key: 'address:10.9.9.9', at: long }).execute();
		await login('weg@example.org', 'fout fout fout', '10.5.0.1');
		expect(await db.db.selectFrom('login_attempts').select('id').where('at', '=', long).execute()).toEqual([]);
	});

	it('should not let a caller dodge the address limit with a forwarded-for header of its own', async () => {
		for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++)
			await login(`iemand${i}@example.org`, 'fout fout fout', '10.4.0.1', { 'x-forwarded-for': `192.0.2.${i}` });
		const a = await createAccount(db.db, 'admin');
		expect((await login(a.email, a.password, '10.4.0.1', { 'x-forwarded-for': '198.51.100.7' })).status).toBe(429);
	});

	it('should end a session after idle time and after its absolute lifetime', async () => {
		const a = await createAccount(db.db, 'admin');
		const idle = await signIn(call, a);
		const old = new Date(Date.now() - 9 * 3600_000).toISOString();
		await db.db
			.updateTable('sessions')
			.set({ last_seen_at: old })
			.where('token_hash', '=', hashToken(idle.split('=')[1]))
			.execute();
		expect((await call('/api/v1/session', { headers: { cookie: idle } })).status).toBe(401);

		const expired = await signIn(call, a);
		await db.db
			.updateTable('sessions')
			.set({ expires_at: new Date(Date.now() - 1000).toISOString() })
			.where('token_hash', '=', hashToken(expired.split('=')[1]))
			.execute();
		expect((await call('/api/v1/session', { headers: { cookie: expired } })).status).toBe(401);
	});

	it('should end the session on logout', async () => {
		const cookie = await signIn(call, await createAccount(db.db, 'admin'));
		expect((await call('/api/v1/session', { headers: { cookie } })).status).toBe(200);
		expect((await call('/api/v1/session', { method: 'DELETE', headers: { cookie, origin: ORIGIN } })).status).toBe(200);
		expect((await call('/api/v1/session', { headers: { cookie } })).status).toBe(401);
	});

	it('should refuse a cross-origin state-changing call made with a cookie, but not with a bearer token', async () => {
		const cookie = await signIn(call, await createAccount(db.db, 'admin'));
		const before = await tableCounts(db);
		const body = { email: 'x@example.org', name: 'X', password: 'lang genoeg wachtwoord' };
		const evil = await call('/api/v1/admin/users', json('POST', body, { cookie, origin: 'https://evil.example' }));
		expect(evil.status).toBe(403);
		expect((await evil.json()).error.code).toBe('cross_origin');
		const noOrigin = await call('/api/v1/admin/users', {
			method: 'POST',
			headers: { cookie, 'content-type': 'application/json' },
			body: JSON.stringify(body)
		});
		expect(noOrigin.status).toBe(403);
		expect(await tableCounts(db)).toEqual(before);

		const created = await call(
			'/api/v1/admin/tokens',
			json('POST', { programme: 'vleuten-versterkt', role: 'funder', name: 'koppeling' }, { cookie })
		);
		expect(created.status).toBe(201);
		const { token } = await created.json();
		const viaToken = await call('/api/v1/programmes/vleuten-versterkt/kompas', {
			headers: { authorization: `Bearer ${token}`, origin: 'https://elders.example' }
		});
		expect(viaToken.status).toBe(200);
	});

	it('should scope an API token to one programme and role, and stop it when revoked', async () => {
		const cookie = await signIn(call, await createAccount(db.db, 'admin'));
		const created = await (
			await call(
				'/api/v1/admin/tokens',
				json('POST', { programme: 'vleuten-versterkt', role: 'funder', name: 'rapportage' }, { cookie })
			)
		).json();
		const bearer = { authorization: `Bearer ${created.token}` };
		expect((await call('/api/v1/programmes/vleuten-versterkt/kompas', { headers: bearer })).status).toBe(200);
		expect((await call('/api/v1/programmes/zkl-onder-druk/kompas', { headers: bearer })).status).toBe(404);
		expect((await call('/api/v1/admin/users', { headers: bearer })).status).toBe(403);
		expect(
			await db.db.selectFrom('api_tokens').select('id').where('token_hash', '=', created.token).executeTakeFirst()
		).toBeUndefined();
		expect(
			(await call(`/api/v1/admin/tokens/${created.id}`, { method: 'DELETE', headers: { cookie, origin: ORIGIN } }))
				.status
		).toBe(200);
		expect((await call('/api/v1/programmes/vleuten-versterkt/kompas', { headers: bearer })).status).toBe(401);
		expect(
			(await call('/api/v1/programmes/vleuten-versterkt/kompas', { headers: { authorization: 'Bearer verzonnen' } }))
				.status
		).toBe(401);
	});

	it('should keep a token working when the admin who made it is blocked, and name it to the admin who blocks', async () => {
		const creator = await createAccount(db.db, 'admin');
		const creatorCookie = await signIn(call, creator);
		const created = await (
			await call(
				'/api/v1/admin/tokens',
				json('POST', { programme: 'zkl-onder-druk', role: 'aanjager', name: 'koppeling' }, { cookie: creatorCookie })
			)
		).json();
		const cookie = await signIn(call, await createAccount(db.db, 'admin'));
		const blocked = await call(`/api/v1/admin/users/${creator.id}`, json('PATCH', { disabled: true }, { cookie }));
		expect(blocked.status).toBe(200);
		expect(await blocked.json()).toEqual({
			id: creator.id,
			disabled: true,
			apiTokensKept: [{ id: created.id, name: 'koppeling', programme: 'zkl-onder-druk' }]
		});
		// the token belongs to the programme: an integration does not break because a person left
		expect(
			(
				await call('/api/v1/programmes/zkl-onder-druk/kompas', {
					headers: { authorization: `Bearer ${created.token}` }
				})
			).status
		).toBe(200);
		const tokens = (await (await call('/api/v1/admin/tokens', { headers: { cookie } })).json()) as {
			id: number;
			creator: string | null;
			creator_disabled_at: string | null;
		}[];
		const listed = tokens.find((t) => t.id === created.id);
		expect(listed?.creator).toBe(creator.email.split('@')[0]);
		expect(listed?.creator_disabled_at).not.toBeNull();
		const entry = await db.db
			.selectFrom('audit_log')
			.selectAll()
			.where('entity', '=', 'user')
			.where('entity_id', '=', creator.id)
			.where('action', '=', 'disable')
			.executeTakeFirstOrThrow();
		expect(JSON.parse(String(entry.after))).toMatchObject({
			disabled: true,
			apiTokensKept: ['koppeling (zkl-onder-druk)']
		});
		// revoked, it stops, and blocking someone without live tokens names none
		expect(
			(await call(`/api/v1/admin/tokens/${created.id}`, { method: 'DELETE', headers: { cookie, origin: ORIGIN } }))
				.status
		).toBe(200);
		expect(
			(
				await call('/api/v1/programmes/zkl-onder-druk/kompas', {
					headers: { authorization: `Bearer ${created.token}` }
				})
			).status
		).toBe(401);
		const other = await createAccount(db.db, 'admin');
		expect(
			await (await call(`/api/v1/admin/users/${other.id}`, json('PATCH', { disabled: true }, { cookie }))).json()
		).toEqual({ id: other.id, disabled: true, apiTokensKept: [] });
	});

	it('should answer an oversized body with 413 and change nothing', async () => {
		const cookie = await signIn(call, await createAccount(db.db, 'admin'));
		const before = await tableCounts(db);
		const res = await call(
			'/api/v1/admin/users',
			json(
				'POST',
				{ email: 'big@example.org', name: 'x'.repeat(400_000), password: 'lang genoeg wachtwoord' },
				{ cookie }
			)
		);
		expect(res.status).toBe(413);
		expect((await res.json()).error.code).toBe('payload_too_large');
		expect(await tableCounts(db)).toEqual(before);
	});

	it('should refuse bad input with 400 and its issues, leaving the database as it was', async () => {
		const admin = await createAccount(db.db, 'admin');
		const cookie = await signIn(call, admin);
		const before = await tableCounts(db);
		const users = await db.db.selectFrom('users').select('id').execute();
		const short = await call(
			'/api/v1/admin/users',
			json('POST', { email: 'kort@example.org', name: 'Kort', password: 'te kort' }, { cookie })
		);
		expect(short.status).toBe(400);
		const body = await short.json();
		expect(body.error.code).toBe('invalid_input');
		expect(body.error.issues[0].path).toBe('password');
		const dup = await call(
			'/api/v1/admin/users',
			json('POST', { email: admin.email, name: 'Dubbel', password: 'lang genoeg wachtwoord' }, { cookie })
		);
		expect(dup.status).toBe(400);
		const broken = await call('/api/v1/admin/users', {
			method: 'POST',
			headers: { cookie, origin: ORIGIN, 'content-type': 'application/json' },
			body: '{"email": '
		});
		expect(broken.status).toBe(400);
		expect((await broken.json()).error).toBeDefined();
		expect(await tableCounts(db)).toEqual(before);
		expect(await db.db.selectFrom('users').select('id').execute()).toEqual(users);
	});

	it('should audit membership changes with before and after, in the same transaction', async () => {
		const admin = await createAccount(db.db, 'admin');
		const cookie = await signIn(call, admin);
		const target = await createAccount(db.db, { role: 'funder', programme: 'zkl-onder-druk' });
		const res = await call(
			`/api/v1/admin/users/${target.id}/memberships/zkl-onder-druk`,
			json('PUT', { role: 'lead' }, { cookie })
		);
		expect(res.status).toBe(200);
		const entry = await db.db
			.selectFrom('audit_log')
			.selectAll()
			.where('entity', '=', 'membership')
			.where('entity_id', '=', target.id)
			.orderBy('id', 'desc')
			.executeTakeFirstOrThrow();
		expect(entry.user_id).toBe(admin.id);
		expect(entry.action).toBe('update');
		expect(JSON.parse(entry.before!)).toEqual({ role: 'funder' });
		expect(JSON.parse(entry.after!)).toMatchObject({ role: 'lead' });
		const log = await (await call('/api/v1/programmes/zkl-onder-druk/audit', { headers: { cookie } })).json();
		expect(log[0]).toMatchObject({ entity: 'membership', action: 'update', before: { role: 'funder' } });
	});

	it('should let an admin block an account (its sessions end at once) and let it in again, never itself or the last admin', async () => {
		const admin = await createAccount(db.db, 'admin');
		const cookie = await signIn(call, admin);
		const leaver = await createAccount(db.db, { role: 'aanjager', programme: 'vleuten-versterkt' });
		const session = await signIn(call, leaver);
		const patch = (id: number, body: unknown) => call(`/api/v1/admin/users/${id}`, json('PATCH', body, { cookie }));

		expect((await patch(leaver.id, { disabled: 'ja' })).status).toBe(400);
		expect((await patch(999_999, { disabled: true })).status).toBe(404);
		expect(await (await patch(leaver.id, { disabled: true })).json()).toEqual({
			id: leaver.id,
			disabled: true,
			apiTokensKept: []
		});
		expect((await call('/api/v1/session', { headers: { cookie: session } })).status).toBe(401);
		expect((await login(leaver.email, leaver.password, '10.6.0.1')).status).toBe(401);
		const users = (await (await call('/api/v1/admin/users', { headers: { cookie } })).json()) as {
			id: number;
			disabled: boolean;
		}[];
		expect(users.find((u) => u.id === leaver.id)?.disabled).toBe(true);
		const entry = await db.db
			.selectFrom('audit_log')
			.selectAll()
			.where('entity', '=', 'user')
			.where('entity_id', '=', leaver.id)
			.orderBy('id', 'desc')
			.executeTakeFirstOrThrow();
		expect([entry.action, entry.user_id]).toEqual(['disable', admin.id]);

		expect((await patch(leaver.id, { disabled: false })).status).toBe(200);
		expect((await login(leaver.email, leaver.password, '10.6.0.2')).status).toBe(200);

		const self = await patch(admin.id, { disabled: true });
		expect(self.status).toBe(400);
		expect((await self.json()).error.message).toMatch(/eigen account/);
		// block every other admin, then the last one left cannot be blocked by anyone
		const others = await db.db
			.selectFrom('users')
			.select('id')
			.where('is_admin', '=', 1)
			.where('disabled_at', 'is', null)
			.where('id', '!=', admin.id)
			.execute();
		const second = await createAccount(db.db, 'admin');
		const secondCookie = await signIn(call, second);
		for (const o of others) expect((await patch(o.id, { disabled: true })).status).toBe(200);
		expect(
			(await call(`/api/v1/admin/users/${admin.id}`, json('PATCH', { disabled: true }, { cookie: secondCookie })))
				.status
		).toBe(200);
		const last = await call(
			`/api/v1/admin/users/${second.id}`,
			json('PATCH', { disabled: true }, { cookie: secondCookie })
		);
		expect(last.status).toBe(400);
		const active = await db.db
			.selectFrom('users')
			.select('id')
			.where('is_admin', '=', 1)
			.where('disabled_at', 'is', null)
			.execute();
		expect(active).toEqual([{ id: second.id }]);
		// let the others in again for the tests that follow
		for (const o of [...others, { id: admin.id }])
			expect(
				(await call(`/api/v1/admin/users/${o.id}`, json('PATCH', { disabled: false }, { cookie: secondCookie }))).status
			).toBe(200);
	});

	it('should reset a forgotten password: a new one shown once, old password and sessions no longer valid', async () => {
		const admin = await createAccount(db.db, 'admin');
		const cookie = await signIn(call, admin);
		const forgetful = await createAccount(db.db, { role: 'lead', programme: 'vleuten-versterkt' });
		const session = await signIn(call, forgetful);
		const res = await call(`/api/v1/admin/users/${forgetful.id}/password-reset`, json('POST', {}, { cookie }));
		expect(res.status).toBe(200);
		const { password } = (await res.json()) as { password: string };
		expect(password.length).toBeGreaterThanOrEqual(20);
		expect((await call('/api/v1/session', { headers: { cookie: session } })).status).toBe(401);
		expect((await login(forgetful.email, forgetful.password, '10.7.0.1')).status).toBe(401);
		expect((await login(forgetful.email, password, '10.7.0.2')).status).toBe(200);
		const entry = await db.db
			.selectFrom('audit_log')
			.selectAll()
			.where('entity', '=', 'user')
			.where('entity_id', '=', forgetful.id)
			.orderBy('id', 'desc')
			.executeTakeFirstOrThrow();
		expect(entry.action).toBe('password_reset');
		expect(JSON.stringify(entry)).not.toContain(password);
		expect((await call(`/api/v1/admin/users/${admin.id}/password-reset`, json('POST', {}, { cookie }))).status).toBe(
			400
		);
		expect((await call('/api/v1/admin/users/999999/password-reset', json('POST', {}, { cookie }))).status).toBe(404);
	});

	it('should end every session when the password changes', async () => {
		const a = await createAccount(db.db, 'admin');
		const one = await signIn(call, a);
		const two = await signIn(call, a);
		const { changePassword } = await import('../../src/lib/server/services/auth.service.ts');
		expect(
			await changePassword(db.db, {
				userId: a.id,
				current: 'niet het oude wachtwoord',
				next: 'een nieuw lang wachtwoord',
				address: '10.3.0.9'
			})
		).toMatchObject({
			ok: false,
			refusal: { status: 400, issues: [{ path: 'current', message: 'Het huidige wachtwoord klopt niet.' }] }
		});
		expect((await call('/api/v1/session', { headers: { cookie: one } })).status).toBe(200);
		expect(
			await changePassword(db.db, {
				userId: a.id,
				current: a.password,
				next: 'een nieuw lang wachtwoord',
				address: '10.3.0.9'
			})
		).toEqual({
			ok: true,
			value: null
		});
		for (const cookie of [one, two]) expect((await call('/api/v1/session', { headers: { cookie } })).status).toBe(401);
		expect((await login(a.email, 'een nieuw lang wachtwoord', '10.3.0.1')).status).toBe(200);
	});
});

describe.each(DIALECTS)('programme management by admins on %s', (dialect) => {
	let db: TestDb;
	let api: ReturnType<typeof createApi>;
	const call = (path: string, init: RequestInit = {}) => Promise.resolve(api.request(path, init));

	beforeAll(async () => {
		db = await migratedDb(dialect);
		api = createApi(db);
	});
	afterAll(async () => db?.drop());

	it('should load an uploaded plan, and refuse a broken one with its issues and nothing changed', async () => {
		const { readFileSync } = await import('node:fs');
		const cookie = await signIn(call, await createAccount(db.db, 'admin'));
		const upload = (text: string) =>
			call('/api/v1/admin/plans', {
				method: 'POST',
				headers: { cookie, origin: ORIGIN, 'content-type': 'application/yaml' },
				body: text
			});
		const text = readFileSync('indicators/zkl-onder-druk.yaml', 'utf8');
		const before = await tableCounts(db);
		const broken = await upload(text.replace('slug: zkl-onder-druk', 'slug: ZKL onder druk'));
		expect(broken.status).toBe(422);
		expect((await broken.json()).error.issues[0].path).toBe('programme.slug');
		expect(await tableCounts(db)).toEqual(before);
		const ok = await upload(text);
		expect(ok.status).toBe(200);
		expect(await ok.json()).toMatchObject({ programme: 'zkl-onder-druk', regions: 6 });
		expect((await call('/api/v1/programmes/zkl-onder-druk/kompas', { headers: { cookie } })).status).toBe(200);
	});
});
