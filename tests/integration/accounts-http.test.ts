import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS } from '../../src/lib/server/services/auth.service.ts';
import { createAccount, type Account } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * Accounts over real HTTP on two built servers sharing one database. The sign-in limits against real
 * parallel requests: every request that is not
 * answered 429 had its password checked (argon2), so counting the answers counts the checks.
 * All requests come from 127.0.0.1, so each test starts with no attempts recorded.
 */
describe.each(DIALECTS)('accounts on two built servers on %s', (dialect) => {
	let db: TestDb;
	let one: RunningServer;
	let two: RunningServer;
	const fresh = () => createAccount(db.db, { role: 'funder', programme: 'vleuten-versterkt' });

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db);
		const env = { DATABASE_URL: db.url, SEED_ON_EMPTY: 'false' };
		[one, two] = await Promise.all([startServer(env), startServer(env)]);
	}, 120_000);
	beforeEach(async () => {
		await db.db.deleteFrom('login_attempts').execute();
	});
	afterAll(async () => {
		await Promise.all([one?.stop(), two?.stop()]);
		await db?.drop();
	});

	const signIn = (server: RunningServer, email: string, password: string) =>
		fetch(`${server.url}/api/v1/session`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: server.url },
			body: JSON.stringify({ email, password })
		});

	/** the statuses of the answers, counted */
	async function tally(responses: Promise<Response>[]): Promise<Record<number, number>> {
		const counts: Record<number, number> = {};
		for (const res of await Promise.all(responses)) {
			counts[res.status] = (counts[res.status] ?? 0) + 1;
			await res.arrayBuffer();
		}
		return counts;
	}

	it('should check at most the account limit of many simultaneous wrong passwords, and then refuse the right one', async () => {
		const a = await fresh();
		const n = dialect === 'postgres' ? 100 : 30;
		const counts = await tally(Array.from({ length: n }, (_, i) => signIn(one, a.email, `fout wachtwoord ${i}`)));
		expect(counts).toEqual({ 401: MAX_FAILURES_PER_ACCOUNT, 429: n - MAX_FAILURES_PER_ACCOUNT });
		const right = await signIn(one, a.email, a.password);
		expect(right.status).toBe(429);
		expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
		expect((await right.json()).error).toMatchObject({
			code: 'rate_limited',
			message: expect.stringMatching(/^Te veel mislukte pogingen\. Probeer het over \d+ minuten? opnieuw\.$/)
		});
	});

	it('should hold the account limit across two servers on one database', async () => {
		const a = await fresh();
		const counts = await tally(
			Array.from({ length: 50 }, (_, i) => signIn(i % 2 ? one : two, a.email, `fout wachtwoord ${i}`))
		);
		expect(counts).toEqual({ 401: MAX_FAILURES_PER_ACCOUNT, 429: 50 - MAX_FAILURES_PER_ACCOUNT });
	});

	it('should hold the address limit across two servers, whatever accounts are tried', async () => {
		const counts = await tally(
			Array.from({ length: 50 }, (_, i) =>
				signIn(i % 2 ? one : two, `onbekend${i}.${dialect}@example.org`, 'fout wachtwoord')
			)
		);
		expect(counts).toEqual({ 401: MAX_FAILURES_PER_ADDRESS, 429: 50 - MAX_FAILURES_PER_ADDRESS });
	});

	it('should keep the failures before a successful sign-in in the window', async () => {
		const a = await fresh();
		for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT - 1; i++)
			expect((await signIn(one, a.email, 'fout wachtwoord')).status).toBe(401);
		expect((await signIn(two, a.email, a.password)).status).toBe(200);
		// the success took back only its own attempt: one more failure reaches the limit
		expect((await signIn(one, a.email, 'fout wachtwoord')).status).toBe(401);
		expect((await signIn(two, a.email, a.password)).status).toBe(429);
	});

	it('should limit guessing the current password on "Mijn account" in the same way', async () => {
		const a: Account = await fresh();
		const res = await signIn(one, a.email, a.password);
		expect(res.status).toBe(200);
		const cookie = res.headers.get('set-cookie')!.split(';')[0];
		const before = await db.db
			.selectFrom('users')
			.select('password_hash')
			.where('id', '=', a.id)
			.executeTakeFirstOrThrow();
		const change = (server: RunningServer, current: string) =>
			fetch(`${server.url}/account`, {
				method: 'POST',
				headers: {
					cookie,
					origin: server.url,
					accept: 'text/html',
					'content-type': 'application/x-www-form-urlencoded'
				},
				body: new URLSearchParams({
					current,
					next: 'een nieuw lang wachtwoord',
					repeat: 'een nieuw lang wachtwoord'
				}).toString(),
				redirect: 'manual'
			});
		const counts = await tally(
			Array.from({ length: 40 }, (_, i) => change(i % 2 ? one : two, `geraden wachtwoord ${i}`))
		);
		expect(counts).toEqual({ 400: MAX_FAILURES_PER_ACCOUNT, 429: 40 - MAX_FAILURES_PER_ACCOUNT });
		const right = await change(one, a.password);
		expect(right.status).toBe(429);
		expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(await right.text()).toMatch(/Te veel mislukte pogingen\. Probeer het over \d+ minuten? opnieuw\./);
		const after = await db.db
			.selectFrom('users')
			.select('password_hash')
			.where('id', '=', a.id)
			.executeTakeFirstOrThrow();
		expect(after.password_hash).toBe(before.password_hash);
		// one budget per account: the guesses on "Mijn account" also stop sign-ins
		expect((await signIn(two, a.email, a.password)).status).toBe(429);
	});

	it('should send the browser only to a path on this site after signing in', async () => {
		const a = await fresh();
		const login = (next: string) =>
			fetch(`${one.url}/login?next=${encodeURIComponent(next)}`, {
				method: 'POST',
				headers: { origin: one.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ email: a.email, password: a.password }).toString(),
				redirect: 'manual'
			});
		const cases: [string, string][] = [
			['/.//evil.example', '/'],
			['/../\\evil.example', '/'],
			['/./\\evil.example', '/'],
			['//evil.example', '/'],
			['/%2F%2Fevil.example', '/'],
			['/%5Cevil.example', '/'],
			['/\t/evil.example', '/'],
			['/overzicht?x=1', '/overzicht?x=1']
		];
		for (const [next, location] of cases) {
			const res = await login(next);
			expect([res.status, res.headers.get('location')], next).toEqual([303, location]);
		}
		// signed in already: the login page sends on at once, by the same rule
		const cookie = (await signIn(one, a.email, a.password)).headers.get('set-cookie')!.split(';')[0];
		const res = await fetch(`${one.url}/login?next=${encodeURIComponent('/.//evil.example')}`, {
			headers: { cookie },
			redirect: 'manual'
		});
		expect([res.status, res.headers.get('location')]).toEqual([303, '/']);
	});

	it('should show on the admin page that a blocked admin made a token that keeps working', async () => {
		const creator = await createAccount(db.db, 'admin');
		const creatorCookie = (await signIn(one, creator.email, creator.password)).headers.get('set-cookie')!.split(';')[0];
		const created = await fetch(`${one.url}/api/v1/admin/tokens`, {
			method: 'POST',
			headers: { cookie: creatorCookie, origin: one.url, 'content-type': 'application/json' },
			body: JSON.stringify({ programme: 'vleuten-versterkt', role: 'funder', name: `koppeling-${dialect}` })
		});
		const { token } = await created.json();
		const admin = await createAccount(db.db, 'admin');
		const cookie = (await signIn(two, admin.email, admin.password)).headers.get('set-cookie')!.split(';')[0];
		const block = await fetch(`${two.url}/admin/gebruikers?/disableUser`, {
			method: 'POST',
			headers: { cookie, origin: two.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ user: String(creator.id) }).toString(),
			redirect: 'manual'
		});
		// the action redirects to the page, which shows the message once (from a one-time cookie)
		expect([block.status, block.headers.get('location')]).toEqual([303, '/admin/gebruikers']);
		const flash = block.headers.getSetCookie().map((c) => c.split(';')[0]);
		expect(flash).toHaveLength(1);
		const shown = await (
			await fetch(`${two.url}/admin/gebruikers`, { headers: { cookie: [cookie, ...flash].join('; ') } })
		).text();
		expect(shown.replaceAll('&quot;', '"')).toContain(`blijven werken: "koppeling-${dialect}" (vleuten-versterkt)`);
		const page = await (await fetch(`${one.url}/admin/sleutels`, { headers: { cookie } })).text();
		const row = /<tr[^>]*>(?:(?!<\/tr>)[\s\S])*<\/tr>/g;
		const tokenRow = page.match(row)?.find((r) => r.includes(`koppeling-${dialect}`)) ?? '';
		expect(tokenRow).toContain(creator.email.split('@')[0]);
		expect(tokenRow).toContain('(geblokkeerd)');
		expect(
			(
				await fetch(`${one.url}/api/v1/programmes/vleuten-versterkt/kompas`, {
					headers: { authorization: `Bearer ${token}` }
				})
			).status
		).toBe(200);
	});
});
