import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApi } from '../../src/lib/server/api/app.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { apiClient, jsonBody, type Json } from '../helpers/client.ts';
import { addPollTemplate } from '../helpers/poll-template.ts';
import { respondent } from '../helpers/polls.ts';
import { answerPoll } from '../../src/lib/server/services/poll-answer.service.ts';
import { openAnswersOf } from '../../src/lib/server/services/poll.service.ts';
import type { Actor } from '../../src/lib/domain/permissions.ts';
import { POLL_CODE_PATTERN } from '../../src/lib/domain/poll-input.ts';
import { MAX_OPEN_DAYS } from '../../src/lib/domain/poll.ts';

const NOW = '2026-11-15T10:00:00.000Z';
const P = { slug: 'vleuten-versterkt' };

describe.each(DIALECTS)('polls API on %s', (dialect) => {
	let db: TestDb;
	let api: ReturnType<typeof createApi>;
	const cookies: Record<string, string> = {};
	let minGroupSize = 0;
	let queries = 0;
	/** the SQL queries one call runs (Kysely's log) */
	const queriesOf = async (call: () => Promise<unknown>) => {
		const before = queries;
		await call();
		return queries - before;
	};

	const as = (who: string) => apiClient(api, () => ({ cookie: cookies[who] })).api.v1.programmes[':slug'];
	const read = async (res: { status: number; text(): Promise<string> }) => {
		const text = await res.text();
		return { status: res.status, body: (text ? JSON.parse(text) : null) as Json };
	};
	const create = (who: string, json: unknown, slug = P.slug) =>
		as(who).polls.$post({ param: { slug } }, jsonBody(json)).then(read);
	const list = (who: string) => as(who).polls.$get({ param: P }).then(read);
	const detail = (who: string, id: number | string, slug = P.slug) =>
		as(who)
			.polls[':id'].$get({ param: { slug, id: String(id) } })
			.then(read);
	const results = (who: string, id: number | string) =>
		as(who)
			.polls[':id'].results.$get({ param: { ...P, id: String(id) } })
			.then(read);
	const close = (who: string, id: number | string) =>
		as(who)
			.polls[':id'].close.$post({ param: { ...P, id: String(id) } })
			.then(read);

	const valid = (over: Record<string, unknown> = {}) => ({
		template: 'druk-in-de-klas',
		name: 'Groep 8 De Regenboog',
		region: 'obs-haarzicht',
		date: '2026-11-15',
		...over
	});
	/** One respondent, as the public page stores it: its own device token, an answer to every question. */
	const respond = (code: string, answers: Record<string, string>) =>
		answerPoll(db.db, code, respondent(), (name) => answers[name] ?? null);
	const counts = async () => ({
		polls: Number(
			(
				await db.db
					.selectFrom('polls')
					.select((eb) => eb.fn.countAll().as('n'))
					.executeTakeFirstOrThrow()
			).n
		),
		audit: Number(
			(
				await db.db
					.selectFrom('audit_log')
					.select((eb) => eb.fn.countAll().as('n'))
					.executeTakeFirstOrThrow()
			).n
		)
	});

	beforeAll(async () => {
		vi.useFakeTimers({ now: new Date(NOW), toFake: ['Date'] });
		db = await migratedDb(dialect, { onQuery: () => queries++ });
		await loadBothPlans(db);
		await addPollTemplate(db.db, P.slug);
		minGroupSize = (
			await db.db.selectFrom('programmes').select('min_group_size').where('slug', '=', P.slug).executeTakeFirstOrThrow()
		).min_group_size;
		api = createApi(db);
		const fetcher = (p: string, init: RequestInit) => Promise.resolve(api.request(p, init));
		for (const [who, spec] of [
			['aanjager', { role: 'aanjager', programme: P.slug }],
			['lead', { role: 'lead', programme: P.slug }],
			['funder', { role: 'funder', programme: P.slug }],
			['otherLead', { role: 'lead', programme: 'zkl-onder-druk' }],
			['admin', 'admin']
		] as const)
			cookies[who] = await signIn(fetcher, await createAccount(db.db, spec));
	});
	afterAll(async () => {
		vi.useRealTimers();
		await db?.drop();
	});

	it('should create a poll from the plan template with a fresh code, its questions and an audit entry', async () => {
		const { status, body } = await create('aanjager', valid());
		expect(status).toBe(201);
		expect(body).toMatchObject({
			name: 'Groep 8 De Regenboog',
			template: 'druk-in-de-klas',
			region: { slug: 'obs-haarzicht', name: 'OBS Haarzicht' },
			date: '2026-11-15',
			state: 'open',
			answers: 0,
			maxAnswers: 300,
			// the default: 24 hours from now
			closesAt: '2026-11-16T10:00:00.000Z',
			openQuestion: null,
			minGroupSize
		});
		expect(body.code).toMatch(POLL_CODE_PATTERN);
		expect(body.link).toBe(`http://localhost/peiling/${body.code}`);
		expect(body.questions.map((q: Json) => q.key)).toEqual(['groep', 'druk', 'praten']);
		const stored = await db.db.selectFrom('polls').selectAll().where('id', '=', body.id).executeTakeFirstOrThrow();
		expect(JSON.parse(stored.questions)[0].options.map((o: Json) => o.key)).toEqual(['10-12', '13-14']);
		const audit = await db.db
			.selectFrom('audit_log')
			.selectAll()
			.where('entity', '=', 'poll')
			.where('entity_id', '=', body.id)
			.execute();
		expect(audit.map((a) => a.action)).toEqual(['create']);
		expect(JSON.parse(audit[0].after!)).toMatchObject({ name: 'Groep 8 De Regenboog', region: 'obs-haarzicht' });
	});

	it('should give every poll its own code of 10 characters without look-alikes', async () => {
		const codes: string[] = [];
		for (let i = 0; i < 12; i++) codes.push((await create('lead', valid({ name: `Klas ${i}` }))).body.code);
		expect(codes.every((c) => POLL_CODE_PATTERN.test(c))).toBe(true);
		expect(new Set(codes).size).toBe(codes.length);
	});

	it('should switch the open question on only when asked', async () => {
		const { status, body } = await create('lead', valid({ openQuestion: true, maxAnswers: 30 }));
		expect(status).toBe(201);
		expect(body.openQuestion).toBe('Wil je nog iets kwijt? Schrijf geen namen op.');
		expect(body.maxAnswers).toBe(30);
	});

	it('should refuse a wrong poll with a Dutch message per field and change nothing', async () => {
		const later = new Date(Date.parse(NOW) + (MAX_OPEN_DAYS + 1) * 86_400_000).toISOString();
		const cases: [Record<string, unknown>, string][] = [
			[{ name: '  ' }, 'name'],
			[{ name: 'x'.repeat(81) }, 'name'],
			[{ template: 'bestaat-niet' }, 'template'],
			[{ region: 'haarlem-centrum' }, 'region'],
			[{ date: '2026-02-30' }, 'date'],
			[{ closesAt: '2026-11-15T09:00:00Z' }, 'closesAt'],
			[{ closesAt: later }, 'closesAt'],
			[{ closesAt: 'morgen' }, 'closesAt'],
			[{ maxAnswers: 0 }, 'maxAnswers'],
			[{ maxAnswers: 2001 }, 'maxAnswers'],
			[{ maxAnswers: '30' }, 'maxAnswers'],
			[{ code: 'aaaaaaaaaa' }, '']
		];
		const before = await counts();
		for (const [over, path] of cases) {
			const { status, body } = await create('aanjager', valid(over));
			expect(status, JSON.stringify(over)).toBe(400);
			expect(body.error.code).toBe('invalid_input');
			expect(body.error.message).toMatch(/\w/);
			expect(
				body.error.issues.map((i: Json) => i.path),
				JSON.stringify(over)
			).toContain(path);
		}
		expect(await counts()).toEqual(before);
	});

	it('should say where the templates come from when the programme has none', async () => {
		// the ZKL seed plan has a template: take it away, as a plan without pollTemplates would
		await db.db.updateTable('programmes').set({ poll_templates: null }).where('slug', '=', 'zkl-onder-druk').execute();
		const before = await counts();
		const { status, body } = await create(
			'otherLead',
			{ ...valid(), region: 'haarlem-centrum', template: 'druk-in-de-klas' },
			'zkl-onder-druk'
		);
		expect(status).toBe(400);
		expect(body.error.issues[0]).toEqual({ path: 'template', message: expect.stringMatching(/meetplan/) });
		expect(await counts()).toEqual(before);
	});

	it('should let aanjagers and leads create, and refuse funders and other programmes', async () => {
		expect((await create('funder', valid())).status).toBe(403);
		expect((await create('otherLead', valid())).status).toBe(404);
		expect((await create('admin', valid({ name: 'Beheer' }))).status).toBe(201);
	});

	it('should list the polls newest first for every reader, without link or result for funders of an open poll', async () => {
		const older = (await create('lead', valid({ name: 'Oud', date: '2026-09-01' }))).body;
		const { status, body } = await list('funder');
		expect(status).toBe(200);
		expect(body.length).toBeGreaterThan(3);
		expect(body.at(-1).id).toBe(older.id);
		expect(body.every((p: Json, i: number) => i === 0 || body[i - 1].date >= p.date)).toBe(true);
		const seen = (await detail('funder', older.id)).body;
		expect(seen).toMatchObject({ id: older.id, code: null, link: null, result: null, state: 'open' });
		const run = (await detail('aanjager', older.id)).body;
		expect(run.code).toBe(older.code);
		expect(run.result).toEqual({ shown: false, respondents: 0, missing: minGroupSize });
		expect(JSON.stringify(run)).not.toMatch(/device|hash|open_answer/);
		expect((await list('otherLead')).status).toBe(404);
		expect((await detail('otherLead', older.id)).status).toBe(404);
		expect((await detail('lead', older.id, 'zkl-onder-druk')).status).toBe(404);
		expect((await detail('lead', 'abc')).status).toBe(404);
		expect((await detail('lead', 999999)).status).toBe(404);
	});

	it('should hide the result below the minimum group size and show bars from it on', async () => {
		const poll = (await create('aanjager', valid({ name: 'Live' }))).body;
		const answer = (i: number) => ({ groep: i % 2 ? '10-12' : '13-14', druk: String((i % 5) + 1), praten: 'ja' });
		for (let i = 0; i < minGroupSize - 1; i++) expect((await respond(poll.code, answer(i))).ok).toBe(true);
		const below = await results('aanjager', poll.id);
		expect(below.status).toBe(200);
		expect(below.body).toEqual({
			state: 'open',
			respondents: minGroupSize - 1,
			minGroupSize,
			result: { shown: false, respondents: minGroupSize - 1, missing: 1 }
		});
		expect((await respond(poll.code, answer(minGroupSize - 1))).ok).toBe(true);
		const shown = (await results('lead', poll.id)).body;
		expect(shown.respondents).toBe(minGroupSize);
		expect(shown.result.shown).toBe(true);
		const druk = shown.result.questions.find((q: Json) => q.key === 'druk');
		expect(druk.n).toBe(minGroupSize);
		expect(druk.bars.map((b: Json) => b.count)).toEqual(
			['1', '2', '3', '4', '5'].map(
				(k) => Array.from({ length: minGroupSize }, (_, i) => answer(i).druk).filter((a) => a === k).length
			)
		);
		const praten = shown.result.questions.find((q: Json) => q.key === 'praten');
		expect(praten.bars).toEqual([
			{ key: 'ja', name: 'Ja', count: minGroupSize, percent: 100 },
			{ key: 'nee', name: 'Nee', count: 0, percent: 0 }
		]);
		expect((await results('funder', poll.id)).status).toBe(403);
		expect((await results('otherLead', poll.id)).status).toBe(404);
		expect((await results('lead', 999999)).status).toBe(404);
	});

	it('should close a poll once: the second closing is refused with 409 poll_closed', async () => {
		const poll = (await create('aanjager', valid({ name: 'Sluiten' }))).body;
		for (let i = 0; i < minGroupSize; i++)
			expect((await respond(poll.code, { druk: '4', praten: i % 2 ? 'ja' : 'nee' })).ok).toBe(true);
		expect((await close('funder', poll.id)).status).toBe(403);
		const first = await close('aanjager', poll.id);
		expect(first.status).toBe(200);
		expect(first.body).toMatchObject({ id: poll.id, state: 'closed', closedAt: NOW, answers: minGroupSize });
		const second = await close('lead', poll.id);
		expect(second.status).toBe(409);
		expect(second.body.error.code).toBe('poll_closed');
		// closed and above the threshold: the funder sees the group's result, still without the link
		const seen = (await detail('funder', poll.id)).body;
		expect(seen.link).toBeNull();
		expect(seen.result.shown).toBe(true);
		expect(seen.result.questions.find((q: Json) => q.key === 'praten').bars[0]).toMatchObject({
			key: 'ja',
			count: Math.floor(minGroupSize / 2)
		});
		const live = (await results('lead', poll.id)).body;
		expect(live.state).toBe('closed');
		expect(live.respondents).toBe(minGroupSize);
		expect((await close('lead', 999999)).status).toBe(404);
	});

	it('should read the list and the live result in a number of queries that does not grow with polls or answers', async () => {
		const few = await queriesOf(() => list('lead'));
		for (let i = 0; i < 5; i++) await create('lead', valid({ name: `Meer ${i}` }));
		expect(await queriesOf(() => list('lead'))).toBe(few);
		expect(few).toBeLessThanOrEqual(4);
		const poll = (await create('lead', valid({ name: 'Tellen' }))).body;
		const empty = await queriesOf(() => results('lead', poll.id));
		for (let i = 0; i < minGroupSize + 3; i++) await respond(poll.code, { druk: '2' });
		expect(await queriesOf(() => results('lead', poll.id))).toBe(empty);
		expect(empty).toBeLessThanOrEqual(5);
		console.log(`[figure] ${dialect}: the poll list takes ${few} queries, the live result ${empty}`);
	});

	it('should show the open answers to leads only, never in the API, and not once the raw answers are gone', async () => {
		const poll = (await create('aanjager', valid({ name: 'Open vraag', openQuestion: true }))).body;
		const texts = ['Ik vind toetsen spannend.', 'Het gaat wel.'];
		for (const open of texts) expect((await respond(poll.code, { praten: 'ja', open })).ok).toBe(true);
		const programme = await db.db
			.selectFrom('programmes')
			.selectAll()
			.where('slug', '=', P.slug)
			.executeTakeFirstOrThrow();
		const as = (role: 'lead' | 'aanjager' | 'funder'): Actor => ({
			userId: null,
			name: role,
			email: null,
			isAdmin: false,
			roles: { [programme.id]: role },
			via: 'session'
		});
		const read = (role: 'lead' | 'aanjager' | 'funder') =>
			openAnswersOf({ db: db.db, programme, actor: as(role) }, poll.id);
		expect(await read('lead')).toEqual(texts);
		expect(await read('aanjager')).toBeNull();
		expect(await read('funder')).toBeNull();
		expect(JSON.stringify((await detail('lead', poll.id)).body)).not.toContain(texts[0]);
		await db.db.updateTable('polls').set({ answers_deleted_at: NOW }).where('id', '=', poll.id).execute();
		expect(await read('lead')).toBeNull();
	});

	it('should answer the live result of a closed poll from its kept counts once the raw answers are gone', async () => {
		const poll = (await create('lead', valid({ name: 'Bewaard' }))).body;
		for (let i = 0; i < minGroupSize; i++) expect((await respond(poll.code, { praten: 'nee' })).ok).toBe(true);
		expect((await close('lead', poll.id)).status).toBe(200);
		await db.db.deleteFrom('poll_responses').where('poll_id', '=', poll.id).execute();
		const live = (await results('lead', poll.id)).body;
		expect(live.respondents).toBe(minGroupSize);
		expect(live.result.questions.find((q: Json) => q.key === 'praten').bars[1]).toMatchObject({
			key: 'nee',
			count: minGroupSize,
			percent: 100
		});
	});
});
