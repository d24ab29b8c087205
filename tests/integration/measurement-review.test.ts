import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson } from '../helpers/client.ts';
import { createApi } from '../../src/lib/server/api/app.ts';
import type { Actor } from '../../src/lib/domain/permissions.ts';
import type { Programme } from '../../src/lib/server/db/schema.ts';
import { dueList } from '../../src/lib/server/services/due.service.ts';
import { attentionFor, reviewCards } from '../../src/lib/server/services/measurement-review.service.ts';
import { createAccount, signIn, type Account } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';

/**
 * The lead's attention list and review with context: what waits for whom (one query), the review cards with
 * their history in a fixed number of queries, and bulk review — all or nothing, each audited, a stale one named.
 */
const VV = '/api/v1/programmes/vleuten-versterkt';
const CODE = 'VV-T1-AANDACHT';
type Who = 'lead' | 'aanjager' | 'aanjager2' | 'funder';

describe.each(DIALECTS)('review of submitted measurements on %s', (dialect) => {
	let db: TestDb;
	let api: ReturnType<typeof createApi>;
	let programme: Programme;
	let queries = 0;
	const accounts = {} as Record<Who, Account>;
	const cookies = {} as Record<Who, string>;
	const actor = (who: Who, role: 'lead' | 'aanjager' | 'funder'): Actor => ({
		userId: accounts[who].id,
		name: who,
		email: accounts[who].email,
		isAdmin: false,
		roles: { [programme.id]: role },
		via: 'session'
	});
	const call = async (who: Who, method: string, path: string, json?: unknown) => {
		const res = await api.request(VV + path, {
			method,
			headers: { cookie: cookies[who], origin: 'http://localhost', 'content-type': 'application/json' },
			body: json === undefined ? undefined : JSON.stringify(json)
		});
		return readJson(res);
	};
	const submit = async (who: Who, region: string, date: string, value: number) => {
		const r = await call(who, 'POST', '/measurements', { indicator: CODE, region, date, value });
		expect(r.status, JSON.stringify(r.body)).toBe(201);
		return r.body as { id: number; version: number; status: string };
	};
	const bulk = (who: Who, body: unknown) => call(who, 'POST', '/measurements/review', body);
	const statusOf = async (id: number) =>
		(await db.db.selectFrom('measurements').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
	const audits = (ids: number[]) =>
		db.db
			.selectFrom('audit_log')
			.select(['entity_id', 'action', 'user_id', 'after'])
			.where('entity', '=', 'measurement')
			.where('entity_id', 'in', ids)
			.where('action', 'in', ['approve', 'return'])
			.orderBy('id')
			.execute();

	beforeAll(async () => {
		db = await migratedDb(dialect, { onQuery: () => queries++ });
		await loadBothPlans(db, { demo: true });
		programme = await db.db
			.selectFrom('programmes')
			.selectAll()
			.where('slug', '=', 'vleuten-versterkt')
			.executeTakeFirstOrThrow();
		// this indicator's history is the test's own
		const indicator = await db.db
			.selectFrom('indicators')
			.select('id')
			.where('code', '=', CODE)
			.executeTakeFirstOrThrow();
		await db.db.deleteFrom('measurements').where('indicator_id', '=', indicator.id).execute();
		api = createApi(db);
		const fetcher = (p: string, init: RequestInit) => Promise.resolve(api.request(p, init));
		const roles: Record<Who, 'lead' | 'aanjager' | 'funder'> = {
			lead: 'lead',
			aanjager: 'aanjager',
			aanjager2: 'aanjager',
			funder: 'funder'
		};
		for (const who of Object.keys(roles) as Who[]) {
			accounts[who] = await createAccount(db.db, { role: roles[who], programme: 'vleuten-versterkt' });
			cookies[who] = await signIn(fetcher, accounts[who]);
		}
	});
	afterAll(async () => db?.drop());

	it('should show each card with the previous value, baseline, target, history and an outlier flag, in a fixed number of queries', async () => {
		await submit('lead', 'obs-haarzicht', '2021-10-01', 30);
		await submit('lead', 'obs-haarzicht', '2022-10-01', 34);
		await submit('lead', 'obs-haarzicht', '2025-10-01', 20); // after the submitted one: not its history
		const odd = await submit('aanjager', 'obs-haarzicht', '2023-10-01', 60);
		const ctx = { db: db.db, programme, actor: actor('lead', 'lead') };
		queries = 0;
		const one = await reviewCards(ctx);
		const forOne = queries;
		const card = one.cards.find((c) => c.id === odd.id)!;
		expect(card).toMatchObject({
			previous: { date: '2022-10-01', value: 34 },
			history: [
				{ date: '2021-10-01', value: 30 },
				{ date: '2022-10-01', value: 34 }
			],
			flags: ['60% ligt meer dan de grootste eerdere sprong (4%) boven de eerdere waarden (30% tot 34%).']
		});
		const norm = await db.db
			.selectFrom('indicators')
			.select(['baseline_value', 'target_value'])
			.where('code', '=', CODE)
			.executeTakeFirstOrThrow();
		expect(card.baseline?.value ?? null).toBe(norm.baseline_value);
		expect(card.target?.value ?? null).toBe(norm.target_value);

		for (const [i, region] of ['amadeus-lyceum', 'obs-haarzicht', 'amadeus-lyceum', 'obs-haarzicht'].entries())
			await submit('aanjager', region, `2024-0${i + 1}-15`, 33);
		queries = 0;
		const five = await reviewCards(ctx);
		expect(five.cards).toHaveLength(5);
		expect(five.total).toBe(5);
		// no query per card: the queue, its count, the history and the norms
		expect(queries).toBe(forOne);
		expect(queries).toBeLessThanOrEqual(4);
		expect(five.cards.find((c) => c.region === 'amadeus-lyceum')!.flags).toEqual([]);
	});

	it('should count what waits for whom in one query: review for who may approve, returned ones for their submitter', async () => {
		const mine = await submit('aanjager2', 'obs-haarzicht', '2020-03-01', 31);
		const back = await call('lead', 'POST', `/measurements/${mine.id}/return`, {
			version: mine.version,
			comment: 'Bron ontbreekt'
		});
		expect(back.status).toBe(200);
		const ids = [programme.id];
		queries = 0;
		const lead = (await attentionFor(db.db, actor('lead', 'lead'), ids)).get(programme.id);
		expect(queries).toBe(1);
		expect(lead).toEqual({ toReview: 5, returned: 0 });
		expect((await attentionFor(db.db, actor('aanjager2', 'aanjager'), ids)).get(programme.id)).toEqual({
			toReview: null,
			returned: 1
		});
		expect((await attentionFor(db.db, actor('aanjager', 'aanjager'), ids)).get(programme.id)).toEqual({
			toReview: null,
			returned: 0
		});
		const due = await dueList({ db: db.db, programme }, '2026-11-15');
		expect(due.measurements.toReview).toBe(5);
		expect(due.measurements.returned).toBe(1);
		expect(due.measurements.items.filter((m) => m.status === 'submitted')).toHaveLength(5);
		expect(due.measurements.items.find((m) => m.status === 'returned')).toMatchObject({
			id: mine.id,
			indicator: CODE,
			date: '2020-03-01'
		});
	});

	it('should approve several at once, each audited as a single review is', async () => {
		const a = await submit('aanjager', 'amadeus-lyceum', '2019-01-10', 40);
		const b = await submit('aanjager', 'amadeus-lyceum', '2019-02-10', 41);
		const r = await bulk('lead', { items: [a, b].map(({ id, version }) => ({ id, version })), decision: 'approve' });
		expect(r.status, JSON.stringify(r.body)).toBe(200);
		expect(r.body.reviewed.map((m: { status: string }) => m.status)).toEqual(['approved', 'approved']);
		expect([await statusOf(a.id), await statusOf(b.id)]).toEqual(['approved', 'approved']);
		const rows = await audits([a.id, b.id]);
		expect(rows.map((x) => [x.entity_id, x.action, x.user_id])).toEqual([
			[a.id, 'approve', accounts.lead.id],
			[b.id, 'approve', accounts.lead.id]
		]);
		expect(JSON.parse(rows[0].after!)).toEqual({ status: 'approved', comment: null });
	});

	it('should return several with a reason, and refuse to return them without one', async () => {
		const a = await submit('aanjager', 'amadeus-lyceum', '2019-03-10', 40);
		const b = await submit('aanjager', 'amadeus-lyceum', '2019-04-10', 41);
		const items = [a, b].map(({ id, version }) => ({ id, version }));
		const refused = await bulk('lead', { items, decision: 'return' });
		expect(refused.status).toBe(400);
		expect(refused.body.error.issues).toContainEqual({
			path: 'comment',
			message: 'schrijf waarom je de metingen terugstuurt'
		});
		expect(await statusOf(a.id)).toBe('submitted');
		const r = await bulk('lead', { items, decision: 'return', comment: 'n ontbreekt' });
		expect(r.status).toBe(200);
		expect([await statusOf(a.id), await statusOf(b.id)]).toEqual(['returned', 'returned']);
		expect((await audits([a.id, b.id])).map((x) => JSON.parse(x.after!).comment)).toEqual([
			'n ontbreekt',
			'n ontbreekt'
		]);
	});

	it('should change nothing when one was reviewed or changed by someone else meanwhile, and name it', async () => {
		const a = await submit('aanjager', 'amadeus-lyceum', '2018-01-10', 40);
		const b = await submit('aanjager', 'amadeus-lyceum', '2018-02-10', 41);
		const c = await submit('aanjager', 'amadeus-lyceum', '2018-03-10', 42);
		// someone else approves b, and its submitter edits c, after the lead's page was drawn
		expect((await call('lead', 'POST', `/measurements/${b.id}/approve`, { version: b.version })).status).toBe(200);
		expect((await call('aanjager', 'PATCH', `/measurements/${c.id}`, { version: c.version, value: 43 })).status).toBe(
			200
		);
		const before = (await audits([a.id, b.id, c.id])).length;
		const r = await bulk('lead', {
			items: [a, b, c].map(({ id, version }) => ({ id, version })),
			decision: 'approve'
		});
		expect(r.status).toBe(409);
		expect(r.body.error.code).toBe('conflict');
		expect(r.body.error.issues).toEqual([
			{ path: 'items.1', message: expect.stringMatching(/^VV-T1-AANDACHT .+ 2018-02-10 is al goedgekeurd$/) },
			{ path: 'items.2', message: expect.stringMatching(/^VV-T1-AANDACHT .+ 2018-03-10 is intussen gewijzigd$/) }
		]);
		expect([await statusOf(a.id), await statusOf(c.id)]).toEqual(['submitted', 'submitted']);
		expect(await audits([a.id, b.id, c.id])).toHaveLength(before);
	});

	it('should refuse bad input with a clear message and leave the queue alone', async () => {
		const a = await submit('aanjager', 'amadeus-lyceum', '2017-01-10', 40);
		const item = { id: a.id, version: a.version };
		const tooMany = Array.from({ length: 201 }, (_, i) => ({ id: i + 1, version: 1 }));
		for (const body of [
			{ items: [], decision: 'approve' },
			{ items: tooMany, decision: 'approve' },
			{ items: [item, item], decision: 'approve' },
			{ items: [item], decision: 'maybe' },
			{ items: [{ id: 'x', version: 1 }], decision: 'approve' }
		]) {
			const r = await bulk('lead', body);
			expect(r.status, JSON.stringify(body).slice(0, 80)).toBe(400);
			expect(r.body.error.message).toEqual(expect.any(String));
		}
		expect((await bulk('aanjager', { items: [item], decision: 'approve' })).status).toBe(403);
		expect((await bulk('funder', { items: [item], decision: 'approve' })).status).toBe(403);
		expect(await statusOf(a.id)).toBe('submitted');
	});
});
