import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../src/lib/server/api/app.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { expectEvery } from '../helpers/expect-every.ts';
import { apiClient, readJson } from '../helpers/client.ts';

const read = readJson;

describe.each(DIALECTS)('JSON API on %s', (dialect) => {
	let db: TestDb;
	let api: ReturnType<typeof createApi>;
	let cookie: string;
	/** The typed client (Hono RPC): every call below is checked against the routes' declarations. */
	const v1 = () => apiClient(api, () => ({ cookie })).api.v1;
	const bySlug = () => v1().programmes[':slug'];
	const kompasOf = async (slug: string) => (await read(await bySlug().kompas.$get({ param: { slug } }))).body;
	const measurementsOf = (slug: string, code: string, region?: string) =>
		bySlug()
			.indicators[':code'].measurements.$get({ param: { slug, code }, query: region === undefined ? {} : { region } })
			.then(read);

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db, { demo: true });
		api = createApi(db);
		cookie = await signIn((p, init) => Promise.resolve(api.request(p, init)), await createAccount(db.db, 'admin'));
	});
	afterAll(async () => db?.drop());

	it('should report health and the dialect', async () => {
		expect(await read(await v1().health.$get())).toEqual({ status: 200, body: { status: 'ok', database: dialect } });
	});

	it('should list the programmes with their region trees', async () => {
		const { status, body } = await read(await v1().programmes.$get());
		expect(status).toBe(200);
		expect(body.map((p: any) => p.slug).sort()).toEqual(['vleuten-versterkt', 'zkl-onder-druk']);
		const vv = body.find((p: any) => p.slug === 'vleuten-versterkt');
		expect(vv.regions).toContainEqual({ slug: 'utrecht', name: 'Utrecht', parent: null });
		expect(vv.regions).toContainEqual(expect.objectContaining({ slug: 'vleuten-de-meern', parent: 'utrecht' }));
	});

	it('should return the whole kompas with indicators on every node', async () => {
		const { status, body } = await read(await bySlug().kompas.$get({ param: { slug: 'vleuten-versterkt' } }));
		expect(status).toBe(200);
		expect(body.programme.slug).toBe('vleuten-versterkt');
		expect(body.themes).toHaveLength(5);
		const solutions = body.themes.map((t: any) => t.nextSteps[0].solutions.map((s: any) => s.title));
		expect(solutions[0]).toEqual(['Stappenplan']);
		expect(solutions[4]).toEqual(['Kernpartneraanpak', 'Sociaal netwerk', 'Positionering', 'Verhelderingsgesprek']);
		const nodes = [
			...body.ambitions,
			...body.outcomes,
			...body.themes.flatMap((t: any) => [t, ...t.nextSteps.flatMap((s: any) => [s, ...s.solutions])])
		];
		for (const n of nodes) {
			expect(n).toHaveProperty('id');
			expect(n).toHaveProperty('title');
			expect(n.indicators.length).toBeGreaterThan(0);
			for (const i of n.indicators)
				for (const key of ['code', 'name', 'unit', 'direction', 'baseline', 'target', 'demo', 'derived'])
					expect(i).toHaveProperty(key);
		}
		// an indicator counted from the action log says how; a measured one says null
		const indicators = new Map(nodes.flatMap((n: any) => n.indicators).map((i: any) => [i.code, i]));
		expect(indicators.get('VV-T2-S1-BEREIK').derived).toEqual({
			measure: 'reached',
			targetGroup: 'jongeren',
			kinds: ['les']
		});
		expect(indicators.get('VV-T1-S1-BEREIK-PROF').derived).toEqual({
			measure: 'reached',
			targetGroup: 'professionals'
		});
		expect(indicators.get('VV-T1-AANDACHT').derived).toBeNull();
	});

	it('should return measurements of an indicator, filterable by region', async () => {
		const kompas = await kompasOf('vleuten-versterkt');
		const indicator = kompas.themes
			.flatMap((t: any) => t.indicators)
			.find((i: any) => i.unit !== 'text' && !i.derived && i.target);
		const all = await measurementsOf('vleuten-versterkt', indicator.code);
		expect(all.status).toBe(200);
		expect(all.body.length).toBeGreaterThan(0);
		const m = all.body[0];
		expect(Object.keys(m).sort()).toEqual(
			['date', 'demo', 'id', 'indicator', 'n', 'note', 'pollId', 'region', 'source', 'status', 'text', 'value'].sort()
		);
		expect(m.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		expect(m.demo).toBe(true);
		expect(m.pollId).toBeNull();
		// a value in a second region: each filter then returns exactly its own region's values
		const other = m.region === 'utrecht' ? 'vleuten-de-meern' : 'utrecht';
		const posted = await bySlug().measurements.$post({
			param: { slug: 'vleuten-versterkt' },
			json: {
				indicator: indicator.code,
				region: other,
				date: '2025-03-01',
				value: indicator.unit === 'percent' ? 40 : 4
			}
		});
		expect(posted.status).toBe(201);
		const values = (await measurementsOf('vleuten-versterkt', indicator.code)).body;
		for (const region of [m.region, other]) {
			const here = await measurementsOf('vleuten-versterkt', indicator.code, region);
			expectEvery(here.body, (x: any) => x.region === region, `values of ${region}`);
			expect(here.body.length).toBe(values.filter((x: any) => x.region === region).length);
		}
	});

	it('should answer unknown things with a 404 error body', async () => {
		const answers = {
			'/programmes/bestaat-niet/kompas': await read(await bySlug().kompas.$get({ param: { slug: 'bestaat-niet' } })),
			'/programmes/vleuten-versterkt/indicators/NOPE/measurements': await measurementsOf('vleuten-versterkt', 'NOPE'),
			// a route that does not exist has no typed call
			'/nergens': await read(await api.request('/api/v1/nergens', { headers: { cookie } }))
		};
		for (const [path, answer] of Object.entries(answers)) {
			const { status, body } = answer;
			expect(status, path).toBe(404);
			expect(body.error.code).toBe('not_found');
			expect(typeof body.error.message).toBe('string');
		}
	});

	it('should word validation failures in Dutch, in the one error shape, keeping messages written on the schema', async () => {
		type Refusal = {
			status: number;
			body: { error: { code: string; message: string; issues: { path: string; message: string }[] } };
		};
		const slug = 'vleuten-versterkt';
		const measurement = {
			indicator: 'VV-T1-AANDACHT',
			region: 'obs-haarzicht',
			date: '2024-10-15',
			value: '28',
			colour: 'blauw'
		};
		// @ts-expect-error the typed client refuses text for a number and an unknown field; the server must too
		const posted: Refusal = await read(await bySlug().measurements.$post({ param: { slug }, json: measurement }));
		expect(posted).toEqual({
			status: 400,
			body: {
				error: {
					code: 'invalid_input',
					message: 'Ongeldige invoer',
					issues: [
						{ path: 'value', message: 'verwacht een getal, niet tekst' },
						{ path: '', message: 'onbekend veld: colour' }
					]
				}
			}
		});
		// input a service parses itself (organisations, actions) is worded the same way; its body is not typed, so sent as is
		const org: Refusal = await read(
			await bySlug().organisations.$post(
				{ param: { slug } },
				{
					headers: { 'content-type': 'application/json' },
					init: { body: JSON.stringify({ name: 'Scouting', kind: 'club', region: 3 }) }
				}
			)
		);
		expect(org.status).toBe(400);
		expect(org.body.error.issues).toEqual([{ path: 'region', message: 'verwacht tekst, niet 3' }]);
		// a status outside the enum does not compile; the server refuses it too
		const badQuery = { limit: 'veel', status: 'klaar', from: '1-9-2024' };
		// @ts-expect-error 'klaar' is no measurement status
		const query = await read(await bySlug().measurements.$get({ param: { slug }, query: badQuery }));
		expect(query.status).toBe(400);
		expect(Object.fromEntries(query.body.error.issues.map((i: any) => [i.path, i.message]))).toEqual({
			limit: 'verwacht een getal',
			status: 'kies uit "submitted", "approved", "returned"',
			from: 'verwacht een datum als JJJJ-MM-DD'
		});
		const tooLong = await read(await bySlug().measurements.$get({ param: { slug }, query: { limit: '501' } }));
		expect(tooLong.body.error.issues).toEqual([{ path: 'limit', message: 'hoogstens 500' }]);
	});

	it('should answer a bad query with 400 and the issues', async () => {
		const kompas = await kompasOf('zkl-onder-druk');
		const code = kompas.ambitions[0].indicators[0].code;
		const { status, body } = await measurementsOf('zkl-onder-druk', code, 'vleuten-de-meern');
		expect(status).toBe(400);
		expect(body.error.code).toBe('invalid_input');
		expect(body.error.issues[0].path).toBe('region');
	});
});
