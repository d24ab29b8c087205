/**
 * The audit log's filters and paging, in SQL on each dialect: who, what, which object (id or indicator
 * code), which Dutch calendar days (the day edges in CEST and CET), newest first a page at a time, through the
 * service the pages use and through the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../src/lib/server/api/app.ts';
import { auditPage } from '../../src/lib/server/services/audit.service.ts';
import { auditQueryFromSearch, type AuditQuery } from '../../src/lib/domain/audit.ts';
import { createAccount, signIn, type Account } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';

describe.each(DIALECTS)('the audit log filters and pages on %s', (dialect) => {
	let db: TestDb;
	let vv: number;
	let zkl: number;
	let ann: Account;
	let bob: Account;
	let indicator: { id: number; code: string };
	let ids: Record<string, number>;
	/** the entries of this test only: those of the plan loads and account set-up are older */
	let firstId: number;

	const entry = (
		name: string,
		at: string,
		over: { user?: number | null; programme?: number; entity?: string; entityId?: number | null; action?: string }
	) =>
		db.db
			.insertInto('audit_log')
			.values({
				at,
				user_id: over.user ?? null,
				programme_id: over.programme ?? vv,
				entity: over.entity ?? 'measurement',
				entity_id: over.entityId ?? null,
				action: over.action ?? 'update',
				before: JSON.stringify({ note: `${name} voor` }),
				after: JSON.stringify({ note: `${name} na` })
			})
			.returning('id')
			.executeTakeFirstOrThrow()
			.then((r) => (ids[name] = r.id));

	const page = (q: AuditQuery, scope: { programmeId?: number } = { programmeId: vv }) =>
		auditPage(db.db, scope, { ...q, after: q.after ?? (q.before === undefined ? firstId - 1 : undefined) });
	/** the names of the test's entries on a page, newest first */
	const names = (entries: { id: number }[]) =>
		entries.filter((e) => e.id >= firstId).map((e) => Object.entries(ids).find(([, id]) => id === e.id)?.[0]);
	const search = (s: string) => auditQueryFromSearch(new URLSearchParams(s)).query;

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db);
		const programmes = await db.db.selectFrom('programmes').select(['id', 'slug']).execute();
		vv = programmes.find((p) => p.slug === 'vleuten-versterkt')!.id;
		zkl = programmes.find((p) => p.slug === 'zkl-onder-druk')!.id;
		ann = await createAccount(db.db, { role: 'lead', programme: 'vleuten-versterkt' });
		bob = await createAccount(db.db, { role: 'lead', programme: 'vleuten-versterkt' });
		indicator = await db.db
			.selectFrom('indicators')
			.select(['id', 'code'])
			.where('programme_id', '=', vv)
			.orderBy('id')
			.executeTakeFirstOrThrow();
		ids = {};
		// 30 June 23:59 and 1 July 00:00 in Dutch summer time (CEST, UTC+2); 1 and 2 December in CET (UTC+1)
		await entry('juni-laat', '2026-06-30T21:59:00.000Z', { user: ann.id });
		firstId = ids['juni-laat'];
		await entry('juli-vroeg', '2026-06-30T22:00:00.000Z', { user: bob.id, action: 'approve', entityId: 41 });
		await entry('juli-laat', '2026-07-01T21:59:59.000Z', { user: ann.id, entity: 'indicator', entityId: indicator.id });
		await entry('december-laat', '2026-12-01T22:59:00.000Z', { user: bob.id, entityId: 41 });
		await entry('december-vroeg', '2026-12-01T23:00:00.000Z', { user: ann.id, action: 'create' });
		await entry('ander-programma', '2026-12-01T23:30:00.000Z', { user: ann.id, programme: zkl });
		await entry('systeem', '2026-12-02T10:00:00.000Z', { user: null, entity: 'plan', action: 'load' });
	});
	afterAll(async () => db?.drop());

	it('should keep to the programme, newest first', async () => {
		expect(names((await page({})).entries)).toEqual([
			'systeem',
			'december-vroeg',
			'december-laat',
			'juli-laat',
			'juli-vroeg',
			'juni-laat'
		]);
		expect(names((await page({}, {})).entries)).toContain('ander-programma');
	});

	it('should filter by who, what, and the object by kind, id or indicator code', async () => {
		expect(names((await page(search(`wie=${bob.id}`))).entries)).toEqual(['december-laat', 'juli-vroeg']);
		expect(names((await page(search('wat=approve'))).entries)).toEqual(['juli-vroeg']);
		expect(names((await page(search('soort=indicator'))).entries)).toEqual(['juli-laat']);
		expect(names((await page(search('soort=measurement&object=41'))).entries)).toEqual(['december-laat', 'juli-vroeg']);
		const byCode = await page(search(`object=${indicator.code}`));
		expect(names(byCode.entries)).toEqual(['juli-laat']);
		expect(byCode.entries[0].object.code).toBe(indicator.code);
		expect(names((await page(search(`wie=${ann.id}&wat=create`))).entries)).toEqual(['december-vroeg']);
	});

	it('should read the days in Dutch time, both ends included, in summer and in winter', async () => {
		expect(names((await page(search('van=2026-07-01&tot=2026-07-01'))).entries)).toEqual(['juli-laat', 'juli-vroeg']);
		expect(names((await page(search('tot=2026-06-30'))).entries)).toEqual(['juni-laat']);
		expect(names((await page(search('van=2026-12-02&tot=2026-12-02'))).entries)).toEqual(['systeem', 'december-vroeg']);
		expect(names((await page(search('van=2026-12-01&tot=2026-12-01'))).entries)).toEqual(['december-laat']);
	});

	it('should list the people who appear in the log for the "wie" filter', async () => {
		const { authors } = await page({});
		expect(authors.map((a) => a.id)).toEqual(expect.arrayContaining([ann.id, bob.id]));
	});

	it('should page through the filtered log both ways, bounded, without gaps or repeats', async () => {
		const q = search(`wie=${ann.id}`);
		const first = await auditPage(db.db, { programmeId: vv }, { ...q, limit: 2 });
		expect(names(first.entries)).toEqual(['december-vroeg', 'juli-laat']);
		expect(first.newer).toBeNull();
		expect(first.older).toBe(ids['juli-laat']);
		const second = await auditPage(db.db, { programmeId: vv }, { ...q, limit: 2, before: first.older! });
		expect(names(second.entries)).toEqual(['juni-laat']);
		expect(second.newer).toBe(ids['juni-laat']);
		const back = await auditPage(db.db, { programmeId: vv }, { ...q, limit: 2, after: second.newer! });
		expect(names(back.entries)).toEqual(['december-vroeg', 'juli-laat']);
		expect(back.newer).toBeNull();
	});

	it('should take the same filters in the API, and refuse bad ones with a Dutch 400', async () => {
		const api = createApi(db);
		const admin = await createAccount(db.db, 'admin');
		const cookie = await signIn((p, init) => Promise.resolve(api.request(p, init)), admin);
		const get = (q: string) => api.request(`/api/v1/programmes/vleuten-versterkt/audit?${q}`, { headers: { cookie } });
		const ok = await get(`user=${bob.id}&action=approve&from=2026-07-01&to=2026-07-01`);
		expect(ok.status).toBe(200);
		expect(((await ok.json()) as { id: number }[]).map((e) => e.id)).toEqual([ids['juli-vroeg']]);
		// an indicator code finds its measurements too
		const created = await api.request('/api/v1/programmes/vleuten-versterkt/measurements', {
			method: 'POST',
			headers: { cookie, 'content-type': 'application/json', origin: 'http://localhost' },
			body: JSON.stringify({ indicator: 'VV-T1-AANDACHT', region: 'obs-haarzicht', date: '2025-03-01', value: 31 })
		});
		expect(created.status, await created.clone().text()).toBe(201);
		const { id } = (await created.json()) as { id: number };
		const byCode = (await (await get('object=VV-T1-AANDACHT&entity=measurement')).json()) as {
			entityId: number;
			object: { code: string; unit: string };
		}[];
		expect(byCode.map((e) => e.entityId)).toEqual([id]);
		expect(byCode[0].object).toMatchObject({ code: 'VV-T1-AANDACHT', unit: 'percent' });

		const bad = await get('from=1-7-2026&entity=nonsense');
		expect(bad.status).toBe(400);
		const body = (await bad.json()) as { error: { code: string; issues: { path: string; message: string }[] } };
		expect(body.error.code).toBe('invalid_input');
		expect(body.error.issues.map((i) => i.message).join(' ')).toMatch(/verwacht een datum/);
	});
});
