import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../src/lib/server/api/app.ts';
import type { Actor } from '../../src/lib/domain/permissions.ts';
import { storeDimensions, storeIndicatorDimensions, type Dimension } from '../../src/lib/domain/breakdown.ts';
import { auditChanges } from '../../src/lib/domain/audit-text.ts';
import { findProgramme } from '../../src/lib/server/services/kompas.service.ts';
import { submitMeasurement } from '../../src/lib/server/services/measurement.service.ts';
import { reviewCards } from '../../src/lib/server/services/measurement-review.service.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans, tableCounts } from '../helpers/plans.ts';
import type { Json } from '../helpers/client.ts';

const VV = '/api/v1/programmes/vleuten-versterkt';
const PERCENT = 'VV-T1-AANDACHT'; // split by geslacht in the fixture below
const SCORE = 'VV-T4-VS1-VERTROUWEN'; // rules 1–10 in the seed plan; split by geslacht
const COUNT = 'VV-T2-S1-DOEL'; // made a count split by geslacht and leeftijd below
const PLAIN = 'VV-T3-BEWUST'; // not split
const STORY = 'VV-T2-VERHALEN';

/** The fixture's dimensions: the leeftijd value 15-16 is archived. */
const DIMENSIONS: Dimension[] = [
	{
		key: 'geslacht',
		name: 'Geslacht',
		values: [
			{ key: 'meisje', name: 'Meisje' },
			{ key: 'jongen', name: 'Jongen' },
			{ key: 'anders-onbekend', name: 'Anders/onbekend' }
		]
	},
	{
		key: 'leeftijd',
		name: 'Leeftijd',
		values: [
			{ key: '10-12', name: '10–12' },
			{ key: '13-14', name: '13–14' },
			{ key: '15-16', name: '15–16', archived: true }
		]
	}
];
type Who = 'lead' | 'aanjager' | 'funder';
const cat = (category: string, value: number, n?: number, dimension = 'geslacht') => ({
	dimension,
	category,
	value,
	...(n === undefined ? {} : { n })
});

describe.each(DIALECTS)('measurements per category on %s', (dialect) => {
	let db: TestDb;
	let api: ReturnType<typeof createApi>;
	const cookies = {} as Record<Who, string>;
	let lead: Actor;
	const call = async (who: Who, method: string, path: string, body?: unknown) => {
		const res = await api.request(`${VV}${path}`, {
			method,
			headers: { cookie: cookies[who], origin: 'http://localhost', 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		return { status: res.status, body: (await res.json()) as Json };
	};
	let day = 1;
	/** A new date each call, so entries never clash on (indicator, region, date). */
	const nextDate = () => `2025-01-${String(day++).padStart(2, '0')}`;
	const stored = (id: number) =>
		db.db
			.selectFrom('measurements')
			.select(['categories', 'review_flags', 'value', 'version'])
			.where('id', '=', id)
			.executeTakeFirstOrThrow();

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db);
		const programme = (await findProgramme(db.db, 'vleuten-versterkt'))!;
		await db.db
			.updateTable('programmes')
			.set({ dimensions: storeDimensions(DIMENSIONS) })
			.where('id', '=', programme.id)
			.execute();
		for (const [code, dims] of [
			[PERCENT, ['geslacht']],
			[SCORE, ['geslacht']],
			[COUNT, ['geslacht', 'leeftijd']],
			[STORY, ['geslacht']]
		] as const)
			await db.db
				.updateTable('indicators')
				.set({ dimensions: storeIndicatorDimensions([...dims]) })
				.where('code', '=', code)
				.execute();
		await db.db
			.updateTable('indicators')
			.set({ unit: 'count', aggregation: 'sum' })
			.where('code', '=', COUNT)
			.execute();
		api = createApi(db);
		const fetcher = (p: string, init: RequestInit) => Promise.resolve(api.request(p, init));
		const vv = 'vleuten-versterkt';
		const leadAccount = await createAccount(db.db, { role: 'lead', programme: vv });
		cookies.lead = await signIn(fetcher, leadAccount);
		cookies.aanjager = await signIn(fetcher, await createAccount(db.db, { role: 'aanjager', programme: vv }));
		cookies.funder = await signIn(fetcher, await createAccount(db.db, { role: 'funder', programme: vv }));
		lead = {
			userId: leadAccount.id,
			name: 'lead',
			email: leadAccount.email,
			isAdmin: false,
			roles: { [programme.id]: 'lead' },
			via: 'session'
		};
	});
	afterAll(async () => db?.drop());

	const ctx = async () => ({ db: db.db, actor: lead, programme: (await findProgramme(db.db, 'vleuten-versterkt'))! });

	it('should store categories entered through the service in the same row, in the plan’s order, and audit them', async () => {
		const result = await submitMeasurement(await ctx(), {
			indicator: PERCENT,
			region: 'obs-haarzicht',
			date: nextDate(),
			value: '40',
			n: '100',
			categories: [
				{ dimension: 'geslacht', category: 'jongen', value: '35,5', n: '50' },
				{ dimension: 'geslacht', category: 'meisje', value: '44,5', n: '50' }
			]
		});
		expect(result.ok).toBe(true);
		const record = result.ok ? result.value : null;
		expect(record?.categories).toEqual([cat('meisje', 44.5, 50), cat('jongen', 35.5, 50)]);
		const row = await stored(record!.id);
		expect(JSON.parse(row.categories!)).toEqual([cat('meisje', 44.5, 50), cat('jongen', 35.5, 50)]);
		const audit = await db.db
			.selectFrom('audit_log')
			.select(['after'])
			.where('entity', '=', 'measurement')
			.where('entity_id', '=', record!.id)
			.executeTakeFirstOrThrow();
		const after = typeof audit.after === 'string' ? JSON.parse(audit.after) : audit.after;
		expect(after.categories).toEqual({
			'geslacht:meisje': { value: 44.5, n: 50 },
			'geslacht:jongen': { value: 35.5, n: 50 }
		});
	});

	it('should accept categories through the API (201) and give them back', async () => {
		const res = await call('lead', 'POST', '/measurements', {
			indicator: COUNT,
			region: 'obs-haarzicht',
			date: nextDate(),
			value: 60,
			categories: [
				cat('meisje', 25),
				cat('jongen', 20),
				cat('anders-onbekend', 15),
				cat('10-12', 60, undefined, 'leeftijd')
			]
		});
		expect(res.status).toBe(201);
		expect(res.body.categories).toEqual([
			{ ...cat('meisje', 25), suppressed: null },
			{ ...cat('jongen', 20), suppressed: null },
			{ ...cat('anders-onbekend', 15), suppressed: null },
			{ ...cat('10-12', 60, undefined, 'leeftijd'), suppressed: null }
		]);
		expect(JSON.parse((await stored(res.body.id)).categories!)).toHaveLength(4);
	});

	const refusals: [string, Record<string, unknown>, number, { path: string; message: string }][] = [
		[
			'an unknown category',
			{ indicator: PERCENT, value: 40, n: 100, categories: [cat('zus', 40, 50)] },
			422,
			{ path: 'categories.0', message: 'zus is geen waarde van geslacht.' }
		],
		[
			'a percentage without n',
			{ indicator: PERCENT, value: 40, n: 100, categories: [cat('meisje', 40)] },
			422,
			{ path: 'categories.0.n', message: 'Vul n in voor meisje: het aantal respondenten.' }
		],
		[
			'counts that do not add up to the total',
			{ indicator: COUNT, value: 60, categories: [cat('meisje', 25), cat('jongen', 20), cat('anders-onbekend', 10)] },
			422,
			{ path: 'categories', message: 'De aantallen per geslacht tellen op tot 55, het totaal is 60.' }
		],
		[
			'an n above the total’s',
			{ indicator: PERCENT, value: 40, n: 100, categories: [cat('meisje', 40, 101)] },
			422,
			{ path: 'categories.0.n', message: 'n van meisje (101) is groter dan n van het totaal (100).' }
		],
		[
			'a value outside the indicator’s rules',
			{ indicator: SCORE, value: 7, n: 100, categories: [cat('meisje', 11, 50)] },
			422,
			{ path: 'categories.0.value', message: 'Waarde 11 ligt buiten het toegestane bereik 1–10.' }
		],
		[
			'a percentage above 100',
			{ indicator: PERCENT, value: 40, n: 100, categories: [cat('meisje', 140, 50)] },
			422,
			{ path: 'categories.0.value', message: 'een percentage ligt tussen 0 en 100 (niet 140)' }
		],
		[
			'an archived value on a new measurement',
			{ indicator: COUNT, value: 60, categories: [cat('15-16', 10, undefined, 'leeftijd')] },
			422,
			{ path: 'categories.0', message: '15–16 (leeftijd) is gearchiveerd.' }
		],
		[
			'categories on an indicator without dimensions',
			{ indicator: PLAIN, value: 40, n: 100, categories: [cat('meisje', 40, 50)] },
			422,
			{ path: 'categories', message: 'Deze indicator wordt niet uitgesplitst: laat de categorieën weg.' }
		],
		[
			'a story split into categories',
			{ indicator: STORY, value: null, text: 'Een verhaal van de club.', categories: [cat('meisje', 40, 50)] },
			422,
			{ path: 'categories', message: 'Een verhaal wordt niet uitgesplitst.' }
		],
		[
			'a category that is not a number',
			{
				indicator: PERCENT,
				value: 40,
				n: 100,
				categories: [{ dimension: 'geslacht', category: 'meisje', value: '40' }]
			},
			400,
			{ path: 'categories.0.value', message: expect.any(String) }
		]
	];
	it.each(refusals)('should refuse %s and change nothing', async (_, body, status, issue) => {
		const before = await tableCounts(db);
		const res = await call('aanjager', 'POST', '/measurements', {
			region: 'obs-haarzicht',
			date: nextDate(),
			...body
		});
		expect(res.status).toBe(status);
		expect(res.body.error.code).toBe(status === 422 ? 'invalid_categories' : 'invalid_input');
		expect(res.body.error.issues).toContainEqual(issue);
		expect(await tableCounts(db)).toEqual(before);
	});

	it('should store the weighted-mean difference as a review flag, show it on the review card and keep it through approval', async () => {
		const res = await call('aanjager', 'POST', '/measurements', {
			indicator: PERCENT,
			region: 'obs-haarzicht',
			date: nextDate(),
			value: 30,
			n: 100,
			categories: [cat('meisje', 50, 50), cat('jongen', 30, 40), cat('anders-onbekend', 20, 10)]
		});
		expect(res.status).toBe(201);
		const flag = 'Het gewogen gemiddelde per geslacht is 39 %, het totaal 30 % (verschil 9).';
		expect(res.body.reviewFlags).toEqual([flag]);
		expect(JSON.parse((await stored(res.body.id)).review_flags!)).toEqual([flag]);
		// the card shows what was typed, the small group (n 10 is not below 10) unmarked, a smaller one marked
		const { cards } = await reviewCards(await ctx());
		const card = cards.find((c) => c.id === res.body.id)!;
		expect(card.flags).toContain(flag);
		expect(card.breakdown.map((c) => [c.name, c.value, c.n, c.small])).toEqual([
			['Meisje', 50, 50, false],
			['Jongen', 30, 40, false],
			['Anders/onbekend', 20, 10, false]
		]);
		const approved = await call('lead', 'POST', `/measurements/${res.body.id}/approve`, { version: res.body.version });
		expect(approved.status).toBe(200);
		expect(approved.body.reviewFlags).toEqual([flag]);
	});

	it('should keep the categories on an edit that leaves them out, change them with the version, and refuse a stale one', async () => {
		const created = await call('lead', 'POST', '/measurements', {
			indicator: PERCENT,
			region: 'amadeus-lyceum',
			date: nextDate(),
			value: 42,
			n: 100,
			categories: [cat('meisje', 40, 50), cat('jongen', 44, 50)]
		});
		expect(created.status).toBe(201);
		const id = created.body.id;
		const kept = await call('lead', 'PATCH', `/measurements/${id}`, {
			version: created.body.version,
			source: 'Peiling'
		});
		expect(kept.status).toBe(200);
		expect(JSON.parse((await stored(id)).categories!)).toEqual([cat('meisje', 40, 50), cat('jongen', 44, 50)]);
		const changed = await call('lead', 'PATCH', `/measurements/${id}`, {
			version: kept.body.version,
			categories: [cat('meisje', 45, 50), cat('jongen', 39, 50)]
		});
		expect(changed.status).toBe(200);
		expect(JSON.parse((await stored(id)).categories!)).toEqual([cat('meisje', 45, 50), cat('jongen', 39, 50)]);
		const before = await stored(id);
		const stale = await call('lead', 'PATCH', `/measurements/${id}`, {
			version: kept.body.version,
			categories: [cat('meisje', 1, 50)]
		});
		expect(stale.status).toBe(409);
		expect(await stored(id)).toEqual(before);
		// a changed total is checked against the kept categories: n of the total now below a category's
		const refused = await call('lead', 'PATCH', `/measurements/${id}`, { version: changed.body.version, n: 40 });
		expect(refused.status).toBe(422);
		expect(await stored(id)).toEqual(before);
		const entry = await db.db
			.selectFrom('audit_log')
			.select(['before', 'after'])
			.where('entity', '=', 'measurement')
			.where('entity_id', '=', id)
			.orderBy('id', 'desc')
			.executeTakeFirstOrThrow();
		const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
		const changes = auditChanges({ before: json(entry.before), after: json(entry.after) }, 'percent');
		expect(changes.map((c) => `${c.label} ${c.before} → ${c.after}`)).toEqual([
			'uitsplitsing: meisje 40 % (n = 50) → 45 % (n = 50)',
			'uitsplitsing: jongen 44 % (n = 50) → 39 % (n = 50)'
		]);
	});

	it('should keep an archived value already on the measurement, and refuse adding one', async () => {
		const created = await call('lead', 'POST', '/measurements', {
			indicator: COUNT,
			region: 'amadeus-lyceum',
			date: nextDate(),
			value: 30,
			categories: [cat('13-14', 30, undefined, 'leeftijd')]
		});
		expect(created.status).toBe(201);
		// archived after it was entered, as a plan edit would
		await db.db
			.updateTable('programmes')
			.set({
				dimensions: storeDimensions([
					DIMENSIONS[0],
					{ ...DIMENSIONS[1], values: DIMENSIONS[1].values.map((v) => ({ ...v, archived: v.key !== '10-12' })) }
				])
			})
			.where('slug', '=', 'vleuten-versterkt')
			.execute();
		try {
			const kept = await call('lead', 'PATCH', `/measurements/${created.body.id}`, {
				version: created.body.version,
				value: 31,
				categories: [cat('13-14', 31, undefined, 'leeftijd')]
			});
			expect(kept.status).toBe(200);
			const added = await call('lead', 'PATCH', `/measurements/${created.body.id}`, {
				version: kept.body.version,
				categories: [cat('13-14', 11, undefined, 'leeftijd'), cat('15-16', 20, undefined, 'leeftijd')]
			});
			expect(added.status).toBe(422);
			expect(added.body.error.issues).toEqual([{ path: 'categories.1', message: '15–16 (leeftijd) is gearchiveerd.' }]);
		} finally {
			await db.db
				.updateTable('programmes')
				.set({ dimensions: storeDimensions(DIMENSIONS) })
				.where('slug', '=', 'vleuten-versterkt')
				.execute();
		}
	});

	it('should suppress small groups (primary and secondary) on single GET and on lists, for every role', async () => {
		const created = await call('lead', 'POST', '/measurements', {
			indicator: PERCENT,
			region: 'limus-college',
			date: nextDate(),
			value: 40,
			n: 100,
			categories: [cat('meisje', 42, 55), cat('jongen', 39, 40), cat('anders-onbekend', 30, 5)]
		});
		expect(created.status).toBe(201);
		const expected = [
			{ ...cat('meisje', 42, 55), suppressed: null },
			{ dimension: 'geslacht', category: 'jongen', value: null, n: null, suppressed: 'derivable' },
			{ dimension: 'geslacht', category: 'anders-onbekend', value: null, n: null, suppressed: 'small' }
		];
		expect(created.body.categories).toEqual(expected);
		for (const who of ['lead', 'funder'] as const) {
			const one = await call(who, 'GET', `/measurements/${created.body.id}`);
			expect(one.status).toBe(200);
			expect(one.body.categories).toEqual(expected);
			const list = await call(who, 'GET', `/measurements?indicator=${PERCENT}&region=limus-college`);
			expect(list.status).toBe(200);
			expect(list.body.measurements.find((m: Json) => m.id === created.body.id).categories).toEqual(expected);
			expect(JSON.stringify(list.body)).not.toContain('"value":39');
		}
		// the data-entry views show what was typed
		const stored = await db.db
			.selectFrom('measurements')
			.select('categories')
			.where('id', '=', created.body.id)
			.executeTakeFirstOrThrow();
		expect(JSON.parse(stored.categories!)).toContainEqual(cat('anders-onbekend', 30, 5));
	});
});
