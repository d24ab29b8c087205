import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../src/lib/server/api/app.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, TMP, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans, tableCounts } from '../helpers/plans.ts';
import type { Json } from '../helpers/client.ts';

const VV = '/api/v1/programmes/vleuten-versterkt';
const BOM = '\uFEFF';
const csv = (...lines: string[]) => `${BOM}${lines.join('\r\n')}\r\n`;
const HEADER = 'indicator;regio;datum;waarde;n;bron;toelichting';

describe.each(DIALECTS)('measurement import on %s', (dialect) => {
	let db: TestDb;
	let api: ReturnType<typeof createApi>;
	const cookies: Record<'lead' | 'aanjager', string> = { lead: '', aanjager: '' };
	const upload = async (who: 'lead' | 'aanjager', body: BodyInit, type = 'text/csv', query = '') => {
		const res = await api.request(`${VV}/measurements/import${query}`, {
			method: 'POST',
			headers: { cookie: cookies[who], origin: 'http://localhost', 'content-type': type },
			body
		});
		return { status: res.status, body: (await res.json()) as Json };
	};
	const stored = (date: string) =>
		db.db
			.selectFrom('measurements as m')
			.innerJoin('indicators as i', 'i.id', 'm.indicator_id')
			.innerJoin('regions as r', 'r.id', 'm.region_id')
			.select(['i.code', 'r.slug', 'm.date', 'm.value', 'm.text', 'm.n', 'm.source', 'm.note', 'm.status', 'm.demo'])
			.where('m.date', '=', date)
			.orderBy('i.code')
			.orderBy('r.slug')
			.execute();

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db, { demo: true });
		api = createApi(db);
		const fetcher = (p: string, init: RequestInit) => Promise.resolve(api.request(p, init));
		cookies.lead = await signIn(fetcher, await createAccount(db.db, { role: 'lead', programme: 'vleuten-versterkt' }));
		cookies.aanjager = await signIn(
			fetcher,
			await createAccount(db.db, { role: 'aanjager', programme: 'vleuten-versterkt' })
		);
	});
	afterAll(async () => db?.drop());

	it('should import a Dutch Excel CSV in one go, say how many rows were added, and write one audit entry', async () => {
		const audits = (await tableCounts(db)).audit_log;
		const r = await upload(
			'lead',
			csv(
				HEADER,
				'VV-T1-AANDACHT;obs-haarzicht;3-2-2025;28,5%;120;Clubpeiling;',
				'VV-MR-1-TRAJECTEN;Vleuten-De Meern;3-2-2025;1.234;;;"eerste; ronde"',
				'VV-T2-VERHALEN;amadeus-lyceum;3-2-2025;"Het mag ook eens mislukken.";;;'
			)
		);
		expect(r).toEqual({ status: 200, body: { rows: 3, added: 3, replaced: 0, unchanged: 0 } });
		expect(await stored('2025-02-03')).toEqual(
			[
				{
					code: 'VV-T1-AANDACHT',
					slug: 'obs-haarzicht',
					date: '2025-02-03',
					value: 28.5,
					text: null,
					n: 120,
					source: 'Clubpeiling',
					note: null,
					status: 'approved',
					demo: 0
				},
				{
					code: 'VV-MR-1-TRAJECTEN',
					slug: 'vleuten-de-meern',
					date: '2025-02-03',
					value: 1234,
					text: null,
					n: null,
					source: null,
					note: 'eerste; ronde',
					status: 'approved',
					demo: 0
				}
			]
				.concat([
					{
						code: 'VV-T2-VERHALEN',
						slug: 'amadeus-lyceum',
						date: '2025-02-03',
						value: null,
						text: 'Het mag ook eens mislukken.',
						n: null,
						source: null,
						note: null,
						status: 'approved',
						demo: 0
					}
				] as never)
				.sort((a, b) => a.code.localeCompare(b.code))
		);
		expect((await tableCounts(db)).audit_log).toBe(audits + 1);
		const audit = await db.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
		expect([audit.entity, audit.action, JSON.parse(audit.after!)]).toEqual([
			'measurement',
			'import',
			{ file: 'upload.csv', replace: false, rows: 3, added: 3, replaced: 0, unchanged: 0 }
		]);
	});

	it('should refuse a file with any wrong row, list every wrong row, and change nothing', async () => {
		const before = await tableCounts(db);
		const r = await upload(
			'lead',
			csv(
				HEADER,
				'VV-T1-AANDACHT;obs-haarzicht;4-2-2025;40;;;',
				'VV-ONBEKEND;obs-haarzicht;4-2-2025;40;;;',
				'VV-T1-AANDACHT;haarlem;4-2-2025;40;;;',
				'VV-T1-AANDACHT;amadeus-lyceum;4-2-2025;104;;;',
				'VV-T1-AANDACHT;limus-college;1-1-2099;40;;;',
				'VV-T1-AANDACHT;obs-haarzicht;04-02-2025;41;;;',
				'VV-T1-AANDACHT;obs-haarzicht;3-2-2025;30;;;'
			)
		);
		expect(r.status).toBe(422);
		expect(r.body.error.code).toBe('import_refused');
		expect(r.body.error.message).toBe('Het bestand is geweigerd: 6 problemen. Er is niets geïmporteerd.');
		expect(r.body.error.issues.map((i: any) => [i.row, i.column])).toEqual([
			[3, 'indicator'],
			[4, 'regio'],
			[5, 'waarde'],
			[6, 'datum'],
			[7, ''],
			[8, '']
		]);
		expect(r.body.error.issues[4].message).toMatch(/dubbel.*rij 2/);
		expect(r.body.error.issues[5].message).toMatch(/al een meting.*vervangen/);
		expect(await tableCounts(db)).toEqual(before);
		expect(await stored('2025-02-04')).toEqual([]);
	});

	it('should replace existing measurements only when asked, and count unchanged rows', async () => {
		const file = csv(
			HEADER,
			'VV-T1-AANDACHT;obs-haarzicht;3-2-2025;30;120;Clubpeiling;',
			'VV-MR-1-TRAJECTEN;vleuten-de-meern;3-2-2025;1234;;;"eerste; ronde"'
		);
		expect((await upload('lead', file)).status).toBe(422);
		const r = await upload('lead', file, 'text/csv', '?replace=true');
		expect(r.body).toEqual({ rows: 2, added: 0, replaced: 1, unchanged: 1 });
		expect((await stored('2025-02-03')).find((m) => m.code === 'VV-T1-AANDACHT')?.value).toBe(30);
		// the import's one audit entry keeps what it overwrote, and what it wrote instead
		const audit = await db.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
		const key = { indicator: 'VV-T1-AANDACHT', region: 'obs-haarzicht', date: '2025-02-03' };
		const [before] = JSON.parse(audit.before!).replaced;
		const after = JSON.parse(audit.after!);
		expect(before).toMatchObject(key);
		expect(before.value).not.toBe(30);
		expect(after.replacedValues).toEqual([
			{
				...key,
				id: before.id,
				value: 30,
				text: null,
				n: 120,
				source: 'Clubpeiling',
				note: null,
				status: 'approved',
				demo: false
			}
		]);
		expect(after.replacedNotListed).toBe(0);
	});

	it('should let an aanjager import for review, but not replace approved measurements', async () => {
		const r = await upload('aanjager', csv(HEADER, 'VV-T1-AANDACHT;limus-college;5-2-2025;33;;;'));
		expect(r.body).toEqual({ rows: 1, added: 1, replaced: 0, unchanged: 0 });
		expect((await stored('2025-02-05'))[0].status).toBe('submitted');
		const over = await upload(
			'aanjager',
			csv(HEADER, 'VV-T1-AANDACHT;obs-haarzicht;3-2-2025;31;;;'),
			'text/csv',
			'?replace=true'
		);
		expect(over.status).toBe(422);
		expect(over.body.error.issues[0].message).toMatch(/goedgekeurde meting/);
	});

	it('should accept the file as multipart field `file`, plain comma CSV, and XLSX', async () => {
		const form = new FormData();
		form.append(
			'file',
			new File(['date,indicator,region,value\n2025-02-06,VV-T1-AANDACHT,obs-haarzicht,44.5\n'], 'peiling.csv', {
				type: 'text/csv'
			})
		);
		const res = await api.request(`${VV}/measurements/import`, {
			method: 'POST',
			headers: { cookie: cookies.lead, origin: 'http://localhost' },
			body: form
		});
		expect([res.status, await res.json()]).toEqual([200, { rows: 1, added: 1, replaced: 0, unchanged: 0 }]);
		const audit = await db.db.selectFrom('audit_log').select('after').orderBy('id', 'desc').executeTakeFirstOrThrow();
		expect(JSON.parse(audit.after!).file).toBe('peiling.csv');

		const wb = new ExcelJS.Workbook();
		const ws = wb.addWorksheet('Metingen');
		ws.addRow(['indicator', 'regio', 'datum', 'waarde', 'n']);
		ws.addRow(['VV-T1-AANDACHT', 'obs-haarzicht', new Date(Date.UTC(2025, 1, 7)), 45, 60]);
		const xlsx = await upload(
			'lead',
			new Uint8Array(await wb.xlsx.writeBuffer()),
			'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
		);
		expect(xlsx.body.error?.issues).toBeUndefined();
		expect(xlsx.body).toEqual({ rows: 1, added: 1, replaced: 0, unchanged: 0 });
		expect((await stored('2025-02-07'))[0]).toMatchObject({ value: 45, n: 60 });
	});

	it('should refuse an XLSX with a date where a number belongs, row and column named, not fail', async () => {
		const before = await tableCounts(db);
		const wb = new ExcelJS.Workbook();
		const ws = wb.addWorksheet('Metingen');
		ws.addRow(['indicator', 'regio', 'datum', 'waarde', 'n']);
		const day = new Date(Date.UTC(2025, 1, 8));
		ws.addRow(['VV-T1-AANDACHT', 'obs-haarzicht', day, day, day]);
		const r = await upload(
			'lead',
			new Uint8Array(await wb.xlsx.writeBuffer()),
			'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
		);
		expect(r.status).toBe(422);
		expect(r.body.error.issues.map((i: any) => [i.row, i.column, i.message])).toEqual([
			[2, 'n', 'een datum is geen getal'],
			[2, 'waarde', 'een datum is geen getal']
		]);
		expect(await tableCounts(db)).toEqual(before);
	});

	it('should let only one of two simultaneous imports of the same new rows through, and refuse the other without overwriting', async () => {
		// one batch each, so on PostgreSQL both may check before either has written
		const day = (i: number) => new Date(Date.UTC(2019, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
		const file = (value: number) =>
			csv(
				'indicator,region,date,value',
				...Array.from({ length: 400 }, (_, i) => `VV-T1-AANDACHT,amadeus-lyceum,${day(i)},${value}`)
			).replace(/;/g, ',');
		const before = (await tableCounts(db)).measurements;
		const [a, b] = await Promise.all([upload('lead', file(11)), upload('lead', file(22))]);
		expect([a.status, b.status].sort()).toEqual([200, 422]);
		const [won, lost] = a.status === 200 ? [11, b] : [22, a];
		expect(lost.body.error.issues[0].message).toMatch(/iemand anders|er is al een meting/);
		expect((await tableCounts(db)).measurements).toBe(before + 400);
		const values = await db.db
			.selectFrom('measurements as m')
			.innerJoin('regions as r', 'r.id', 'm.region_id')
			.select('m.value')
			.where('r.slug', '=', 'amadeus-lyceum')
			.where('m.date', '<', '2022-01-01')
			.execute();
		expect(new Set(values.map((v) => v.value))).toEqual(new Set([won]));
	});

	it('should answer other content types with 415, a broken multipart body with 400 and a file without rows with 422', async () => {
		expect((await upload('lead', '{}', 'application/json')).status).toBe(415);
		const empty = await upload('lead', csv(HEADER));
		expect(empty.status).toBe(422);
		expect(empty.body.error.issues[0].message).toMatch(/geen metingen/);
		expect(empty.body.error.message).toBe('Het bestand is geweigerd: 1 probleem. Er is niets geïmporteerd.');
		const broken = await upload('lead', 'geen multipart', 'multipart/form-data; boundary=xyz');
		expect([broken.status, broken.body.error.code]).toEqual([400, 'invalid_input']);
	});
});

describe('npm run measurements:import', () => {
	let db: TestDb;
	beforeAll(async () => {
		db = await migratedDb('sqlite');
		await loadBothPlans(db);
	});
	afterAll(async () => db?.drop());
	const run = (...args: string[]) =>
		spawnSync('npm', ['run', '--silent', 'measurements:import', '--', ...args], {
			env: { ...process.env, DATABASE_URL: db.url },
			encoding: 'utf8'
		});

	it('should refuse a wrong file with the same list and a non-zero exit, and import a good one', async () => {
		const bad = join(TMP, `cli-bad-${process.pid}.csv`);
		writeFileSync(
			bad,
			csv(HEADER, 'ZKL-T1-VS1-MENTAAL;atlantis;1-9-2024;50;;;', 'ZKL-T1-VS1-MENTAAL;haarlem;1-9-2024;50;;;')
		);
		const before = await tableCounts(db);
		const refused = run('--programme', 'zkl-onder-druk', bad);
		expect(refused.status).toBe(1);
		expect(refused.stderr).toMatch(/Geweigerd: .*cli-bad-\d+\.csv \(3 problemen\)\. Er is niets geïmporteerd\./);
		expect(refused.stderr).toMatch(/rij 2, regio: onbekende regio atlantis/);
		expect(await tableCounts(db)).toEqual(before);

		const indicator = await db.db
			.selectFrom('indicators as i')
			.innerJoin('programmes as p', 'p.id', 'i.programme_id')
			.select('i.code')
			.where('p.slug', '=', 'zkl-onder-druk')
			.where('i.unit', '=', 'percent')
			.where('i.derived', 'is', null)
			.executeTakeFirstOrThrow();
		const good = join(TMP, `cli-good-${process.pid}.csv`);
		writeFileSync(good, csv(HEADER, `${indicator.code};haarlem;1-9-2024;50;;;`));
		const ok = run('--programme', 'zkl-onder-druk', good);
		expect(ok.status, ok.stderr).toBe(0);
		expect(ok.stdout).toMatch(/: 1 rij gelezen; 1 toegevoegd, 0 vervangen/);
		expect(run('--programme', 'zkl-onder-druk', good).status).toBe(1);
		expect(run('--programme', 'zkl-onder-druk', '--replace', good).stdout).toMatch(/1 ongewijzigd/);
		expect(run(good).status).toBe(2);
	});
});
