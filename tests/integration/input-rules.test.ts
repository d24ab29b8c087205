import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, signIn, type Account } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans, tableCounts } from '../helpers/plans.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import type { Json } from '../helpers/client.ts';

const VV = '/p/vleuten-versterkt';
const API = '/api/v1/programmes/vleuten-versterkt';
const NUL = 'bevat een ongeldig teken (NUL)';
const HUGE = 99_999_999_999;

/**
 * One input rule for both databases, on the built server: PostgreSQL cannot store a NUL character and keeps
 * integers in 32 bits, SQLite would take either. Both answer the same 400 (never a 500) and store nothing.
 */
describe.each(DIALECTS)('input both databases accept and refuse alike, on %s', (dialect) => {
	let db: TestDb;
	let server: RunningServer;
	let lead: Account;
	let cookie: string;
	let step: number;
	let phase: number;
	const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
		fetch(server.url + path, {
			method,
			redirect: 'manual',
			headers: {
				cookie,
				origin: server.url,
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...headers
			},
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
		});
	const json = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
		const res = await send(method, path, body, headers);
		return { status: res.status, body: (await res.json()) as Json };
	};
	const form = (path: string, fields: Record<string, string>, withCookie = true) =>
		fetch(server.url + path, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				...(withCookie ? { cookie } : {}),
				origin: server.url,
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'text/html'
			},
			body: new URLSearchParams(fields).toString()
		});
	const action = (description: string, quote?: string) => ({
		date: '2024-10-01',
		nextStep: step,
		kind: 'les',
		region: 'obs-haarzicht',
		reached: { jongeren: 20, ouders: 0, professionals: 1 },
		description,
		...(quote === undefined ? {} : { quote })
	});
	const measurement = (note: string, n?: number) => ({
		indicator: 'VV-T1-AANDACHT',
		region: 'obs-haarzicht',
		date: '2024-10-01',
		value: 28,
		note,
		...(n === undefined ? {} : { n })
	});

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db);
		server = await startServer({ DATABASE_URL: db.url, SEED_ON_EMPTY: 'false' });
		lead = await createAccount(db.db, { role: 'lead', programme: 'vleuten-versterkt' });
		cookie = await signIn((p, init) => fetch(server.url + p, init), lead);
		step = (await db.db.selectFrom('next_steps').select('id').where('code', '=', 'VV-T1-VS1').executeTakeFirstOrThrow())
			.id;
		phase = ((await (await send('GET', `${API}/phases`)).json()) as { id: number }[])[0].id;
	});
	afterAll(async () => {
		await server?.stop();
		await db?.drop();
	});

	it('should refuse a NUL character in any JSON body with 400 on its path, storing nothing', async () => {
		const cases: [string, string, unknown, string][] = [
			['POST', `${API}/actions`, action('Les\u0000gegeven'), 'description'],
			['POST', `${API}/actions`, action('Les gegeven', 'Citaat\u0000'), 'quote'],
			['POST', `${API}/organisations`, { name: 'Club\u0000Nul', kind: 'club' }, 'name'],
			['POST', `${API}/measurements`, measurement('noot\u0000'), 'note'],
			['PUT', `${API}/evaluations/${step}/${phase}`, { story: 'Het verhaal\u0000', version: 0 }, 'story'],
			[
				'PUT',
				`${API}/evaluations/${step}/${phase}`,
				{ followUps: [{ description: 'x', owner: 'y\u0000', deadline: '2024-11-01' }] },
				'followUps.0.owner'
			],
			['POST', '/api/v1/session', { email: `${lead.email}\u0000`, password: lead.password }, 'email']
		];
		const before = await tableCounts(db);
		for (const [method, path, body, where] of cases) {
			const res = await json(method, path, body);
			expect([path, res.status, res.body.error.code, res.body.error.issues]).toEqual([
				path,
				400,
				'invalid_input',
				[{ path: where, message: NUL }]
			]);
		}
		// whatever the content type says: the action route reads JSON sent as text/plain too
		const plain = await json('POST', `${API}/actions`, JSON.stringify(action('Les\u0000')), {
			'content-type': 'text/plain'
		});
		expect([plain.status, plain.body.error.issues]).toEqual([400, [{ path: 'description', message: NUL }]]);
		// a NUL byte as such is no JSON at all: refused for the body as a whole
		const raw = await json('POST', `${API}/organisations`, '{"name":"Club\u0000","kind":"club"}');
		expect([raw.status, raw.body.error.issues]).toEqual([400, [{ path: '', message: NUL }]]);
		expect(await tableCounts(db)).toEqual(before);
		// the same bodies without the NUL are taken, on both databases
		expect((await json('POST', `${API}/actions`, action('Les gegeven', 'Citaat'))).status).toBe(201);
		expect((await json('POST', `${API}/organisations`, { name: 'Club Nul', kind: 'club' })).status).toBe(201);
		expect((await json('POST', `${API}/measurements`, measurement('noot'))).status).toBe(201);
		expect(
			(await json('PUT', `${API}/evaluations/${step}/${phase}`, { story: 'Het verhaal', version: 0 })).status
		).toBe(200);
		expect((await json('POST', '/api/v1/session', { email: lead.email, password: lead.password })).status).toBe(200);
	});

	it('should refuse a NUL in a URL, of the API and of a page', async () => {
		for (const path of [
			`${API}/measurements?indicator=VV%00`,
			'/api/v1/programmes/vleuten%00/kompas',
			`${API}/measurements/1%00`
		]) {
			const res = await json('GET', path);
			expect([path, res.status, res.body.error.code]).toEqual([path, 400, 'invalid_input']);
		}
		for (const path of [`${VV}/metingen?indicator=VV%00`, '/p/vleuten%00/dashboard']) {
			const res = await send('GET', path);
			expect([path, res.status]).toEqual([path, 400]);
			expect(await res.text()).toContain(NUL);
		}
	});

	it('should refuse a NUL in any page form with a Dutch 400, storing nothing', async () => {
		const before = await tableCounts(db);
		const posts: [string, Record<string, string>, boolean?][] = [
			['/login', { email: `${lead.email}\u0000`, password: lead.password }, false],
			[`${VV}/organisaties?/create`, { name: 'Vereniging\u0000', kind: 'club' }],
			[
				`${VV}/metingen/nieuw`,
				{ indicator: 'VV-T1-AANDACHT', region: 'obs-haarzicht', date: '2024-10-02', value: '28', note: 'noot\u0000' }
			],
			[
				`${VV}/acties/nieuw`,
				{
					target: `nextStep:${step}`,
					kind: 'les',
					date: '2024-10-01',
					region: 'obs-haarzicht',
					description: 'Les\u0000'
				}
			],
			[`${VV}/evaluaties/${step}/${phase}?/save`, { story: 'Verhaal\u0000', version: '1' }]
		];
		for (const [path, fields, withCookie] of posts) {
			const res = await form(path, fields, withCookie ?? true);
			expect([path, res.status]).toEqual([path, 400]);
			const text = await res.text();
			expect(text).toContain(NUL);
		}
		expect(await tableCounts(db)).toEqual(before);
		const ok = await form(`${VV}/organisaties?/create`, { name: 'Vereniging', kind: 'club' });
		expect(ok.status).toBe(303); // saved: back to the page, no `?/create` left to post again
		expect((await tableCounts(db)).organisations).toBe(before.organisations + 1);
	});

	it('should refuse an n outside an integer column with 400 and take the largest that fits', async () => {
		const before = await tableCounts(db);
		const refused = await json('POST', `${API}/measurements`, {
			...measurement('groot'),
			date: '2024-10-03',
			n: 2 ** 31
		});
		expect(refused.status).toBe(400);
		expect(refused.body.error.issues).toEqual([
			{ path: 'n', message: `n is hoogstens 2.147.483.647 (niet ${2 ** 31})` }
		]);
		expect(
			(await json('POST', `${API}/measurements`, { ...measurement('groter'), date: '2024-10-03', n: 1e300 })).status
		).toBe(400);
		expect(await tableCounts(db)).toEqual(before);
		const taken = await json('POST', `${API}/measurements`, {
			...measurement('grootst'),
			date: '2024-10-03',
			n: 2 ** 31 - 1
		});
		expect([taken.status, taken.body.n]).toEqual([201, 2 ** 31 - 1]);
	});

	it('should answer ids beyond an integer column in URLs with 404 or 400, never a 500', async () => {
		const answers: [string, string, unknown?][] = [
			['GET', `${API}/measurements/${HUGE}`],
			['PATCH', `${API}/measurements/${HUGE}`, { version: 1, note: 'x' }],
			['POST', `${API}/measurements/${HUGE}/approve`, { version: 1 }],
			['GET', `${API}/actions/${HUGE}`],
			['PATCH', `${API}/actions/${HUGE}`, { version: 1, description: 'x' }],
			['DELETE', `${API}/actions/${HUGE}?version=${HUGE}`],
			['PATCH', `${API}/organisations/${HUGE}`, { version: 1, name: 'x' }],
			['PUT', `${API}/evaluations/${HUGE}/${phase}`, { version: 0 }],
			['PUT', `${API}/evaluations/${step}/${HUGE}`, { version: 0 }],
			['POST', `${API}/evaluations/${HUGE}/finalise`],
			['GET', `${API}/evaluations?phase=${HUGE}`],
			['GET', `${API}/audit?before=${HUGE}`],
			['PUT', `${API}/evaluations/${step}/${phase}`, { version: HUGE }]
		];
		for (const [method, path, body] of answers) {
			const res = await send(method, path, body);
			expect([method, path, [400, 404].includes(res.status)]).toEqual([method, path, true]);
		}
		for (const path of [
			`${VV}/metingen/${HUGE}`,
			`${VV}/acties/${HUGE}`,
			`${VV}/evaluaties/${HUGE}/${phase}`,
			`${VV}/vervolgstappen/${HUGE}`,
			`${VV}/thema/${HUGE}`
		]) {
			const res = await send('GET', path);
			expect([path, res.status]).toEqual([path, 404]);
		}
	});
});
