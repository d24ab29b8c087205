import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createApi } from '../../src/lib/server/api/app.ts';
import type { Actor } from '../../src/lib/domain/permissions.ts';
import { readIndicatorForm, type FormValues } from '../../src/lib/domain/plan-edit.ts';
import { findProgramme } from '../../src/lib/server/services/kompas.service.ts';
import { indicatorEditor, updateIndicator } from '../../src/lib/server/services/indicator-edit.service.ts';
import { exportPlanYaml } from '../../src/lib/server/services/plan-export.service.ts';
import { loadPlan } from '../../src/lib/server/services/plan-loader.service.ts';
import { validatePlan } from '../../src/lib/domain/plan-validation.ts';
import { currentLibrary } from '../../src/lib/server/services/indicator-edit.service.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans, tableCounts } from '../helpers/plans.ts';
import type { Json } from '../helpers/client.ts';

const VV = '/api/v1/programmes/vleuten-versterkt';
const SCORE = 'VV-T4-VS1-VERTROUWEN'; // rules: { min: 1, max: 10 } in the seed plan
const NUT = 'VV-T1-S1-NUT'; // rules: { min: 0, max: 100 }; the test adds maxChange 20
const FLAG = 'Verandering van +35 t.o.v. vorige meting (40 op 1-3-2025) is groter dan toegestaan (20).';
type Who = 'lead' | 'aanjager';

describe.each(DIALECTS)('validation rules per indicator on %s', (dialect) => {
	let db: TestDb;
	let api: ReturnType<typeof createApi>;
	const cookies = {} as Record<Who, string>;
	let lead: Actor;
	const call = async (who: Who, method: string, path: string, body?: unknown, type = 'application/json') => {
		const res = await api.request(`${VV}${path}`, {
			method,
			headers: { cookie: cookies[who], origin: 'http://localhost', 'content-type': type },
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
		});
		return { status: res.status, body: (await res.json()) as Json };
	};
	const measurementsOf = (code: string) =>
		db.db
			.selectFrom('measurements as m')
			.innerJoin('indicators as i', 'i.id', 'm.indicator_id')
			.select(['m.date', 'm.value', 'm.status', 'm.review_flags'])
			.where('i.code', '=', code)
			.orderBy('m.date')
			.execute();
	const setRules = (code: string, rules: { rule_min?: number; rule_max?: number; rule_max_change?: number | null }) =>
		db.db.updateTable('indicators').set(rules).where('code', '=', code).execute();

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db);
		api = createApi(db);
		const fetcher = (p: string, init: RequestInit) => Promise.resolve(api.request(p, init));
		const leadAccount = await createAccount(db.db, { role: 'lead', programme: 'vleuten-versterkt' });
		cookies.lead = await signIn(fetcher, leadAccount);
		cookies.aanjager = await signIn(
			fetcher,
			await createAccount(db.db, { role: 'aanjager', programme: 'vleuten-versterkt' })
		);
		const programme = (await findProgramme(db.db, 'vleuten-versterkt'))!;
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

	it('should load the seed plan’s rules into the indicator columns, and export → load → export them unchanged', async () => {
		const row = await db.db
			.selectFrom('indicators')
			.select(['rule_min', 'rule_max', 'rule_max_change'])
			.where('code', '=', SCORE)
			.executeTakeFirstOrThrow();
		expect(row).toEqual({ rule_min: 1, rule_max: 10, rule_max_change: null });
		await setRules(NUT, { rule_max_change: 20.5 });
		const programme = (await findProgramme(db.db, 'vleuten-versterkt'))!;
		const first = await exportPlanYaml({ db: db.db, programme });
		expect(first.ok).toBe(true);
		const text = first.ok ? first.value : '';
		const plan = parse(text);
		const nut = plan.themes[0].nextSteps[0].solutions[0].indicators.find((i: { code: string }) => i.code === NUT);
		expect(nut.rules).toEqual({ min: 0, max: 100, maxChange: 20.5 });
		const other = await migratedDb(dialect);
		try {
			const checked = validatePlan(plan, currentLibrary());
			if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
			await loadPlan(other.db, checked.value, currentLibrary());
			const again = await exportPlanYaml({
				db: other.db,
				programme: (await findProgramme(other.db, 'vleuten-versterkt'))!
			});
			expect(again.ok && again.value).toBe(text);
		} finally {
			await other.drop();
			await setRules(NUT, { rule_max_change: null });
		}
	});

	it('should refuse an entry outside the range with the plan’s reason and store nothing; the bounds are accepted', async () => {
		const before = await tableCounts(db);
		const refused = await call('aanjager', 'POST', '/measurements', {
			indicator: SCORE,
			region: 'obs-haarzicht',
			date: '2025-02-01',
			value: 11
		});
		expect(refused).toEqual({
			status: 400,
			body: {
				error: {
					code: 'invalid_input',
					message: expect.any(String),
					issues: [{ path: 'value', message: 'Waarde 11 ligt buiten het toegestane bereik 1–10.' }]
				}
			}
		});
		expect(await tableCounts(db)).toEqual(before);
		const edge = await call('aanjager', 'POST', '/measurements', {
			indicator: SCORE,
			region: 'obs-haarzicht',
			date: '2025-02-01',
			value: 10
		});
		expect(edge.status).toBe(201);
		expect(edge.body).toMatchObject({ value: 10, reviewFlags: [] });
	});

	it('should store a too-large change with its reason, return it on reads and keep it through approval', async () => {
		await setRules(NUT, { rule_max_change: 20 });
		try {
			const previous = await call('lead', 'POST', '/measurements', {
				indicator: NUT,
				region: 'obs-haarzicht',
				date: '2025-03-01',
				value: 40
			});
			expect(previous.body).toMatchObject({ status: 'approved', reviewFlags: [] });
			// an older approved value is not the previous one
			await call('lead', 'POST', '/measurements', {
				indicator: NUT,
				region: 'obs-haarzicht',
				date: '2025-01-01',
				value: 90
			});
			const big = await call('aanjager', 'POST', '/measurements', {
				indicator: NUT,
				region: 'obs-haarzicht',
				date: '2025-04-01',
				value: 75
			});
			expect(big).toMatchObject({ status: 201, body: { status: 'submitted', reviewFlags: [FLAG] } });
			const id = (big.body as { id: number }).id;
			expect((await call('lead', 'GET', `/measurements/${id}`)).body).toMatchObject({ reviewFlags: [FLAG] });
			const queue = await call('lead', 'GET', '/measurements?status=submitted');
			expect((queue.body as { measurements: { id: number; reviewFlags: string[] }[] }).measurements).toContainEqual(
				expect.objectContaining({ id, reviewFlags: [FLAG] })
			);
			// within the allowed change (and another region, without a previous value): no flag
			const small = await call('aanjager', 'POST', '/measurements', {
				indicator: NUT,
				region: 'obs-haarzicht',
				date: '2025-04-02',
				value: 60
			});
			expect(small.body).toMatchObject({ reviewFlags: [] });
			const approved = await call('lead', 'POST', `/measurements/${id}/approve`, { version: 1 });
			expect(approved).toMatchObject({ status: 200, body: { status: 'approved', reviewFlags: [FLAG] } });
			expect((await measurementsOf(NUT)).find((m) => m.date === '2025-04-01')).toMatchObject({
				status: 'approved',
				review_flags: JSON.stringify([FLAG])
			});
		} finally {
			await setRules(NUT, { rule_max_change: null });
		}
	});

	it('should refuse to approve a value the plan’s range no longer allows, and leave it submitted', async () => {
		const entry = await call('aanjager', 'POST', '/measurements', {
			indicator: SCORE,
			region: 'amadeus-lyceum',
			date: '2025-02-03',
			value: 8
		});
		expect(entry.status).toBe(201);
		await setRules(SCORE, { rule_max: 7 });
		try {
			const id = (entry.body as { id: number }).id;
			const refused = await call('lead', 'POST', `/measurements/${id}/approve`, { version: 1 });
			expect(refused).toMatchObject({
				status: 400,
				body: { error: { issues: [{ path: 'value', message: 'Waarde 8 ligt buiten het toegestane bereik 1–7.' }] } }
			});
			expect((await call('lead', 'GET', `/measurements/${id}`)).body).toMatchObject({
				status: 'submitted',
				version: 1
			});
		} finally {
			await setRules(SCORE, { rule_max: 10 });
		}
	});

	it('should refuse a bulk approval as a whole when the range refuses one of its measurements', async () => {
		const ids: number[] = [];
		for (const [date, value] of [
			['2025-02-10', 6],
			['2025-02-17', 9]
		] as const) {
			const entry = await call('aanjager', 'POST', '/measurements', {
				indicator: SCORE,
				region: 'amadeus-lyceum',
				date,
				value
			});
			expect(entry.status).toBe(201);
			ids.push((entry.body as { id: number }).id);
		}
		await setRules(SCORE, { rule_max: 7 });
		try {
			const refused = await call('lead', 'POST', '/measurements/review', {
				items: ids.map((id) => ({ id, version: 1 })),
				decision: 'approve'
			});
			expect(refused).toMatchObject({ status: 400, body: { error: { issues: [{ path: 'items.1' }] } } });
			expect(JSON.stringify(refused.body)).toContain('Waarde 9 ligt buiten het toegestane bereik 1–7.');
			for (const id of ids)
				expect((await call('lead', 'GET', `/measurements/${id}`)).body).toMatchObject({ status: 'submitted' });
		} finally {
			await setRules(SCORE, { rule_max: 10 });
		}
	});

	it('should refuse an import with one value outside the range as a whole, naming the row, and flag a large change', async () => {
		const before = await tableCounts(db);
		const file = (...lines: string[]) =>
			`\uFEFF${['indicator;regio;datum;waarde;n;bron;toelichting', ...lines].join('\r\n')}\r\n`;
		const refused = await call(
			'aanjager',
			'POST',
			'/measurements/import',
			file(`${SCORE};obs-haarzicht;1-5-2025;7;;;`, `${SCORE};amadeus-lyceum;1-5-2025;0,5;;;`),
			'text/csv'
		);
		expect(refused).toMatchObject({
			status: 422,
			body: {
				error: {
					code: 'import_refused',
					issues: [{ row: 3, column: 'waarde', message: 'Waarde 0,5 ligt buiten het toegestane bereik 1–10.' }]
				}
			}
		});
		expect(await tableCounts(db)).toEqual(before);

		await setRules(NUT, { rule_max_change: 20 });
		try {
			const imported = await call(
				'aanjager',
				'POST',
				'/measurements/import',
				file(`${NUT};obs-haarzicht;1-5-2025;41;;;`, `${NUT};obs-haarzicht;2-5-2025;90,5;;;`),
				'text/csv'
			);
			expect(imported).toEqual({ status: 200, body: { rows: 2, added: 2, replaced: 0, unchanged: 0 } });
			// the previous approved value before both is 75 (1-4-2025); the file's own rows are not each other's previous
			const rows = await measurementsOf(NUT);
			expect(rows.filter((m) => m.date >= '2025-05-01').map((m) => [m.date, m.review_flags])).toEqual([
				[
					'2025-05-01',
					JSON.stringify(['Verandering van -34 t.o.v. vorige meting (75 op 1-4-2025) is groter dan toegestaan (20).'])
				],
				['2025-05-02', null]
			]);
		} finally {
			await setRules(NUT, { rule_max_change: null });
		}
	});

	it('should set the rules in the meetplan editor, and refuse min above max or a change of 0 with Dutch messages', async () => {
		const programme = (await findProgramme(db.db, 'vleuten-versterkt'))!;
		const editor = (await indicatorEditor({ db: db.db, programme }, SCORE))!;
		expect(editor.values).toMatchObject({ ruleMin: '1', ruleMax: '10', ruleMaxChange: '' });
		const values = editor.values as FormValues;
		const refused = readIndicatorForm({ ...values, ruleMin: '8', ruleMax: '7', ruleMaxChange: '0' });
		expect(refused.ok === false && refused.errors).toEqual({
			ruleMax: 'Het maximum (7) is kleiner dan het minimum (8).',
			ruleMaxChange: 'De grootste verandering is een getal groter dan 0.'
		});
		expect(readIndicatorForm({ ...values, ruleMin: 'veel' })).toMatchObject({
			ok: false,
			errors: { ruleMin: 'Vul een getal in (of laat het veld leeg: geen regel).' }
		});
		const read = readIndicatorForm({ ...values, ruleMin: '', ruleMax: '9,5', ruleMaxChange: '1,5' });
		if (!read.ok) throw new Error(JSON.stringify(read.errors));
		const saved = await updateIndicator({ db: db.db, programme, actor: lead }, SCORE, editor.version, read.value);
		expect(saved.ok).toBe(true);
		expect(
			await db.db
				.selectFrom('indicators')
				.select(['rule_min', 'rule_max', 'rule_max_change'])
				.where('code', '=', SCORE)
				.executeTakeFirstOrThrow()
		).toEqual({ rule_min: null, rule_max: 9.5, rule_max_change: 1.5 });
	});
});
