import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApi } from '../../src/lib/server/api/app.ts';

import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { createAccount, signIn, type Account } from '../helpers/accounts.ts';
import { expectEvery } from '../helpers/expect-every.ts';
import { apiClient, jsonBody, type Json } from '../helpers/client.ts';
import type { InferRequestType } from 'hono/client';

const VV = '/api/v1/programmes/vleuten-versterkt';

describe.each(DIALECTS)('action log API on %s', (dialect) => {
	let db: TestDb;
	let api: ReturnType<typeof createApi>;
	const cookies: Record<string, string> = {};
	const accounts: Record<string, Account> = {};
	let ids: { theater: number; gesprek: number; step3: number; zklStep: number; haarzicht: number };

	const call = async (
		who: string,
		method: string,
		path: string,
		body?: unknown,
		headers: Record<string, string> = {}
	) => {
		const res = await api.request(path, {
			method,
			headers: { cookie: cookies[who], origin: 'http://localhost', 'content-type': 'application/json', ...headers },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		const text = await res.text();
		return { status: res.status, body: text ? (JSON.parse(text) as Json) : null };
	};
	/**
	 * The typed client (Hono RPC) as `who`: paths, parameters, queries and headers are checked. `call` stays for
	 * the filter test's query strings, a loop over methods and the other resources' unknown ids.
	 */
	const as = (who: string) => apiClient(api, () => ({ cookie: cookies[who] })).api.v1.programmes[':slug'];
	const P = { slug: 'vleuten-versterkt' };
	const at = (id: number | string) => ({ ...P, id: String(id) });
	const read = async (res: { status: number; text(): Promise<string> }) => {
		const text = await res.text();
		return { status: res.status, body: text ? (JSON.parse(text) as Json) : null };
	};
	type Client = ReturnType<typeof as>;
	// the actions' and organisations' bodies are checked by their services (Dutch messages): sent as JSON as is
	const post = (who: string, json: unknown, header: { 'idempotency-key'?: string } = {}) =>
		as(who).actions.$post({ param: P, header }, jsonBody(json)).then(read);
	const get = (who: string, id: number | string) =>
		as(who)
			.actions[':id'].$get({ param: at(id) })
			.then(read);
	const patch = (who: string, id: number | string, json: unknown) =>
		as(who)
			.actions[':id'].$patch({ param: at(id) }, jsonBody(json))
			.then(read);
	const remove = (who: string, id: number | string, query: { version?: string } = {}) =>
		as(who)
			.actions[':id'].$delete({ param: at(id), query })
			.then(read);
	const list = (who: string, query: InferRequestType<Client['actions']['$get']>['query']) =>
		as(who).actions.$get({ param: P, query }).then(read);
	const organisations = (who: string) => as(who).organisations.$get({ param: P, query: {} }).then(read);
	const addOrganisation = (who: string, json: unknown) =>
		as(who).organisations.$post({ param: P }, jsonBody(json)).then(read);
	const patchOrganisation = (who: string, id: number | string, json: unknown) =>
		as(who)
			.organisations[':id'].$patch({ param: at(id) }, jsonBody(json))
			.then(read);

	const parentEvening = (over: Record<string, unknown> = {}) => ({
		date: '2024-11-12',
		solution: ids.theater,
		kind: 'bijeenkomst',
		organisation: ids.haarzicht,
		region: 'obs-haarzicht',
		reached: { jongeren: 0, ouders: 40, professionals: 2 },
		description: 'Ouderavond over prestatiedruk met theatervoorstelling',
		quote: 'Ik herkende mezelf in de moeder op het toneel.',
		quotePublic: true,
		...over
	});

	beforeAll(async () => {
		// a fixed today (only Date is faked): "not after today" means the same on any date
		vi.useFakeTimers({ now: new Date('2026-11-15T10:00:00Z'), toFake: ['Date'] });
		db = await migratedDb(dialect);
		await loadBothPlans(db);
		api = createApi(db);
		const fetcher = (p: string, init: RequestInit) => Promise.resolve(api.request(p, init));
		for (const [who, spec] of [
			['aanjager', { role: 'aanjager', programme: 'vleuten-versterkt' }],
			['aanjager2', { role: 'aanjager', programme: 'vleuten-versterkt' }],
			['lead', { role: 'lead', programme: 'vleuten-versterkt' }],
			['funder', { role: 'funder', programme: 'vleuten-versterkt' }],
			['otherLead', { role: 'lead', programme: 'zkl-onder-druk' }],
			['admin', 'admin']
		] as const) {
			accounts[who] = await createAccount(db.db, spec);
			cookies[who] = await signIn(fetcher, accounts[who]);
		}
		const kompas = await read(await as('admin').kompas.$get({ param: P })).then((r) => r.body);
		const zkl = (await read(await as('admin').kompas.$get({ param: { slug: 'zkl-onder-druk' } }))).body;
		const orgs = (await organisations('aanjager')).body;
		ids = {
			theater: kompas.themes[2].nextSteps[0].solutions[0].id,
			gesprek: kompas.themes[3].nextSteps[0].solutions[0].id,
			step3: kompas.themes[2].nextSteps[0].id,
			zklStep: zkl.themes[0].nextSteps[0].id,
			haarzicht: orgs.find((o: any) => o.name === 'OBS Haarzicht').id
		};
	});
	afterAll(async () => {
		vi.useRealTimers();
		await db?.drop();
	});

	it('should list the organisations the plan names', async () => {
		const { status, body } = await organisations('funder');
		expect(status).toBe(200);
		expect(body.map((o: any) => o.name)).toEqual(
			expect.arrayContaining(['OBS Haarzicht', 'Buurtteam Vleuten-De Meern', 'Hockeyclub Fletiomare'])
		);
		expect(body.find((o: any) => o.name === 'OBS Haarzicht').region).toEqual({
			slug: 'obs-haarzicht',
			name: 'OBS Haarzicht'
		});
	});

	it('should store a logged action and answer 201 with it, audited', async () => {
		const { status, body } = await post('aanjager', parentEvening());
		expect(status).toBe(201);
		expect(body).toMatchObject({
			date: '2024-11-12',
			kind: 'bijeenkomst',
			solution: { id: ids.theater, title: 'Theater' },
			nextStep: { id: ids.step3 },
			theme: { number: 3 },
			organisation: { name: 'OBS Haarzicht' },
			region: { slug: 'obs-haarzicht' },
			reached: { jongeren: 0, ouders: 40, professionals: 2 },
			quotePublic: true,
			author: { id: accounts.aanjager.id },
			mayEdit: true,
			version: 1
		});
		const audit = await db.db
			.selectFrom('audit_log')
			.selectAll()
			.where('entity', '=', 'action')
			.where('entity_id', '=', body.id)
			.execute();
		expect(audit.map((a) => a.action)).toEqual(['create']);
		expect(JSON.parse(audit[0].after!).reached.ouders).toBe(40);
	});

	it('should take the region of the organisation when none is given', async () => {
		const { status, body } = await post('aanjager', parentEvening({ region: undefined, date: '2024-11-13' }));
		expect(status).toBe(201);
		expect(body.region.slug).toBe('obs-haarzicht');
	});

	it('should refuse negative counts, future dates, unknown solutions and steps of another programme', async () => {
		const cases: [Record<string, unknown>, string][] = [
			[{ reached: { jongeren: -1, ouders: 40, professionals: 0 } }, 'reached.jongeren'],
			[{ reached: { jongeren: 1.5, ouders: 40, professionals: 0 } }, 'reached.jongeren'],
			[{ date: '2026-11-16' }, 'date'],
			[{ date: '2024-02-30' }, 'date'],
			[{ date: '2019-01-01' }, 'date'],
			[{ solution: 999999 }, 'solution'],
			[{ solution: undefined, nextStep: ids.zklStep }, 'nextStep'],
			[{ solution: undefined }, 'nextStep'],
			[{ nextStep: ids.step3, solution: ids.gesprek }, 'solution'],
			[{ region: 'haarlem-centrum' }, 'region'],
			[{ organisation: 999999 }, 'organisation'],
			[{ kind: 'feest' }, 'kind'],
			[{ description: '   ' }, 'description']
		];
		const before = await count();
		for (const [over, path] of cases) {
			const { status, body } = await post('aanjager', parentEvening(over));
			expect(status, JSON.stringify(over)).toBe(400);
			expect(body.error.code).toBe('invalid_input');
			expect(
				body.error.issues.map((i: any) => i.path),
				JSON.stringify(over)
			).toContain(path);
		}
		expect(await count()).toBe(before);
	});

	const count = async () =>
		Number(
			(
				await db.db
					.selectFrom('actions')
					.select((eb) => eb.fn.countAll().as('n'))
					.executeTakeFirstOrThrow()
			).n
		);

	it('should never create a duplicate for a resubmission with the same idempotency key', async () => {
		const key = { 'idempotency-key': 'form-7f3a9c1e-resend' };
		const first = await post('aanjager', parentEvening({ date: '2024-11-14' }), key);
		expect(first.status).toBe(201);
		const before = await count();
		const again = await post('aanjager', parentEvening({ date: '2024-11-14' }), key);
		expect(again.status).toBe(200);
		expect(again.body.id).toBe(first.body.id);
		const racing = await Promise.all(
			[1, 2, 3].map(() =>
				post('aanjager', parentEvening({ date: '2024-11-15' }), {
					'idempotency-key': 'form-race-0001'
				})
			)
		);
		expect(new Set(racing.map((r) => r.body.id)).size).toBe(1);
		expect(racing.map((r) => r.status).sort()).toEqual([200, 200, 201]);
		expect(await count()).toBe(before + 1);
	});

	it('should refuse a key used by someone else, and a key whose action was deleted', async () => {
		const key = { 'idempotency-key': 'form-owned-by-aanjager' };
		const mine = await post('aanjager', parentEvening(), key);
		expect((await post('aanjager2', parentEvening(), key)).status).toBe(409);
		expect((await remove('aanjager', mine.body.id)).status).toBe(204);
		expect((await post('aanjager', parentEvening(), key)).status).toBe(409);
		expect((await get('aanjager', mine.body.id)).status).toBe(404);
	});

	it('should let aanjagers edit only their own actions and leads all of them', async () => {
		const { body: own } = await post('aanjager', parentEvening());
		const change = { version: own.version, reached: { ouders: 41 } };
		const other = await patch('aanjager2', own.id, change);
		expect(other.status).toBe(403);
		expect((await remove('aanjager2', own.id)).status).toBe(403);
		expect((await patch('funder', own.id, change)).status).toBe(403);
		expect((await patch('otherLead', own.id, change)).status).toBe(404);
		expect((await get('aanjager2', own.id)).body.mayEdit).toBe(false);

		const edited = await patch('aanjager', own.id, change);
		expect(edited.status).toBe(200);
		expect(edited.body).toMatchObject({ reached: { jongeren: 0, ouders: 41, professionals: 2 }, version: 2 });
		const byLead = await patch('lead', own.id, { version: 2, kind: 'sessie' });
		expect(byLead.status).toBe(200);
		expect(byLead.body.kind).toBe('sessie');
		const audit = await db.db
			.selectFrom('audit_log')
			.selectAll()
			.where('entity', '=', 'action')
			.where('entity_id', '=', own.id)
			.orderBy('id')
			.execute();
		expect(audit.map((a) => [a.action, a.user_id])).toEqual([
			['create', accounts.aanjager.id],
			['update', accounts.aanjager.id],
			['update', accounts.lead.id]
		]);
		expect(JSON.parse(audit[2].before!).kind).toBe('bijeenkomst');
	});

	it('should refuse a change based on a stale version, overwriting nothing', async () => {
		const { body: a } = await post('aanjager', parentEvening());
		await patch('lead', a.id, {
			version: 1,
			description: 'Aangepast door de projectleider'
		});
		const stale = await patch('aanjager', a.id, { version: 1, description: 'Mijn versie' });
		expect(stale.status).toBe(409);
		expect(stale.body.error.code).toBe('conflict');
		expect((await get('aanjager', a.id)).body.description).toBe('Aangepast door de projectleider');
		expect((await remove('aanjager', a.id, { version: '1' })).status).toBe(409);
	});

	it('should answer 404 for an action of another programme', async () => {
		const { body: a } = await post('aanjager', parentEvening());
		for (const method of ['GET', 'PATCH', 'DELETE'])
			expect(
				(
					await call(
						'admin',
						method,
						`/api/v1/programmes/zkl-onder-druk/actions/${a.id}`,
						method === 'PATCH' ? { version: 1 } : undefined
					)
				).status
			).toBe(404);
		expect((await get('admin', 'abc')).status).toBe(404);
	});

	it('should filter the list by date, theme, solution, region, organisation and author', async () => {
		await post(
			'aanjager2',
			parentEvening({
				date: '2024-10-02',
				solution: ids.gesprek,
				organisation: null,
				region: 'amadeus-lyceum',
				quote: null
			})
		);
		const filtered = async (q: string) => (await call('funder', 'GET', `${VV}/actions?${q}`)).body as Json[];
		const all = await filtered('');
		expect(all.map((a) => a.date)).toEqual([...all.map((a) => a.date)].sort().reverse());
		// each filter returns exactly the actions that match it; the whole list holds others too, so a filter
		// that is ignored fails as surely as one that returns nothing
		const expectFilter = async (query: string, matches: (a: any) => boolean) => {
			expect(
				all.some((a) => !matches(a)),
				`the list holds actions outside ${query}`
			).toBe(true);
			const got = await filtered(query);
			expectEvery(got, matches, query);
			expect(got.map((a) => a.id).sort(), query).toEqual(
				all
					.filter(matches)
					.map((a) => a.id)
					.sort()
			);
		};
		await expectFilter('from=2024-10-01&to=2024-10-31', (a) => a.date >= '2024-10-01' && a.date <= '2024-10-31');
		await expectFilter(`solution=${ids.gesprek}`, (a) => a.solution.id === ids.gesprek);
		const gesprekTheme = all.find((a) => a.solution.id === ids.gesprek).theme.id;
		await expectFilter(`theme=${gesprekTheme}`, (a) => a.theme.id === gesprekTheme);
		await expectFilter('region=amadeus-lyceum', (a) => a.region.slug === 'amadeus-lyceum');
		await expectFilter(`organisation=${ids.haarzicht}`, (a) => a.organisation?.name === 'OBS Haarzicht');
		await expectFilter(`author=${accounts.aanjager2.id}`, (a) => a.author.id === accounts.aanjager2.id);
		expect((await list('funder', { from: 'gisteren' })).status).toBe(400);
	});

	it('should hide quotes not marked shareable from funders', async () => {
		const { body: a } = await post(
			'aanjager',
			parentEvening({ quote: 'Alleen voor intern gebruik', quotePublic: false })
		);
		expect((await get('lead', a.id)).body.quote).toBe('Alleen voor intern gebruik');
		expect((await get('funder', a.id)).body.quote).toBeNull();
	});

	it('should refuse logging to funders and to callers of another programme', async () => {
		expect((await post('funder', parentEvening())).status).toBe(403);
		expect((await post('otherLead', parentEvening())).status).toBe(404);
		expect((await list('otherLead', {})).status).toBe(404);
	});

	it('should let leads maintain the organisations, and archived ones are no longer offered', async () => {
		expect((await addOrganisation('aanjager', { name: 'Scouting Vleuten', kind: 'club' })).status).toBe(403);
		const created = await addOrganisation('lead', {
			name: 'Scouting Vleuten',
			kind: 'club',
			region: 'vleuten-de-meern'
		});
		expect(created.status).toBe(201);
		expect((await addOrganisation('lead', { name: 'Scouting Vleuten', kind: 'club' })).status).toBe(400);
		const archived = await patchOrganisation('lead', created.body.id, {
			version: 1,
			archived: true
		});
		expect(archived.body).toMatchObject({ archived: true, version: 2 });
		expect((await patchOrganisation('lead', created.body.id, { version: 1, name: 'X' })).status).toBe(409);
		expect((await organisations('aanjager')).body.map((o: any) => o.name)).not.toContain('Scouting Vleuten');
		expect((await post('aanjager', parentEvening({ organisation: created.body.id }))).status).toBe(400);
		const audit = await db.db
			.selectFrom('audit_log')
			.select('action')
			.where('entity', '=', 'organisation')
			.where('entity_id', '=', created.body.id)
			.execute();
		expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
	});

	it('should answer ids and versions beyond the database’s range as unknown or invalid, never with a 500', async () => {
		const huge = 3_000_000_000;
		const answers = [
			await post('aanjager', parentEvening({ solution: huge })),
			await post('aanjager', parentEvening({ solution: undefined, nextStep: huge })),
			await post('aanjager', parentEvening({ organisation: huge })),
			await list('aanjager', { author: String(huge) }),
			await list('aanjager', { theme: String(huge) }),
			await get('aanjager', huge),
			await patch('aanjager', huge, { version: 1, description: 'x' }),
			await patchOrganisation('lead', huge, { version: 1, name: 'x' }),
			await as('lead')
				.measurements[':id'].$get({ param: at(huge) })
				.then(read),
			await as('lead')
				.evaluations[':id'].finalise.$post({ param: at(huge) }, jsonBody({}))
				.then(read)
		];
		for (const a of answers) expect([400, 404], JSON.stringify(a.body)).toContain(a.status);
		const mine = await post('aanjager', parentEvening({ quote: null }));
		const stale = await patch('aanjager', mine.body.id, { version: huge, description: 'x' });
		expect(stale.status).toBe(400);
		expect(stale.body.error.issues[0].path).toBe('version');
	});
});
