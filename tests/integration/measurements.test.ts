import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../src/lib/server/api/app.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans, tableCounts } from '../helpers/plans.ts';
import { expectEvery } from '../helpers/expect-every.ts';
import { apiClient, readJson } from '../helpers/client.ts';
import { STALE_MESSAGE } from '../../src/lib/domain/result.ts';

const VV = { slug: 'vleuten-versterkt' };
const ZKL = { slug: 'zkl-onder-druk' };
type Who = 'lead' | 'aanjager' | 'aanjager2' | 'funder' | 'zklLead';

describe.each(DIALECTS)('measurement entry and review on %s', (dialect) => {
	let db: TestDb;
	let api: ReturnType<typeof createApi>;
	const cookies = {} as Record<Who, string>;
	/** The typed client as `who`, at `/api/v1/programmes/{slug}`. */
	const as = (who: Who) => apiClient(api, () => ({ cookie: cookies[who] })).api.v1.programmes[':slug'];
	const read = readJson;
	type Entry = {
		indicator: string;
		region: string;
		date: string;
		value?: number | null;
		text?: string | null;
		n?: number | null;
		source?: string | null;
	};
	type Change = Partial<Omit<Entry, 'indicator'>> & { version: number };
	const submit = async (who: Who, json: Entry) => read(await as(who).measurements.$post({ param: VV, json }));
	const edit = async (who: Who, id: number, json: Change, programme = VV) =>
		read(await as(who).measurements[':id'].$patch({ param: { ...programme, id: String(id) }, json }));
	const review = async (
		who: Who,
		action: 'approve' | 'return',
		id: number,
		json: { version: number; comment?: string }
	) => read(await as(who).measurements[':id'][action].$post({ param: { ...VV, id: String(id) }, json }));
	const list = async (who: Who, query: { status?: 'submitted' | 'approved' | 'returned'; indicator?: string }) =>
		read(await as(who).measurements.$get({ param: VV, query }));
	const chartValues = async (who: Who, code: string, region: string) =>
		read(await as(who).indicators[':code'].measurements.$get({ param: { ...VV, code }, query: { region } }));
	const one = async (who: Who, id: number) =>
		read(await as(who).measurements[':id'].$get({ param: { ...VV, id: String(id) } }));
	const entry = (over: Partial<Entry> = {}): Entry => ({
		indicator: 'VV-T1-AANDACHT',
		region: 'obs-haarzicht',
		date: '2024-10-15',
		value: 31.5,
		n: 80,
		source: 'Peiling',
		...over
	});

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
		const a = await submit('aanjager', entry());
		expect(a.status).toBe(201);
		expect(a.body).toMatchObject({
			indicator: 'VV-T1-AANDACHT',
			region: 'obs-haarzicht',
			date: '2024-10-15',
			value: 31.5,
			n: 80,
			source: 'Peiling',
			status: 'submitted',
			version: 1,
			demo: false
		});
		expect(a.body.id).toBeGreaterThan(0);
		const l = await submit('lead', entry({ region: 'amadeus-lyceum' }));
		expect(l.status).toBe(201);
		expect(l.body.status).toBe('approved');
	});

	it('should take a story for a text indicator', async () => {
		const r = await submit('aanjager', {
			indicator: 'VV-T2-VERHALEN',
			region: 'amadeus-lyceum',
			date: '2024-10-02',
			text: 'Ik dacht dat alleen ik het moeilijk vond.'
		});
		expect(r.status).toBe(201);
		expect([r.body.text, r.body.value]).toEqual(['Ik dacht dat alleen ik het moeilijk vond.', null]);
	});

	it('should refuse a number for a text indicator and a story for a numeric one, storing nothing', async () => {
		const before = await tableCounts(db);
		const story = { indicator: 'VV-T2-VERHALEN', region: 'amadeus-lyceum', date: '2024-10-03' };
		const number = await submit('aanjager', { ...story, value: 3 });
		expect(number.status).toBe(400);
		expect(number.body.error.issues).toEqual([
			{ path: 'value', message: 'bij deze indicator hoort een verhaal of citaat, geen getal' }
		]);
		const numberAsText = await submit('aanjager', { ...story, text: '3' });
		expect(numberAsText.body.error.issues).toEqual([
			{ path: 'text', message: 'bij deze indicator hoort een verhaal of citaat, geen getal' }
		]);
		const text = await submit('aanjager', entry({ value: undefined, text: '28' }));
		expect(text.status).toBe(400);
		expect(text.body.error.issues).toEqual([
			{ path: 'text', message: 'bij deze indicator hoort een getal, geen tekst' }
		]);
		expect(await tableCounts(db)).toEqual(before);

		const stored = await submit('lead', { ...story, text: 'Eerst lachten ze, nu vragen ze ernaar.' });
		expect(stored.status).toBe(201);
		const patched = await edit('lead', stored.body.id, { version: stored.body.version, value: 4 });
		expect(patched.body.error.issues).toEqual([
			{ path: 'value', message: 'bij deze indicator hoort een verhaal of citaat, geen getal' }
		]);
		const rewritten = await edit('lead', stored.body.id, {
			version: stored.body.version,
			text: 'Nu vragen ze ernaar.'
		});
		expect([rewritten.status, rewritten.body.text, rewritten.body.value]).toEqual([200, 'Nu vragen ze ernaar.', null]);
		const untouched = await edit('lead', rewritten.body.id, { version: rewritten.body.version, source: 'Gesprek' });
		expect([untouched.status, untouched.body.text]).toEqual([200, 'Nu vragen ze ernaar.']);
	});

	it('should refuse wrong values with 400 and a Dutch message per field, storing nothing', async () => {
		const before = await tableCounts(db);
		const r = await submit('aanjager', entry({ value: 104, n: 0, date: '2099-01-01', region: 'haarlem' }));
		expect(r.status).toBe(400);
		expect(r.body.error.code).toBe('invalid_input');
		expect(Object.fromEntries(r.body.error.issues.map((i: any) => [i.path, i.message]))).toEqual({
			value: 'een percentage ligt tussen 0 en 100 (niet 104)',
			n: 'n is een heel getal van 1 of meer (niet 0)',
			date: 'datum 2099-01-01 ligt na vandaag',
			region: 'onbekende regio haarlem in dit programma'
		});
		const another = await submit('aanjager', entry({ indicator: 'VV-T1-VS1-STAP', value: 2.5 }));
		expect(another.status).toBe(201);
		const count = await submit('aanjager', entry({ indicator: 'VV-MR-1-TRAJECTEN', value: 2.5 }));
		expect(count.body.error.issues).toEqual([
			{ path: 'value', message: 'een aantal is een heel getal van 0 of meer (niet 2.5)' }
		]);
		const wrongCount = await submit('aanjager', entry({ indicator: 'VV-T3-S2-UITINGEN', value: 2 }));
		expect(wrongCount.status).toBe(400);
		expect(wrongCount.body.error.issues[0].message).toMatch(/afgeleid uit het actielog/);
		expect((await tableCounts(db)).measurements).toBe(before.measurements + 1);
	});

	it('should keep one measurement per indicator, region and date', async () => {
		const r = await submit('lead', entry());
		expect(r.status).toBe(409);
		expect(r.body.error.code).toBe('duplicate');
	});

	it('should put submitted measurements in the lead’s queue and out of charts and funder views until approved', async () => {
		const queue = await list('lead', { status: 'submitted' });
		const mine = queue.body.measurements.find(
			(m: any) => m.indicator === 'VV-T1-AANDACHT' && m.region === 'obs-haarzicht' && m.date === '2024-10-15'
		);
		expect(mine).toBeDefined();
		const chart = await chartValues('funder', 'VV-T1-AANDACHT', 'obs-haarzicht');
		expect(chart.body.map((m: any) => m.date)).not.toContain('2024-10-15');
		const funderList = await list('funder', { indicator: 'VV-T1-AANDACHT' });
		expectEvery(funderList.body.measurements, (m: any) => m.status === 'approved');
		expect((await one('funder', mine.id)).status).toBe(404);
		expect((await list('funder', { status: 'submitted' })).body.total).toBe(0);

		const approved = await review('lead', 'approve', mine.id, { version: mine.version });
		expect(approved.status).toBe(200);
		expect(approved.body.status).toBe('approved');
		const after = await chartValues('funder', 'VV-T1-AANDACHT', 'obs-haarzicht');
		expect(after.body.find((m: any) => m.date === '2024-10-15')?.value).toBe(31.5);
		const again = await review('lead', 'approve', mine.id, { version: approved.body.version });
		expect(again.status).toBe(409);
	});

	it('should return a measurement only with a comment, and put it back in the queue when its author fixes it', async () => {
		const m = (await submit('aanjager', entry({ date: '2024-11-20', value: 12 }))).body;
		const bare = await review('lead', 'return', m.id, { version: m.version });
		expect(bare.status).toBe(400);
		// the problem sits on the body's field, `comment`
		expect(bare.body.error).toEqual({
			code: 'invalid_input',
			message: 'Controleer de invoer.',
			issues: [{ path: 'comment', message: 'schrijf waarom je de meting terugstuurt' }]
		});
		const blank = await review('lead', 'return', m.id, { version: m.version, comment: '   ' });
		expect(blank.body.error.issues).toEqual([{ path: 'comment', message: 'schrijf waarom je de meting terugstuurt' }]);
		const returned = await review('lead', 'return', m.id, {
			version: m.version,
			comment: 'n klopt niet: was het niet 40 leerlingen?'
		});
		expect(returned.body).toMatchObject({
			status: 'returned',
			reviewComment: 'n klopt niet: was het niet 40 leerlingen?'
		});
		expect((await edit('aanjager2', m.id, { version: returned.body.version, n: 40 })).status).toBe(403);
		const fixed = await edit('aanjager', m.id, { version: returned.body.version, n: 40 });
		expect(fixed.status).toBe(200);
		expect(fixed.body).toMatchObject({ status: 'submitted', n: 40, value: 12 });
		const approved = await review('lead', 'approve', m.id, { version: fixed.body.version });
		expect(approved.body.status).toBe('approved');
		const late = await edit('aanjager', m.id, { version: approved.body.version, value: 13 });
		expect(late.status).toBe(403);
	});

	it('should refuse an edit made on a stale version and overwrite nothing', async () => {
		const m = (await submit('lead', entry({ date: '2024-12-01', value: 20 }))).body;
		const first = await edit('lead', m.id, { version: m.version, value: 21 });
		expect(first.status).toBe(200);
		const second = await edit('lead', m.id, { version: m.version, value: 99 });
		expect(second.status).toBe(409);
		expect(second.body.error.code).toBe('conflict');
		expect(second.body.error.message).toBe(STALE_MESSAGE);
		expect(STALE_MESSAGE).toMatch(/^iemand anders heeft dit intussen gewijzigd\. .*er is niets overschreven\.$/i);
		const now = await one('lead', m.id);
		expect([now.body.value, now.body.version]).toEqual([21, first.body.version]);
		const staleReview = await review('lead', 'return', m.id, { version: m.version, comment: 'x' });
		expect(staleReview.status).toBe(409);
	});

	it('should refuse moving a measurement onto another one’s indicator, region and date', async () => {
		const a = (await submit('lead', entry({ date: '2024-12-02', value: 20 }))).body;
		const b = (await submit('lead', entry({ date: '2024-12-03', value: 20 }))).body;
		const moved = await edit('lead', b.id, { version: b.version, date: a.date });
		expect(moved.status).toBe(409);
		expect(moved.body.error.code).toBe('duplicate');
	});

	it('should keep measurements within their programme: other programmes get 404, readers may not write', async () => {
		const m = (await submit('lead', entry({ date: '2024-12-04' }))).body;
		expect((await edit('zklLead', m.id, { version: m.version, value: 1 }, ZKL)).status).toBe(404);
		expect((await edit('zklLead', m.id, { version: m.version, value: 1 })).status).toBe(404);
		expect((await submit('funder', entry({ date: '2024-12-05' }))).status).toBe(403);
		expect((await review('aanjager', 'approve', m.id, { version: m.version })).status).toBe(403);
	});

	it('should write every change to the audit log', async () => {
		const m = (await submit('aanjager', entry({ date: '2024-12-06' }))).body;
		await review('lead', 'approve', m.id, { version: m.version });
		const rows = await db.db
			.selectFrom('audit_log')
			.select(['action', 'before', 'after'])
			.where('entity', '=', 'measurement')
			.where('entity_id', '=', m.id)
			.orderBy('id')
			.execute();
		expect(rows.map((r) => r.action)).toEqual(['create', 'approve']);
		expect(JSON.parse(rows[1].after!)).toMatchObject({ status: 'approved' });
	});
});
