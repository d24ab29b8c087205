import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../src/lib/server/api/app.ts';
import { readPlanFile } from '../../src/lib/server/plan-files.ts';
import { loadPlan } from '../../src/lib/server/services/plan-loader.service.ts';
import { parseCategories, type Dimension } from '../../src/lib/domain/breakdown.ts';
import { parseFlags } from '../../src/lib/domain/value-rules.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { tableCounts, VLEUTEN, ZKL } from '../helpers/plans.ts';
import type { Json } from '../helpers/client.ts';

const VV = '/api/v1/programmes/vleuten-versterkt';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const BOM = '\uFEFF';
const csv = (...lines: string[]) => `${BOM}${lines.join('\r\n')}\r\n`;
const MARKER = 'te weinig respondenten';

const GESLACHT: Dimension = {
	key: 'geslacht',
	name: 'Geslacht',
	values: [
		{ key: 'meisje', name: 'Meisje' },
		{ key: 'jongen', name: 'Jongen' },
		{ key: 'anders-onbekend', name: 'Anders/onbekend' }
	]
};
/** a dimension only a derived indicator is split by: its figures come from the action log, never from a file */
const DOELGROEP: Dimension = {
	key: 'doelgroep',
	name: 'Doelgroep',
	values: [
		{ key: 'jongeren', name: 'Jongeren' },
		{ key: 'ouders', name: 'Ouders' }
	]
};
const DERIVED = 'VV-T1-S1-BEREIK';
const PERCENT = 'VV-T1-AANDACHT';
const COUNT = 'VV-MR-1-TRAJECTEN';
const SCORE = 'VV-T4-VS1-VERTROUWEN'; // rules: { min: 1, max: 10 } in the seed plan
const SPLIT = [PERCENT, COUNT, SCORE];
const HEADER =
	'indicator;regio;datum;waarde;n;Geslacht: Meisje;Geslacht: Meisje n;geslacht:jongen;GESLACHT:JONGEN N;Geslacht: Anders/onbekend;Geslacht: Anders/onbekend n';

/** Every indicator object in a plan whose code is listed gets the dimensions (wherever it hangs in the tree). */
function splitIndicators(node: unknown, codes: readonly string[], dimensions: string[]) {
	if (Array.isArray(node)) for (const n of node) splitIndicators(n, codes, dimensions);
	else if (node && typeof node === 'object') {
		const o = node as Record<string, unknown>;
		if (typeof o.code === 'string' && codes.includes(o.code)) o.dimensions = dimensions;
		for (const v of Object.values(o)) splitIndicators(v, codes, dimensions);
	}
}

describe.each(DIALECTS)('measurement import and export with categories on %s', (dialect) => {
	let db: TestDb;
	let api: ReturnType<typeof createApi>;
	const cookies = { lead: '', funder: '' };
	const upload = async (body: BodyInit, { type = 'text/csv', replace = false } = {}) => {
		const res = await api.request(`${VV}/measurements/import${replace ? '?replace=true' : ''}`, {
			method: 'POST',
			headers: { cookie: cookies.lead, origin: 'http://localhost', 'content-type': type },
			body
		});
		return { status: res.status, body: (await res.json()) as Json };
	};
	const download = (who: keyof typeof cookies, path: string) =>
		api.request(`${VV}/${path}`, { headers: { cookie: cookies[who] } });
	const stored = async (code: string, date: string) =>
		db.db
			.selectFrom('measurements as m')
			.innerJoin('indicators as i', 'i.id', 'm.indicator_id')
			.innerJoin('regions as r', 'r.id', 'm.region_id')
			.select(['r.slug', 'm.value', 'm.n', 'm.categories', 'm.review_flags', 'm.version'])
			.where('i.code', '=', code)
			.where('m.date', '=', date)
			.orderBy('r.slug')
			.execute()
			.then((rows) =>
				rows.map((r) => ({ ...r, categories: parseCategories(r.categories), flags: parseFlags(r.review_flags) }))
			);

	beforeAll(async () => {
		db = await migratedDb(dialect);
		for (const file of [VLEUTEN, ZKL]) {
			const { plan, library } = readPlanFile(file);
			if (file === VLEUTEN) {
				plan.programme.minGroupSize = 10;
				const mine = [GESLACHT.key, DOELGROEP.key];
				plan.dimensions = [...(plan.dimensions ?? []).filter((d) => !mine.includes(d.key)), GESLACHT, DOELGROEP];
				splitIndicators(plan, SPLIT, [GESLACHT.key]);
				splitIndicators(plan, [DERIVED], [DOELGROEP.key]);
			}
			await loadPlan(db.db, plan, library);
		}
		api = createApi(db);
		const fetcher = (p: string, init: RequestInit) => Promise.resolve(api.request(p, init));
		cookies.lead = await signIn(fetcher, await createAccount(db.db, { role: 'lead', programme: 'vleuten-versterkt' }));
		cookies.funder = await signIn(
			fetcher,
			await createAccount(db.db, { role: 'funder', programme: 'vleuten-versterkt' })
		);
	});
	afterAll(async () => db?.drop());

	it('should import a Dutch Excel CSV with category columns by name and by key, and flag a weighted mean off the total', async () => {
		const r = await upload(
			csv(
				HEADER,
				`${PERCENT};obs-haarzicht;3-2-2025;30%;200;35,5;100;24,5;100;;`,
				`${PERCENT};limus-college;3-2-2025;30;200;40;100;30;90;20;10`,
				`${COUNT};vleuten-de-meern;3-2-2025;57;;30;;27;;;`,
				`${COUNT};utrecht;3-2-2025;12;;;;;;;`
			)
		);
		expect(r).toEqual({ status: 200, body: { rows: 4, added: 4, replaced: 0, unchanged: 0 } });
		const percent = await stored(PERCENT, '2025-02-03');
		expect(percent.map((m) => [m.slug, m.value, m.n, m.categories, m.flags])).toEqual([
			[
				'limus-college',
				30,
				200,
				[
					{ dimension: 'geslacht', category: 'meisje', value: 40, n: 100 },
					{ dimension: 'geslacht', category: 'jongen', value: 30, n: 90 },
					{ dimension: 'geslacht', category: 'anders-onbekend', value: 20, n: 10 }
				],
				['Het gewogen gemiddelde per geslacht is 34,5 %, het totaal 30 % (verschil 4,5).']
			],
			[
				'obs-haarzicht',
				30,
				200,
				[
					{ dimension: 'geslacht', category: 'meisje', value: 35.5, n: 100 },
					{ dimension: 'geslacht', category: 'jongen', value: 24.5, n: 100 }
				],
				[]
			]
		]);
		const counts = await stored(COUNT, '2025-02-03');
		expect(counts.map((m) => [m.slug, m.categories])).toEqual([
			['utrecht', []],
			[
				'vleuten-de-meern',
				[
					{ dimension: 'geslacht', category: 'meisje', value: 30 },
					{ dimension: 'geslacht', category: 'jongen', value: 27 }
				]
			]
		]);
	});

	it('should import an XLSX with category columns, numbers as numbers', async () => {
		const wb = new ExcelJS.Workbook();
		const sheet = wb.addWorksheet('Metingen');
		sheet.addRow(['indicator', 'regio', 'datum', 'waarde', 'n', 'Geslacht: Meisje', 'Geslacht: Meisje n']);
		sheet.addRow([SCORE, 'obs-haarzicht', new Date(Date.UTC(2025, 1, 4)), 7.5, 80, 8, 40]);
		const r = await upload(new Uint8Array(await wb.xlsx.writeBuffer()), { type: XLSX });
		expect(r).toEqual({ status: 200, body: { rows: 1, added: 1, replaced: 0, unchanged: 0 } });
		expect((await stored(SCORE, '2025-02-04')).map((m) => m.categories)).toEqual([
			[{ dimension: 'geslacht', category: 'meisje', value: 8, n: 40 }]
		]);
	});

	it('should refuse a file with one bad category cell in row 3, naming row 3 and the column, and import nothing', async () => {
		const before = await tableCounts(db);
		const r = await upload(
			csv(
				HEADER,
				`${PERCENT};obs-haarzicht;5-2-2025;30;200;35;100;25;100;;`,
				`${PERCENT};limus-college;5-2-2025;30;200;veel;100;25;100;;`
			)
		);
		expect(r.status).toBe(422);
		expect(r.body.error.issues).toEqual([
			{
				path: '3.Geslacht: Meisje',
				row: 3,
				column: 'Geslacht: Meisje',
				message: expect.stringMatching(/getal/)
			}
		]);
		expect(await tableCounts(db)).toEqual(before);
	});

	it('should refuse categories against the total, the unit, the plan’s range and the indicator, each on its row and column', async () => {
		const before = await tableCounts(db);
		const r = await upload(
			csv(
				'indicator;regio;datum;waarde;n;Geslacht: Meisje;Geslacht: Meisje n;Geslacht: Jongen;Geslacht: Jongen n;Geslacht: Anders/onbekend',
				`${COUNT};obs-haarzicht;6-2-2025;57;;30;;20;;5`,
				`${PERCENT};obs-haarzicht;6-2-2025;30;200;35;;25;100;`,
				`${SCORE};obs-haarzicht;6-2-2025;7;80;11;40;;;`,
				`${PERCENT};limus-college;6-2-2025;30;200;35;250;;;`,
				`VV-T1-S1-NUT;obs-haarzicht;6-2-2025;50;;40;;;;`
			)
		);
		expect(r.status).toBe(422);
		expect(r.body.error.issues.map((i: Json) => [i.row, i.column, i.message])).toEqual([
			[2, '', 'De aantallen per geslacht tellen op tot 55, het totaal is 57.'],
			[3, 'Geslacht: Meisje n', 'Vul n in voor meisje: het aantal respondenten.'],
			[4, 'Geslacht: Meisje', 'Waarde 11 ligt buiten het toegestane bereik 1–10.'],
			[5, 'Geslacht: Meisje n', 'n van meisje (250) is groter dan n van het totaal (200).'],
			[6, 'Geslacht: Meisje', 'Deze indicator wordt niet uitgesplitst naar geslacht.']
		]);
		expect(await tableCounts(db)).toEqual(before);
	});

	it('should refuse an unknown category column by name', async () => {
		const r = await upload(csv('indicator;regio;datum;waarde;Geslacht: Kat', `${PERCENT};obs-haarzicht;7-2-2025;30;`));
		expect(r.status).toBe(422);
		expect(r.body.error.issues).toEqual([
			expect.objectContaining({
				row: 1,
				column: 'Geslacht: Kat',
				message: expect.stringMatching(/^onbekende categoriekolom/)
			})
		]);
	});

	describe('export with a small group', () => {
		const DATE = '2025-02-10';
		beforeAll(async () => {
			// anders/onbekend has 5 respondents (primary); jongen, the smallest shown, would give it away (secondary)
			const r = await upload(csv(HEADER, `${PERCENT};amadeus-lyceum;10-2-2025;30;120;35;60;26;55;17;5`));
			expect(r.status).toBe(200);
		});

		const rowOf = (lines: string[], needle: string) => lines.find((l) => l.includes(needle))!;
		const cellsOf = async (who: keyof typeof cookies, dialectName: 'plain' | 'excel-nl') => {
			const res = await download(who, `measurements.csv?dialect=${dialectName}&indicator=${PERCENT}`);
			expect(res.status).toBe(200);
			const text = (await res.text()).replace(/^\uFEFF/, '');
			const lines = text.split(/\r?\n/).filter(Boolean);
			const sep = dialectName === 'excel-nl' ? ';' : ',';
			const header = lines[0].split(sep);
			const row = rowOf(lines, 'amadeus-lyceum').split(sep);
			return { text, cell: (name: string) => row[header.indexOf(name)], header };
		};

		it.each(['plain', 'excel-nl'] as const)(
			'should write "te weinig respondenten" in %s CSV for the small group and the derivable one, never their numbers',
			async (dialectName) => {
				for (const who of ['lead', 'funder'] as const) {
					const { cell, header } = await cellsOf(who, dialectName);
					expect(header.slice(-6)).toEqual([
						'Geslacht: Meisje',
						'Geslacht: Meisje n',
						'Geslacht: Jongen',
						'Geslacht: Jongen n',
						'Geslacht: Anders/onbekend',
						'Geslacht: Anders/onbekend n'
					]);
					expect([cell('Geslacht: Meisje'), cell('Geslacht: Meisje n')]).toEqual(['35', '60']);
					for (const name of ['Jongen', 'Anders/onbekend']) {
						expect(cell(`Geslacht: ${name}`)).toBe(MARKER);
						expect(cell(`Geslacht: ${name} n`)).toBe(MARKER);
					}
					for (const number of ['26', '55', '17', '5'])
						for (const name of ['Jongen', 'Anders/onbekend'])
							expect([cell(`Geslacht: ${name}`), cell(`Geslacht: ${name} n`)]).not.toContain(number);
				}
			}
		);

		it('should add no columns for a dimension only a derived indicator is split by', async () => {
			const { header } = await cellsOf('lead', 'plain');
			expect(header.filter((h) => h.startsWith('Doelgroep'))).toEqual([]);
			const derived = await download('lead', `measurements.csv?indicator=${DERIVED}`);
			expect((await derived.text()).split('\n')[0]).toBe(
				'indicator,region,date,value,n,source,note,unit,status,stale after,demo'
			);
		});

		it('should write the same in XLSX', async () => {
			const res = await download('funder', `measurements.xlsx?indicator=${PERCENT}`);
			const wb = new ExcelJS.Workbook();
			await wb.xlsx.load(await res.arrayBuffer());
			const sheet = wb.worksheets[0];
			const header = (sheet.getRow(1).values as unknown[]).slice(1);
			let cells: unknown[] = [];
			sheet.eachRow((row) => {
				if (row.getCell(2).value === 'amadeus-lyceum')
					cells = (row.values as unknown[]).slice(header.indexOf('Geslacht: Meisje') + 1);
			});
			expect(cells).toEqual([35, 60, MARKER, MARKER, MARKER, MARKER]);
		});

		it('should import its own export back with "replace" and change nothing, the small group’s figure kept', async () => {
			const before = await stored(PERCENT, DATE);
			for (const [path, type] of [
				['measurements.csv?dialect=excel-nl', 'text/csv'],
				['measurements.csv', 'text/csv'],
				['measurements.xlsx', XLSX]
			]) {
				const file = new Uint8Array(await (await download('lead', path)).arrayBuffer());
				const r = await upload(file, { type, replace: true });
				expect(r.status).toBe(200);
				expect([r.body.added, r.body.replaced, r.body.unchanged]).toEqual([0, 0, r.body.rows]);
			}
			const after = await stored(PERCENT, DATE);
			expect(after).toEqual(before);
			expect(after[0].categories).toEqual([
				{ dimension: 'geslacht', category: 'meisje', value: 35, n: 60 },
				{ dimension: 'geslacht', category: 'jongen', value: 26, n: 55 },
				{ dimension: 'geslacht', category: 'anders-onbekend', value: 17, n: 5 }
			]);
		});

		it('should keep a stored small group when the total changes, and refuse the marker for a new measurement', async () => {
			const kept = await upload(
				csv(HEADER, `${PERCENT};amadeus-lyceum;10-2-2025;31;120;36;60;${MARKER};${MARKER};${MARKER};`),
				{ replace: true }
			);
			expect(kept.body).toEqual({ rows: 1, added: 0, replaced: 1, unchanged: 0 });
			expect((await stored(PERCENT, DATE))[0].categories).toEqual([
				{ dimension: 'geslacht', category: 'meisje', value: 36, n: 60 },
				{ dimension: 'geslacht', category: 'jongen', value: 26, n: 55 },
				{ dimension: 'geslacht', category: 'anders-onbekend', value: 17, n: 5 }
			]);
			const audit = await db.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
			const detail = (side: string | null, list: string) => JSON.parse(side!)[list][0].categories;
			expect(detail(audit.before, 'replaced')[0]).toEqual({
				dimension: 'geslacht',
				category: 'meisje',
				value: 35,
				n: 60
			});
			expect(detail(audit.after, 'replacedValues')[0]).toEqual({
				dimension: 'geslacht',
				category: 'meisje',
				value: 36,
				n: 60
			});
			const before = await tableCounts(db);
			const r = await upload(
				csv(HEADER, `${PERCENT};amadeus-lyceum;11-2-2025;30;120;35;60;26;55;Te Weinig Respondenten;`),
				{ replace: true }
			);
			expect(r.status).toBe(422);
			expect(r.body.error.issues.map((i: Json) => [i.row, i.column, i.message])).toEqual([
				[2, 'Geslacht: Anders/onbekend', 'geen waarde: te weinig respondenten kan alleen een bestaande waarde behouden']
			]);
			expect(await tableCounts(db)).toEqual(before);
		});
	});
});
