import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../src/lib/server/api/app.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans, tableCounts } from '../helpers/plans.ts';
import { expectEvery } from '../helpers/expect-every.ts';

const VV = '/api/v1/programmes/vleuten-versterkt';
const ZKL = '/api/v1/programmes/zkl-onder-druk';
type Who = 'lead' | 'aanjager' | 'aanjager2' | 'funder' | 'zklLead';

describe.each(DIALECTS)('measurement entry and review on %s', (dialect) => {
	let db: TestDb;
	let api: ReturnType<typeof createApi>;
	const cookies = {} as Record<Who, string>;
	const call = async (who: Who, method: string, path: string, body?: unknown) => {
		const res = await api.request(path, {
			method,
			headers: { cookie: cookies[who], origin: 'http://localhost', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		return { status: res.status, body: (await res.json()) as any };
	};
	const entry = (over: Record<string, unknown> = {}) => ({ indicator: 'VV-T1-AANDACHT', region: 'obs-haarzicht', date: '2024-10-15', value: 31.5, n: 80, source: 'Peiling', ...over });

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db, { demo: true });
		api = createApi(db);
		const fetcher = (p: string, init: RequestInit) => Promise.resolve(api.request(p, init));
		const vv = 'vleuten-versterkt';
		cookies.lead = await signIn(fetcher, await createAccount(db.db, { role: 'lead', programme: vv }));
		cookies.aanjager = await signIn(fetcher, await createAccount(db.db, { role: 'aanjager', programme: vv }));
		cookies.aanjager2 = await signIn(fetcher, await createAccount(db.db, { role: 'aanjager', programme: vv }));
		cookies.funder = await signIn(fetcher, await createAccount(db.db, { role: 'funder', programme: vv }));
		cookies.zklLead = await signIn(fetcher, await createAccount(db.db, { role: 'lead', programme: 'zkl-onder-druk' }));
	});
	afterAll(async () => db?.drop());

	it('should store an entry and answer 201 with it; an aanjager’s entry waits for review, a lead’s is approved at once', async () => {
		const a = await call('aanjager', 'POST', `${VV}/measurements`, entry());
		expect(a.status).toBe(201);
		expect(a.body).toMatchObject({ indicator: 'VV-T1-AANDACHT', region: 'obs-haarzicht', date: '2024-10-15', value: 31.5, n: 80, source: 'Peiling', status: 'submitted', version: 1, demo: false });
		expect(a.body.id).toBeGreaterThan(0);
		const l = await call('lead', 'POST', `${VV}/measurements`, entry({ region: 'amadeus-lyceum' }));
		expect(l.status).toBe(201);
		expect(l.body.status).toBe('approved');
	});

	it('should take a story for a text indicator', async () => {
		const r = await call('aanjager', 'POST', `${VV}/measurements`, { indicator: 'VV-T2-VERHALEN', region: 'amadeus-lyceum', date: '2024-10-02', text: 'Ik dacht dat alleen ik het moeilijk vond.' });
		expect(r.status).toBe(201);
		expect([r.body.text, r.body.value]).toEqual(['Ik dacht dat alleen ik het moeilijk vond.', null]);
	});

	it('should refuse a number for a text indicator and a story for a numeric one, storing nothing', async () => {
		const before = await tableCounts(db);
		const story = { indicator: 'VV-T2-VERHALEN', region: 'amadeus-lyceum', date: '2024-10-03' };
		const number = await call('aanjager', 'POST', `${VV}/measurements`, { ...story, value: 3 });
		expect(number.status).toBe(400);
		expect(number.body.error.issues).toEqual([{ path: 'value', message: 'bij deze indicator hoort een verhaal of citaat, geen getal' }]);
		const numberAsText = await call('aanjager', 'POST', `${VV}/measurements`, { ...story, text: '3' });
		expect(numberAsText.body.error.issues).toEqual([{ path: 'text', message: 'bij deze indicator hoort een verhaal of citaat, geen getal' }]);
		const text = await call('aanjager', 'POST', `${VV}/measurements`, entry({ value: undefined, text: '28' }));
		expect(text.status).toBe(400);
		expect(text.body.error.issues).toEqual([{ path: 'text', message: 'bij deze indicator hoort een getal, geen tekst' }]);
		expect(await tableCounts(db)).toEqual(before);

		const stored = await call('lead', 'POST', `${VV}/measurements`, { ...story, text: 'Eerst lachten ze, nu vragen ze ernaar.' });
		expect(stored.status).toBe(201);
		const patched = await call('lead', 'PATCH', `${VV}/measurements/${stored.body.id}`, { version: stored.body.version, value: 4 });
		expect(patched.body.error.issues).toEqual([{ path: 'value', message: 'bij deze indicator hoort een verhaal of citaat, geen getal' }]);
		const rewritten = await call('lead', 'PATCH', `${VV}/measurements/${stored.body.id}`, { version: stored.body.version, text: 'Nu vragen ze ernaar.' });
		expect([rewritten.status, rewritten.body.text, rewritten.body.value]).toEqual([200, 'Nu vragen ze ernaar.', null]);
		const untouched = await call('lead', 'PATCH', `${VV}/measurements/${rewritten.body.id}`, { version: rewritten.body.version, source: 'Gesprek' });
		expect([untouched.status, untouched.body.text]).toEqual([200, 'Nu vragen ze ernaar.']);
	});

	it('should refuse wrong values with 400 and a Dutch message per field, storing nothing', async () => {
		const before = await tableCounts(db);
		const r = await call('aanjager', 'POST', `${VV}/measurements`, entry({ value: 104, n: 0, date: '2099-01-01', region: 'haarlem' }));
		expect(r.status).toBe(400);
		expect(r.body.error.code).toBe('invalid_input');
		expect(Object.fromEntries(r.body.error.issues.map((i: any) => [i.path, i.message]))).toEqual({
			value: 'een percentage ligt tussen 0 en 100 (niet 104)',
			n: 'n is een heel getal van 1 of meer (niet 0)',
			date: 'datum 2099-01-01 ligt na vandaag',
			region: 'onbekende regio haarlem in dit programma'
		});
		const another = await call('aanjager', 'POST', `${VV}/measurements`, entry({ indicator: 'VV-T1-VS1-STAP', value: 2.5 }));
		expect(another.status).toBe(201);
		const count = await call('aanjager', 'POST', `${VV}/measurements`, entry({ indicator: 'VV-MR-1-TRAJECTEN', value: 2.5 }));
		expect(count.body.error.issues).toEqual([{ path: 'value', message: 'een aantal is een heel getal van 0 of meer (niet 2.5)' }]);
		const wrongCount = await call('aanjager', 'POST', `${VV}/measurements`, entry({ indicator: 'VV-T3-S2-UITINGEN', value: 2 }));
		expect(wrongCount.status).toBe(400);
		expect(wrongCount.body.error.issues[0].message).toMatch(/afgeleid uit het actielog/);
		expect((await tableCounts(db)).measurements).toBe(before.measurements + 1);
	});

	it('should keep one measurement per indicator, region and date', async () => {
		const r = await call('lead', 'POST', `${VV}/measurements`, entry());
		expect(r.status).toBe(409);
		expect(r.body.error.code).toBe('duplicate');
	});

	it('should put submitted measurements in the lead’s queue and out of charts and funder views until approved', async () => {
		const queue = await call('lead', 'GET', `${VV}/measurements?status=submitted`);
		const mine = queue.body.measurements.find((m: any) => m.indicator === 'VV-T1-AANDACHT' && m.region === 'obs-haarzicht' && m.date === '2024-10-15');
		expect(mine).toBeDefined();
		const chart = await call('funder', 'GET', `${VV}/indicators/VV-T1-AANDACHT/measurements?region=obs-haarzicht`);
		expect(chart.body.map((m: any) => m.date)).not.toContain('2024-10-15');
		const funderList = await call('funder', 'GET', `${VV}/measurements?indicator=VV-T1-AANDACHT`);
		expectEvery(funderList.body.measurements, (m: any) => m.status === 'approved');
		expect((await call('funder', 'GET', `${VV}/measurements/${mine.id}`)).status).toBe(404);
		expect((await call('funder', 'GET', `${VV}/measurements?status=submitted`)).body.total).toBe(0);

		const approved = await call('lead', 'POST', `${VV}/measurements/${mine.id}/approve`, { version: mine.version });
		expect(approved.status).toBe(200);
		expect(approved.body.status).toBe('approved');
		const after = await call('funder', 'GET', `${VV}/indicators/VV-T1-AANDACHT/measurements?region=obs-haarzicht`);
		expect(after.body.find((m: any) => m.date === '2024-10-15')?.value).toBe(31.5);
		const again = await call('lead', 'POST', `${VV}/measurements/${mine.id}/approve`, { version: approved.body.version });
		expect(again.status).toBe(409);
	});

	it('should return a measurement only with a comment, and put it back in the queue when its author fixes it', async () => {
		const m = (await call('aanjager', 'POST', `${VV}/measurements`, entry({ date: '2024-11-20', value: 12 }))).body;
		const bare = await call('lead', 'POST', `${VV}/measurements/${m.id}/return`, { version: m.version });
		expect(bare.status).toBe(400);
		// the problem sits on the body's field, `comment`
		expect(bare.body.error).toEqual({ code: 'invalid_input', message: 'Controleer de invoer.', issues: [{ path: 'comment', message: 'schrijf waarom je de meting terugstuurt' }] });
		const blank = await call('lead', 'POST', `${VV}/measurements/${m.id}/return`, { version: m.version, comment: '   ' });
		expect(blank.body.error.issues).toEqual([{ path: 'comment', message: 'schrijf waarom je de meting terugstuurt' }]);
		const returned = await call('lead', 'POST', `${VV}/measurements/${m.id}/return`, { version: m.version, comment: 'n klopt niet: was het niet 40 leerlingen?' });
		expect(returned.body).toMatchObject({ status: 'returned', reviewComment: 'n klopt niet: was het niet 40 leerlingen?' });
		expect((await call('aanjager2', 'PATCH', `${VV}/measurements/${m.id}`, { version: returned.body.version, n: 40 })).status).toBe(403);
		const fixed = await call('aanjager', 'PATCH', `${VV}/measurements/${m.id}`, { version: returned.body.version, n: 40 });
		expect(fixed.status).toBe(200);
		expect(fixed.body).toMatchObject({ status: 'submitted', n: 40, value: 12 });
		const approved = await call('lead', 'POST', `${VV}/measurements/${m.id}/approve`, { version: fixed.body.version });
		expect(approved.body.status).toBe('approved');
		const late = await call('aanjager', 'PATCH', `${VV}/measurements/${m.id}`, { version: approved.body.version, value: 13 });
		expect(late.status).toBe(403);
	});

	it('should refuse an edit made on a stale version and overwrite nothing', async () => {
		const m = (await call('lead', 'POST', `${VV}/measurements`, entry({ date: '2024-12-01', value: 20 }))).body;
		const first = await call('lead', 'PATCH', `${VV}/measurements/${m.id}`, { version: m.version, value: 21 });
		expect(first.status).toBe(200);
		const second = await call('lead', 'PATCH', `${VV}/measurements/${m.id}`, { version: m.version, value: 99 });
		expect(second.status).toBe(409);
		expect(second.body.error.code).toBe('conflict');
		expect(second.body.error.message).toMatch(/iemand anders heeft deze meting intussen gewijzigd/i);
		const now = await call('lead', 'GET', `${VV}/measurements/${m.id}`);
		expect([now.body.value, now.body.version]).toEqual([21, first.body.version]);
		const staleReview = await call('lead', 'POST', `${VV}/measurements/${m.id}/return`, { version: m.version, comment: 'x' });
		expect(staleReview.status).toBe(409);
	});

	it('should refuse moving a measurement onto another one’s indicator, region and date', async () => {
		const a = (await call('lead', 'POST', `${VV}/measurements`, entry({ date: '2024-12-02', value: 20 }))).body;
		const b = (await call('lead', 'POST', `${VV}/measurements`, entry({ date: '2024-12-03', value: 20 }))).body;
		const moved = await call('lead', 'PATCH', `${VV}/measurements/${b.id}`, { version: b.version, date: a.date });
		expect(moved.status).toBe(409);
		expect(moved.body.error.code).toBe('duplicate');
	});

	it('should keep measurements within their programme: other programmes get 404, readers may not write', async () => {
		const m = (await call('lead', 'POST', `${VV}/measurements`, entry({ date: '2024-12-04' }))).body;
		expect((await call('zklLead', 'PATCH', `${ZKL}/measurements/${m.id}`, { version: m.version, value: 1 })).status).toBe(404);
		expect((await call('zklLead', 'PATCH', `${VV}/measurements/${m.id}`, { version: m.version, value: 1 })).status).toBe(404);
		expect((await call('funder', 'POST', `${VV}/measurements`, entry({ date: '2024-12-05' }))).status).toBe(403);
		expect((await call('aanjager', 'POST', `${VV}/measurements/${m.id}/approve`, { version: m.version })).status).toBe(403);
	});

	it('should write every change to the audit log', async () => {
		const m = (await call('aanjager', 'POST', `${VV}/measurements`, entry({ date: '2024-12-06' }))).body;
		await call('lead', 'POST', `${VV}/measurements/${m.id}/approve`, { version: m.version });
		const rows = await db.db.selectFrom('audit_log').select(['action', 'before', 'after']).where('entity', '=', 'measurement').where('entity_id', '=', m.id).orderBy('id').execute();
		expect(rows.map((r) => r.action)).toEqual(['create', 'approve']);
		expect(JSON.parse(rows[1].after!)).toMatchObject({ status: 'approved' });
	});
});
