import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApi } from '../../src/lib/server/api/app.ts';

import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { apiClient, jsonBody, readJson, type Json } from '../helpers/client.ts';
import type { z } from 'zod';
import type { evaluationInputSchema } from '../../src/lib/domain/evaluation.ts';

const VV = '/api/v1/programmes/vleuten-versterkt';
const complete = {
	status: 'op_koers',
	done: 'Twee ouderavonden en een mentorles.',
	story: 'Ouders herkennen de druk; scholen willen door.',
	learnings: 'Vroeg plannen met de scholen.',
	decision: 'voortzetten',
	followUps: [{ description: 'Tweede ouderavond plannen', owner: 'Projectleider', deadline: '2024-11-15' }]
};

describe.each(DIALECTS)('evaluations API on %s', (dialect) => {
	let db: TestDb;
	let api: ReturnType<typeof createApi>;
	let cookie: string;
	let steps: { id: number; code: string }[];
	let phases: { id: number; name: string; schoolYear: string; start: string; end: string; evaluationDate: string }[];
	const call = async (method: string, path: string, body?: unknown) => {
		const res = await api.request(path, {
			method,
			headers: {
				cookie,
				origin: 'http://localhost',
				...(body === undefined ? {} : { 'content-type': 'application/json' })
			},
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		return { status: res.status, body: (await res.json()) as Json };
	};
	/**
	 * The typed client (Hono RPC) for everything the routes declare (finalise and reopen document their
	 * optional bodies without declaring them: jsonBody); `call` stays for what the client would not send: a
	 * body of the wrong type and a JSON content type without a body.
	 */
	const v1 = () => apiClient(api, () => ({ cookie })).api.v1.programmes[':slug'];
	const read = readJson;
	const P = { slug: 'vleuten-versterkt' };
	/** the path of a next step's evaluation in a phase */
	const at = (nextStepId: number | string, phaseId: number | string) => ({
		...P,
		nextStepId: String(nextStepId),
		phaseId: String(phaseId)
	});
	const save = (param: ReturnType<typeof at>, json: z.input<typeof evaluationInputSchema>) =>
		v1().evaluations[':nextStepId'][':phaseId'].$put({ param, json }).then(read);
	const finalise = (id: number, json?: { version?: number }, slug = P.slug) =>
		v1()
			.evaluations[':id'].finalise.$post({ param: { slug, id: String(id) } }, json ? jsonBody(json) : {})
			.then(read);
	const reopen = (id: number, json?: { reason?: string }) =>
		v1()
			.evaluations[':id'].reopen.$post({ param: { ...P, id: String(id) } }, json ? jsonBody(json) : {})
			.then(read);
	const list = (phase?: number | string) =>
		v1()
			.evaluations.$get({ param: P, query: phase === undefined ? {} : { phase: String(phase) } })
			.then(read);
	const phasesNow = () => v1().phases.$get({ param: P }).then(read);
	const phase = (name: string, year = '2024-2025') => phases.find((p) => p.name === name && p.schoolYear === year)!;

	beforeAll(async () => {
		// a fixed today (only Date is faked, timers and I/O run as usual): the phases route adds today's school year
		vi.useFakeTimers({ now: new Date('2026-11-15T10:00:00Z'), toFake: ['Date'] });
		db = await migratedDb(dialect);
		await loadBothPlans(db, { demo: true });
		api = createApi(db);
		cookie = await signIn(
			(p, init) => Promise.resolve(api.request(p, init)),
			await createAccount(db.db, { role: 'lead', programme: 'vleuten-versterkt' })
		);
		const kompas = (await read(await v1().kompas.$get({ param: P }))).body;
		steps = kompas.themes.flatMap((t: any) => t.nextSteps.map((s: any) => ({ id: s.id, code: s.code })));
		phases = (await phasesNow()).body;
	});
	afterAll(async () => {
		vi.useRealTimers();
		await db?.drop();
	});

	it('should list the phases with school year and evaluation date, incl. the current school year from the template', async () => {
		const { status, body } = await phasesNow();
		expect(status).toBe(200);
		expect(Object.keys(body[0]).sort()).toEqual(['end', 'evaluationDate', 'id', 'name', 'schoolYear', 'start']);
		expect(phase('Oktober')).toMatchObject({ start: '2024-10-01', end: '2024-10-31', evaluationDate: '2024-10-31' });
		expect(body.filter((p: any) => p.schoolYear === '2026-2027').map((p: any) => p.name)).toEqual([
			'September',
			'Oktober',
			'November',
			'December',
			'Januari–juni'
		]);
		// asking again creates nothing more
		expect((await phasesNow()).body).toHaveLength(body.length);
	});

	it('should run an evaluation from draft to final (locked) and reopen it', async () => {
		const url = at(steps[0].id, phase('Oktober').id);
		const draft = await save(url, { status: 'aandacht nodig', done: 'Eerste les gegeven.' });
		expect(draft.status).toBe(200);
		expect(draft.body).toMatchObject({
			state: 'draft',
			status: 'aandacht_nodig',
			decision: null,
			nextStepId: steps[0].id,
			version: 1,
			snapshot: null
		});
		const id = draft.body.id;

		const early = await finalise(id);
		expect(early.status).toBe(422);
		expect(early.body.error.code).toBe('incomplete');
		expect(early.body.error.issues.map((i: any) => i.path).sort()).toEqual(['decision', 'story']);

		const updated = await save(url, { ...complete, version: 1 });
		expect(updated.body).toMatchObject({
			id,
			state: 'draft',
			version: 2,
			followUps: [expect.objectContaining({ owner: 'Projectleider', done: false })]
		});

		const final = await finalise(id, {});
		expect(final.status).toBe(200);
		expect(final.body.state).toBe('final');
		expect(final.body.snapshot.asOf).toBe('2024-10-31');
		expect(final.body.snapshot.indicators.length).toBeGreaterThan(0);

		const locked = await save(url, { ...complete, story: 'Anders verteld' });
		expect(locked.status).toBe(409);
		expect(locked.body.error.code).toBe('locked');
		expect((await finalise(id)).status).toBe(409);

		const reopened = await reopen(id, { reason: 'Cijfers van oktober aangevuld' });
		expect(reopened.status).toBe(200);
		expect(reopened.body.state).toBe('draft');
		const audit = await db.db
			.selectFrom('audit_log')
			.selectAll()
			.where('entity', '=', 'evaluation')
			.where('entity_id', '=', id)
			.orderBy('id')
			.execute();
		expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'finalise', 'reopen']);
		expect(JSON.parse(audit[3].after!)).toEqual({ state: 'draft', reason: 'Cijfers van oktober aangevuld' });
		expect(audit[3].user_id).not.toBeNull();
		expect((await reopen(id)).status).toBe(409);
		expect(
			(await save(url, { ...complete, story: 'Aangevuld verhaal', version: reopened.body.version })).body.story
		).toBe('Aangevuld verhaal');
	});

	it('should list evaluations, filtered by phase', async () => {
		await save(at(steps[1].id, phase('November').id), { done: 'Lessen gepland' });
		const all = await list();
		expect(all.status).toBe(200);
		expect(all.body.length).toBeGreaterThanOrEqual(2);
		const november = await list(phase('November').id);
		expect(november.body.map((e: any) => e.nextStepId)).toEqual([steps[1].id]);
		expect((await list('abc')).status).toBe(400);
	});

	it('should refuse an edit based on a stale version, overwriting nothing', async () => {
		const url = at(steps[2].id, phase('Oktober').id);
		const first = await save(url, { done: 'Versie één', version: 0 });
		expect(first.status).toBe(200);
		expect((await save(url, { done: 'Versie twee', version: 1 })).status).toBe(200);
		const stale = await save(url, { done: 'Oude versie', version: 1 });
		expect(stale.status).toBe(409);
		expect(stale.body.error.code).toBe('conflict');
		expect(stale.body.error.message).toMatch(/intussen gewijzigd/);
		expect((await save(url, { done: 'Nieuw?', version: 0 })).status).toBe(409);
		const [stored] = (await list(phase('Oktober').id)).body.filter((e: any) => e.nextStepId === steps[2].id);
		expect(stored.done).toBe('Versie twee');
	});

	it('should require the version for an update of an existing evaluation, and none to create one', async () => {
		const url = at(steps[3].id, phase('November').id);
		const created = await save(url, { done: 'Eerste versie' });
		expect([created.status, created.body.version]).toEqual([200, 1]);
		const missing = await save(url, { done: 'Zonder versie' });
		expect(missing.status).toBe(400);
		expect(missing.body.error).toEqual({
			code: 'invalid_input',
			message: 'Geef de versie mee waarop je wijziging is gebaseerd.',
			issues: [{ path: 'version', message: 'Geef de versie mee waarop je wijziging is gebaseerd.' }]
		});
		expect((await save(url, { done: 'Te grote versie', version: 2 ** 31 })).status).toBe(400);
		const [stored] = (await list(phase('November').id)).body.filter((e: any) => e.nextStepId === steps[3].id);
		expect([stored.done, stored.version]).toEqual(['Eerste versie', 1]);
		expect((await save(url, { done: 'Met versie', version: 1 })).body).toMatchObject({
			done: 'Met versie',
			version: 2
		});
	});

	it('should store one evaluation when the first save arrives several times at once (a double tap)', async () => {
		const url = at(steps[4].id, phase('December').id);
		// version 0 says "new", as the page's form sends it: a repeat finds one stored and is refused (without it, 400 asks for the version)
		const answers = await Promise.all(
			[1, 2, 3, 4].map(() => save(url, { status: 'op koers', done: 'Tegelijk opgeslagen.', version: 0 }))
		);
		for (const a of answers) expect([200, 409], JSON.stringify(a.body)).toContain(a.status);
		expect(answers.some((a) => a.status === 200)).toBe(true);
		const rows = await db.db
			.selectFrom('evaluations')
			.select('id')
			.where('next_step_id', '=', steps[4].id)
			.where('phase_id', '=', phase('December').id)
			.execute();
		expect(rows).toHaveLength(1);
	});

	it('should refuse bad input with 400 and the issues', async () => {
		const url = at(steps[3].id, phase('Oktober').id);
		const bad = await save(url, {
			status: 'prima',
			followUps: [{ description: 'x', owner: '', deadline: '2024-13-01' }]
		});
		expect(bad.status).toBe(400);
		expect(bad.body.error.code).toBe('invalid_input');
		expect(bad.body.error.issues.map((i: any) => i.path).sort()).toEqual([
			'followUps.0.deadline',
			'followUps.0.owner',
			'status'
		]);
		expect((await save(at('x', 1), {})).status).toBe(400);
		const draft = (await save(url, complete)).body;
		expect((await call('POST', `${VV}/evaluations/${draft.id}/finalise`, { version: 'x' })).status).toBe(400);
		const empty = await api.request(`${VV}/evaluations/${draft.id}/finalise`, {
			method: 'POST',
			headers: { cookie, origin: 'http://localhost', 'content-type': 'application/json' }
		});
		expect(empty.status).toBe(200);
	});

	it("should answer another programme's next step, phase or evaluation with 404", async () => {
		const zkl = await db.db
			.selectFrom('programmes')
			.select('id')
			.where('slug', '=', 'zkl-onder-druk')
			.executeTakeFirstOrThrow();
		const zklStep = (
			await db.db.selectFrom('next_steps').select('id').where('programme_id', '=', zkl.id).executeTakeFirstOrThrow()
		).id;
		expect((await save(at(zklStep, phase('Oktober').id), {})).status).toBe(404);
		const zklPhase = (
			await db.db.selectFrom('phases').select('id').where('programme_id', '=', zkl.id).executeTakeFirstOrThrow()
		).id;
		expect((await save(at(steps[0].id, zklPhase), {})).status).toBe(404);
		const own = (await save(at(steps[4].id, phase('Oktober').id), complete)).body.id;
		expect((await finalise(own, undefined, 'zkl-onder-druk')).status).toBe(404);
		expect((await finalise(999999)).status).toBe(404);
	});
});
