import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../src/lib/server/api/app.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans, tableCounts } from '../helpers/plans.ts';
import { expectEvery } from '../helpers/expect-every.ts';
import { apiClient, type Json } from '../helpers/client.ts';
import type { InferRequestType } from 'hono/client';

const VV = '/api/v1/programmes/vleuten-versterkt';

describe.each(DIALECTS)('measurement export on %s', (dialect) => {
	let db: TestDb;
	let api: ReturnType<typeof createApi>;
	const cookies = { lead: '', funder: '', aanjager: '' };
	/** The typed client (Hono RPC) as `who`; the import goes raw, as the file's bytes with their content type. */
	const as = (who: keyof typeof cookies) => apiClient(api, () => ({ cookie: cookies[who] })).api.v1.programmes[':slug'];
	const P = { slug: 'vleuten-versterkt' };
	type Filter = InferRequestType<ReturnType<typeof as>['measurements.csv']['$get']>['query'];
	const csv = (who: keyof typeof cookies, query: Filter) => as(who)['measurements.csv'].$get({ param: P, query });
	const importCsv = async (body: string | Uint8Array<ArrayBuffer>, replace = true) => {
		const res = await api.request(`${VV}/measurements/import${replace ? '?replace=true' : ''}`, {
			method: 'POST',
			headers: { cookie: cookies.lead, origin: 'http://localhost', 'content-type': 'text/csv' },
			body
		});
		return { status: res.status, body: (await res.json()) as Json };
	};
	const lines = (text: string) =>
		text
			.replace(/^\uFEFF/, '')
			.split(/\r?\n/)
			.filter(Boolean);

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db, { demo: true });
		api = createApi(db);
		const fetcher = (p: string, init: RequestInit) => Promise.resolve(api.request(p, init));
		cookies.lead = await signIn(fetcher, await createAccount(db.db, { role: 'lead', programme: 'vleuten-versterkt' }));
		cookies.funder = await signIn(
			fetcher,
			await createAccount(db.db, { role: 'funder', programme: 'vleuten-versterkt' })
		);
		cookies.aanjager = await signIn(
			fetcher,
			await createAccount(db.db, { role: 'aanjager', programme: 'vleuten-versterkt' })
		);
		// a few of every kind: a story, a note with separators and quotes, a submitted one, another region
		const rows = [
			'indicator;regio;datum;waarde;n;bron;toelichting',
			'VV-T2-VERHALEN;amadeus-lyceum;2-10-2024;"Ik dacht: alleen ik; maar nee ""echt niet""";;Mentorles;',
			'VV-T1-AANDACHT;obs-haarzicht;15-10-2024;28,5;120;Clubpeiling;"eerste ronde; 2 clubs"',
			'VV-MR-1-TRAJECTEN;utrecht;1-1-2025;57;;KOOS;=ingevoerd door KOOS',
			// texts a spreadsheet would run as a formula, full-width forms included: guarded on export, unchanged after import
			'VV-T1-AANDACHT;utrecht;16-10-2024;30;;\uFF0Bbron;"\uFF20iemand; of -1"',
			'VV-T2-VERHALEN;utrecht;3-10-2024;"\uFF1Dook dit is een verhaal";;-bron;@toelichting'
		];
		expect((await importCsv(`\uFEFF${rows.join('\r\n')}\r\n`, false)).status).toBe(200);
		const a = await as('aanjager').measurements.$post({
			param: P,
			json: { indicator: 'VV-T1-AANDACHT', region: 'limus-college', date: '2024-10-15', value: 12 }
		});
		expect(a.status).toBe(201);
	});
	afterAll(async () => db?.drop());

	it.each(['plain', 'excel-nl'] as const)(
		'should export %s CSV that imports again unchanged and exports to the same bytes',
		async (dialectName) => {
			const res = await csv('lead', { dialect: dialectName });
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
			expect(res.headers.get('content-disposition')).toMatch(
				/attachment; filename="metingen-vleuten-versterkt-.*\.csv"/
			);
			const bytes = new Uint8Array(await res.arrayBuffer()) as Uint8Array<ArrayBuffer>;
			const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
			// then a value and n column per category of the dimensions the programme's indicators are split by, if any
			expect(lines(text)[0]).toMatch(
				dialectName === 'excel-nl'
					? /^indicator;regio;datum;waarde;n;bron;toelichting;eenheid;status;verouderd na;demo(;[^;]+: [^;]+)*$/
					: /^indicator,region,date,value,n,source,note,unit,status,stale after,demo(,[^,]+: [^,]+)*$/
			);
			const separator = dialectName === 'excel-nl' ? ';' : ',';
			const categoryColumns = lines(text)[0].split(separator).length - 11;
			if (dialectName === 'excel-nl') {
				expect(text.startsWith('\uFEFF')).toBe(true);
				expect(text).toContain(
					// a per-phase value is valid to the end of the next phase (November)
					`VV-T1-AANDACHT;obs-haarzicht;15-10-2024;28,5;120;Clubpeiling;"eerste ronde; 2 clubs";procent;goedgekeurd;30-11-2024;${';'.repeat(categoryColumns)}\r\n`
				);
			}
			// the synthetic demo values stay marked in the file; the real ones are not
			const marks = lines(text)
				.slice(1)
				.map((l) => l.split(separator).slice(0, l.split(separator).length - categoryColumns))
				.map((cells) => cells[cells.length - 1]);
			expect(new Set(marks)).toEqual(new Set(['ja', '']));
			expect(
				lines(text)
					.find((l) => l.includes('Clubpeiling'))!
					.endsWith(separator)
			).toBe(true);
			expect(text).toContain(`'\uFF1Dook dit is een verhaal${separator}${separator}'-bron${separator}'@toelichting`);
			const total = lines(text).length - 1;
			const before = await tableCounts(db);
			const again = await importCsv(bytes);
			expect(again).toEqual({ status: 200, body: { rows: total, added: 0, replaced: 0, unchanged: total } });
			expect((await tableCounts(db)).measurements).toBe(before.measurements);
			const second = new Uint8Array(await (await csv('lead', { dialect: dialectName })).arrayBuffer());
			expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(second)).toBe(text);
			expect(Buffer.from(second).equals(Buffer.from(bytes))).toBe(true);
		}
	);

	it('should export approved measurements unless another status is asked for', async () => {
		const approved = lines(await (await csv('lead', { indicator: 'VV-T1-AANDACHT' })).text());
		expect(approved.some((l) => l.includes('limus-college'))).toBe(false);
		const submitted = lines(await (await csv('lead', { status: 'submitted' })).text());
		// (empty category columns, if the programme has any, after demo)
		expect(submitted.slice(1).map((l) => l.replace(/,+$/, ''))).toEqual([
			'VV-T1-AANDACHT,limus-college,2024-10-15,12,,,,procent,ingediend,2024-11-30'
		]);
		expect(lines(await (await csv('funder', { status: 'submitted' })).text())).toHaveLength(1);
	});

	it('should filter by region (with the regions below it), theme, indicator and period', async () => {
		const rows = async (query: Filter) => lines(await (await csv('lead', query)).text()).slice(1);
		expect((await rows({ region: 'amadeus-lyceum' })).map((l) => l.split(',')[0])).toEqual(['VV-T2-VERHALEN']);
		const below = await rows({ region: 'vleuten-de-meern' });
		expect(below.some((l) => l.includes(',amadeus-lyceum,'))).toBe(true);
		expect(below.some((l) => l.includes(',utrecht,'))).toBe(false);
		const theme = await rows({ theme: 'VV-T2' });
		expect(theme.length).toBeGreaterThan(0);
		expectEvery(theme, (l) => l.startsWith('VV-T2-'));
		expect(
			(await rows({ indicator: 'VV-MR-1-TRAJECTEN', from: '2025-01-01', to: '2025-01-31' })).map((l) =>
				l.split(',').slice(0, 4).join(',')
			)
		).toEqual(['VV-MR-1-TRAJECTEN,utrecht,2025-01-01,57']);
		expect(await rows({ from: '2030-01-01' })).toEqual([]);
		expect((await csv('lead', { region: 'atlantis' })).status).toBe(400);
		expect((await csv('lead', { from: '1-1-2025' })).status).toBe(400);
	});

	it('should export XLSX with numbers as numbers and dates as dates, which imports again unchanged', async () => {
		const res = await as('funder')['measurements.xlsx'].$get({ param: P, query: { indicator: 'VV-T1-AANDACHT' } });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
		const bytes = new Uint8Array(await res.arrayBuffer()) as Uint8Array<ArrayBuffer>;
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(bytes.buffer as ArrayBuffer);
		const sheet = wb.worksheets[0];
		const header = (sheet.getRow(1).values as unknown[]).slice(1);
		expect(header).toEqual([
			'indicator',
			'regio',
			'datum',
			'waarde',
			'n',
			'bron',
			'toelichting',
			'eenheid',
			'status',
			'verouderd na',
			'demo'
		]);
		let found = false;
		let guarded: unknown[] = [];
		sheet.eachRow((row, n) => {
			if (n === 1) return;
			expect(typeof row.getCell(4).value).toBe('number');
			expect(row.getCell(3).value).toBeInstanceOf(Date);
			if (
				row.getCell(2).value === 'obs-haarzicht' &&
				(row.getCell(3).value as Date).toISOString().startsWith('2024-10-15')
			) {
				found = true;
				expect([4, 5, 8, 9, 10, 11].map((c) => row.getCell(c).value)).toEqual([
					28.5,
					120,
					'procent',
					'goedgekeurd',
					new Date('2024-11-30T00:00:00Z'),
					null
				]);
			}
			if (row.getCell(2).value === 'utrecht') guarded = [row.getCell(6).value, row.getCell(7).value];
		});
		expect(found).toBe(true);
		expect(guarded).toEqual(["'\uFF0Bbron", "'\uFF20iemand; of -1"]);
		const res2 = await api.request(`${VV}/measurements/import?replace=true`, {
			method: 'POST',
			headers: {
				cookie: cookies.lead,
				origin: 'http://localhost',
				'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
			},
			body: bytes
		});
		const body = (await res2.json()) as Json;
		expect([res2.status, body.added, body.replaced]).toEqual([200, 0, 0]);
		expect(body.unchanged).toBe(sheet.rowCount - 1);
	});
});
