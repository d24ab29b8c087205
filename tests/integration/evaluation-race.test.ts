import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { bodyOf, serverClient, type Json } from '../helpers/client.ts';

/**
 * An update of an evaluation names the version it is based on, like every other edit: of simultaneous
 * updates on one version exactly one wins on both databases (before, SQLite let the last write win).
 * Real parallel HTTP requests against the built server.
 */
describe.each(DIALECTS)('simultaneous evaluation updates over HTTP on %s', (dialect) => {
	let db: TestDb;
	let server: RunningServer;
	let cookie: string;
	let steps: number[];
	let phase: number;
	/** The typed client (Hono RPC) over HTTP: path, parameters and the evaluation body are checked. */
	const vv = () => serverClient(server.url, () => ({ cookie })).api.v1.programmes[':slug'];
	const P = { slug: 'vleuten-versterkt' };
	const put = async (step: number, json: { done: string; version?: number }) => {
		const res = await vv().evaluations[':nextStepId'][':phaseId'].$put({
			param: { ...P, nextStepId: String(step), phaseId: String(phase) },
			json
		});
		return { status: res.status, body: (await res.json()) as Json };
	};
	const stored = (step: number) =>
		db.db.selectFrom('evaluations').select(['id', 'done', 'version']).where('next_step_id', '=', step).execute();

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db);
		server = await startServer({ DATABASE_URL: db.url, SEED_ON_EMPTY: 'false' });
		cookie = await signIn(
			(p, init) => fetch(server.url + p, init),
			await createAccount(db.db, { role: 'lead', programme: 'vleuten-versterkt' })
		);
		const phases = (await bodyOf(await vv().phases.$get({ param: P }), 200)) as { id: number }[];
		expect(phases.length).toBeGreaterThan(0);
		phase = phases[0].id;
		const programme = await db.db
			.selectFrom('programmes')
			.select('id')
			.where('slug', '=', 'vleuten-versterkt')
			.executeTakeFirstOrThrow();
		steps = (
			await db.db
				.selectFrom('next_steps')
				.select('id')
				.where('programme_id', '=', programme.id)
				.orderBy('id')
				.limit(2)
				.execute()
		).map((s) => s.id);
		expect(steps).toHaveLength(2);
	});
	afterAll(async () => {
		await server?.stop();
		await db?.drop();
	});

	it('should let exactly one of 20 simultaneous updates on the same version win', async () => {
		expect((await put(steps[0], { done: 'Eerste versie', version: 0 })).body.version).toBe(1);
		const answers = await Promise.all(
			Array.from({ length: 20 }, (_, i) => put(steps[0], { done: `Bewerking ${i}`, version: 1 }))
		);
		const statuses = answers.map((a) => a.status);
		expect(statuses.filter((s) => s === 200)).toHaveLength(1);
		expect(statuses.filter((s) => s === 409)).toHaveLength(19);
		const winner = answers.find((a) => a.status === 200)!.body;
		expect(answers.filter((a) => a.status === 409).every((a) => a.body.error.code === 'conflict')).toBe(true);
		const rows = await stored(steps[0]);
		expect(rows).toEqual([{ id: winner.id, done: winner.done, version: 2 }]);
		const audit = await db.db
			.selectFrom('audit_log')
			.select('action')
			.where('entity', '=', 'evaluation')
			.where('entity_id', '=', winner.id)
			.orderBy('id')
			.execute();
		expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
	});

	it('should refuse every simultaneous update without a version, changing nothing', async () => {
		expect((await put(steps[1], { done: 'Eerste versie' })).status).toBe(200);
		const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => put(steps[1], { done: `Bewerking ${i}` })));
		expect(answers.map((a) => a.status)).toEqual(Array(20).fill(400));
		expect(answers[0].body.error.issues).toEqual([
			{ path: 'version', message: 'Geef de versie mee waarop je wijziging is gebaseerd.' }
		]);
		// the page's form, sent without its hidden version field, is refused the same way
		const page = await fetch(`${server.url}/p/vleuten-versterkt/evaluaties/${steps[1]}/${phase}?/save`, {
			method: 'POST',
			headers: { cookie, origin: server.url, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
			body: new URLSearchParams({ done: 'Via de pagina' }).toString()
		});
		expect(page.status).toBe(400);
		expect(await page.text()).toContain('Geef de versie mee waarop je wijziging is gebaseerd.');
		const rows = await stored(steps[1]);
		expect(rows.map((r) => [r.done, r.version])).toEqual([['Eerste versie', 1]]);
		const saved = await fetch(`${server.url}/p/vleuten-versterkt/evaluaties/${steps[1]}/${phase}?/save`, {
			method: 'POST',
			headers: { cookie, origin: server.url, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
			body: new URLSearchParams({ done: 'Via de pagina', version: '1' }).toString(),
			redirect: 'manual'
		});
		expect(saved.status).toBe(303);
		expect(saved.headers.get('location')).toBe(`/p/vleuten-versterkt/evaluaties/${steps[1]}/${phase}`);
		expect((await stored(steps[1])).map((r) => [r.done, r.version])).toEqual([['Via de pagina', 2]]);
	});
});
