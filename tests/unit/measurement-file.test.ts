import { existsSync, readdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import {
	IMPORT_LIMITS,
	ImportChecker,
	IssueList,
	formatIssue,
	type ImportIssue,
	type ImportRow
} from '../../src/lib/domain/measurement-import.ts';
import type { EntryContext, IndicatorRef } from '../../src/lib/domain/measurement.ts';
import { FileReadError, openMeasurementFile } from '../../src/lib/server/files/measurement-reader.ts';
import { csvStream, xlsxStream, type ExportRow } from '../../src/lib/server/files/measurement-writer.ts';
import { SPOOL_DIR } from '../../src/lib/server/files/xlsx-first-sheet.ts';

const INDICATORS: IndicatorRef[] = [
	{ id: 1, code: 'VV-P', unit: 'percent', derived: false },
	{ id: 2, code: 'VV-C', unit: 'count', derived: false },
	{ id: 3, code: 'VV-S', unit: 'score', derived: false },
	{ id: 4, code: 'VV-T', unit: 'text', derived: false },
	{ id: 5, code: 'VV-BEREIK', unit: 'count', derived: true }
];
const REGIONS = [
	{ id: 10, slug: 'vleuten-de-meern', name: 'Vleuten-De Meern' },
	{ id: 11, slug: 'obs-haarzicht', name: 'OBS Haarzicht' }
];
const context = (decimal: ',' | '.'): EntryContext => ({
	indicator: (code) => INDICATORS.find((i) => i.code === code.toUpperCase()),
	region: (key) => REGIONS.find((r) => r.slug === key || r.name.toLowerCase() === key.toLowerCase()),
	today: '2025-03-01',
	decimal
});

/** Reads a whole file the way the import service does: header, then each row through the checker. */
async function read(
	bytes: Buffer | string,
	chunkSize = 7
): Promise<{ rows: ImportRow[]; issues: ImportIssue[]; kind: string }> {
	const buf = Buffer.from(bytes);
	const chunks = [];
	for (let i = 0; i < buf.length; i += chunkSize) chunks.push(buf.subarray(i, i + chunkSize));
	const rows: ImportRow[] = [];
	const issues: ImportIssue[] = [];
	let file;
	try {
		file = await openMeasurementFile(Readable.from(chunks));
		const checker = new ImportChecker(context(file.decimal));
		let header = false;
		for await (const { row, cells } of file.rows) {
			if (!header) {
				header = true;
				issues.push(...checker.header(cells, row));
				continue;
			}
			const r = checker.row(cells, row);
			if (r === null) continue;
			if (r.ok) rows.push(r.row);
			else issues.push(...r.issues);
		}
	} catch (e) {
		if (!(e instanceof FileReadError)) throw e;
		issues.push({ row: e.row, column: '', message: e.message });
	}
	return { rows, issues, kind: file?.kind ?? '?' };
}
const values = (rows: ImportRow[]) =>
	rows.map((r) => [
		r.row,
		r.entry.indicator.code,
		r.entry.region.slug,
		r.entry.date,
		r.entry.value ?? r.entry.text,
		r.entry.n
	]);
const BOM = '\uFEFF';

describe(openMeasurementFile.name, () => {
	it('should read CSV the way Dutch Excel writes it: BOM, semicolons, decimal comma, % sign, CRLF, d-m-yyyy', async () => {
		const text = `${BOM}indicator;regio;datum;waarde;n;bron;toelichting\r\nVV-P;vleuten-de-meern;30-9-2024;28,5%;120;Peiling;\r\nVV-C;obs-haarzicht;1-10-2024;1.234;;;\r\n`;
		const { rows, issues, kind } = await read(text);
		expect(kind).toBe('csv');
		expect(issues).toEqual([]);
		expect(values(rows)).toEqual([
			[2, 'VV-P', 'vleuten-de-meern', '2024-09-30', 28.5, 120],
			[3, 'VV-C', 'obs-haarzicht', '2024-10-01', 1234, null]
		]);
	});

	it('should read plain comma CSV with ISO dates and English headers in any column order', async () => {
		const text =
			'date,value,region,indicator,note\n2024-09-30,28.5,vleuten-de-meern,VV-P,"met, komma"\n2024-09-30,"1,234,567",obs-haarzicht,VV-C,\n';
		const { rows, issues } = await read(text);
		expect(issues).toEqual([]);
		expect(values(rows)).toEqual([
			[2, 'VV-P', 'vleuten-de-meern', '2024-09-30', 28.5, null],
			[3, 'VV-C', 'obs-haarzicht', '2024-09-30', 1234567, null]
		]);
		expect(rows[0].entry.note).toBe('met, komma');
	});

	it('should read 0.125 as a decimal in a Dutch file and 0,125 in a comma file, and refuse a comma that may mean either', async () => {
		const dutch = await read(
			`indicator;regio;datum;waarde\r\nVV-S;obs-haarzicht;1-9-2024;0.125\r\nVV-S;vleuten-de-meern;1-9-2024;-0,125\r\n`
		);
		expect(dutch.issues).toEqual([]);
		expect(dutch.rows.map((r) => r.entry.value)).toEqual([0.125, -0.125]);
		const plain = await read(
			'indicator,region,date,value\nVV-S,obs-haarzicht,2024-09-01,"0,125"\nVV-S,vleuten-de-meern,2024-09-01,"1,125"\nVV-C,obs-haarzicht,2024-09-01,1.125\n'
		);
		expect(plain.rows.map((r) => r.entry.value)).toEqual([0.125]);
		expect(plain.issues).toEqual([
			{ row: 3, column: 'value', message: expect.stringContaining('"1,125" is dubbelzinnig: 1125 of 1,125?') },
			{ row: 4, column: 'value', message: 'een aantal is een heel getal van 0 of meer (niet 1.125)' }
		]);
	});

	it('should keep a semicolon inside quotes in the field, and read doubled quotes', async () => {
		const text = `indicator;regio;datum;waarde;bron;toelichting\r\nVV-P;obs-haarzicht;1-9-2024;50;"GGD; peiling ""najaar""";"regel 1\r\nregel 2"\r\nVV-P;vleuten-de-meern;1-9-2024;51;;\r\n`;
		const { rows, issues } = await read(text);
		expect(issues).toEqual([]);
		expect(rows.map((r) => [r.row, r.entry.source, r.entry.note])).toEqual([
			[2, 'GGD; peiling "najaar"', 'regel 1\r\nregel 2'],
			[4, null, null]
		]);
	});

	it('should skip empty lines and lines of separators only, keeping the row numbers of the file', async () => {
		const text = `indicator;regio;datum;waarde\r\n\r\nVV-P;obs-haarzicht;1-9-2024;50\r\n;;;\r\n\r\nVV-P;vleuten-de-meern;1-9-2024;104\r\n`;
		const { rows, issues } = await read(text);
		expect(rows.map((r) => r.row)).toEqual([3]);
		expect(issues).toEqual([{ row: 6, column: 'waarde', message: 'een percentage ligt tussen 0 en 100 (niet 104)' }]);
	});

	it('should ignore trailing separators on the header and on rows', async () => {
		const text = `indicator;regio;datum;waarde;\r\nVV-P;obs-haarzicht;1-9-2024;50;\r\nVV-P;vleuten-de-meern;1-9-2024;40;;\r\n`;
		const { rows, issues } = await read(text);
		expect(issues).toEqual([]);
		expect(rows).toHaveLength(2);
	});

	it('should refuse a value in a column without a header', async () => {
		const { issues } = await read(`indicator;regio;datum;waarde\r\nVV-P;obs-haarzicht;1-9-2024;50;oeps\r\n`);
		expect(issues).toEqual([{ row: 2, column: 'kolom 5', message: 'deze rij heeft meer kolommen dan de kopregel' }]);
	});

	it('should list every wrong row with its row number, column and reason', async () => {
		const text = [
			'indicator;regio;datum;waarde;n',
			'VV-ONBEKEND;obs-haarzicht;1-9-2024;50;',
			'VV-P;atlantis;1-9-2024;50;',
			'VV-P;obs-haarzicht;1-9-2024;104;',
			'VV-P;vleuten-de-meern;1-1-2030;50;',
			'VV-P;vleuten-de-meern;1-9-2024;n.v.t.;',
			'VV-P;vleuten-de-meern;2-9-2024;50;n.v.t.',
			'VV-C;vleuten-de-meern;2-9-2024;12,5;',
			'VV-P;vleuten-de-meern;2-9-2024;49;0',
			'VV-BEREIK;vleuten-de-meern;2-9-2024;12;',
			'VV-C;obs-haarzicht;3-9-2024;5%;'
		].join('\r\n');
		const { issues, rows } = await read(text);
		expect(rows.map((r) => r.row)).toEqual([7]);
		expect(issues.map(formatIssue)).toEqual([
			'rij 2, indicator: onbekende indicator VV-ONBEKEND in dit programma',
			'rij 3, regio: onbekende regio atlantis in dit programma',
			'rij 4, waarde: een percentage ligt tussen 0 en 100 (niet 104)',
			'rij 5, datum: datum 2030-01-01 ligt na vandaag',
			'rij 6, waarde: n.v.t. is geen waarde: laat de rij weg als er niets gemeten is',
			'rij 8, waarde: een aantal is een heel getal van 0 of meer (niet 12.5)',
			'rij 9, n: n is een heel getal van 1 of meer (niet 0)',
			'rij 10, indicator: deze indicator wordt afgeleid uit het actielog: metingen worden niet ingevoerd of geïmporteerd',
			'rij 11, waarde: een %-teken hoort alleen bij een percentage'
		]);
	});

	it('should refuse the same indicator, region and date twice in one file, naming the first row', async () => {
		const text = `indicator;regio;datum;waarde\r\nVV-P;obs-haarzicht;1-9-2024;50\r\nVV-P;obs-haarzicht;01-09-2024;51\r\nvv-p;OBS Haarzicht;2024-09-01;52\r\n`;
		const { issues } = await read(text);
		expect(issues).toEqual([
			{ row: 3, column: '', message: 'dubbel: dezelfde indicator, regio en datum als rij 2' },
			{ row: 4, column: '', message: 'dubbel: dezelfde indicator, regio en datum als rij 2' }
		]);
	});

	it('should refuse a header without the required columns or with unknown ones', async () => {
		const { issues } = await read(`indicator;regio;waarden;datum;datum\r\nVV-P;obs-haarzicht;50;1-9-2024;1-9-2024\r\n`);
		expect(issues.map((i) => i.message)).toEqual([
			'onbekende kolom "waarden"; bekende kolommen: indicator, regio, datum, waarde, n, bron, toelichting, demo (of in het Engels)',
			'kolom "datum" staat er twee keer in',
			'kolom "waarde" ontbreekt in de kopregel'
		]);
	});

	it('should read an optional demo column: "ja" marks demo data, empty or "nee" a real measurement', async () => {
		const text = `indicator;regio;datum;waarde;demo\r\nVV-P;obs-haarzicht;1-9-2024;50;ja\r\nVV-P;vleuten-de-meern;1-9-2024;51;\r\nVV-C;obs-haarzicht;1-9-2024;3;Nee\r\nVV-C;vleuten-de-meern;1-9-2024;4;misschien\r\n`;
		const { rows, issues } = await read(text);
		expect(rows.map((r) => [r.row, r.demo])).toEqual([
			[2, true],
			[3, false],
			[4, false]
		]);
		expect(issues).toEqual([
			{
				row: 5,
				column: 'demo',
				message: '"misschien" is geen demo-markering: schrijf "ja" voor een demo-waarde, of laat het leeg'
			}
		]);
		const withoutColumn = await read('indicator;regio;datum;waarde\r\nVV-P;obs-haarzicht;1-9-2024;50\r\n');
		expect(withoutColumn.rows[0].demo).toBe(false);
		const xlsx = new ExcelJS.Workbook();
		const ws = xlsx.addWorksheet('Blad1');
		ws.addRow(['indicator', 'regio', 'datum', 'waarde', 'demo']);
		ws.addRow(['VV-P', 'obs-haarzicht', '1-9-2024', 50, true]);
		ws.addRow(['VV-P', 'vleuten-de-meern', '1-9-2024', 50, null]);
		expect((await read(Buffer.from(await xlsx.xlsx.writeBuffer()), 100)).rows.map((r) => r.demo)).toEqual([
			true,
			false
		]);
	});

	it('should read a CSV saved as Windows-1252 (Excel without UTF-8) and refuse broken quoting with the line', async () => {
		const latin = Buffer.concat([
			Buffer.from('indicator;regio;datum;waarde;toelichting\r\nVV-P;obs-haarzicht;1-9-2024;50;'),
			Buffer.from([0x63, 0x61, 0x66, 0xe9]),
			Buffer.from('\r\n')
		]);
		const { rows } = await read(latin);
		expect(rows[0].entry.note).toBe('café');
		const { issues } = await read(
			'indicator;regio;datum;waarde\r\nVV-P;obs-haarzicht;1-9-2024;50\r\nVV-P;"obs-haarzicht;1-9-2024;50\r\n'
		);
		expect(issues).toHaveLength(1);
		expect(issues[0].message).toMatch(/aanhalingsteken/);
	});

	it('should take a story in the value column for a text indicator', async () => {
		const { rows } = await read(
			`indicator;regio;datum;waarde\r\nVV-T;obs-haarzicht;1-9-2024;"Ik merk dat ik het; minder erg vind"\r\n`
		);
		expect(rows[0].entry.text).toBe('Ik merk dat ik het; minder erg vind');
		expect(rows[0].entry.value).toBeNull();
	});

	it('should read XLSX: numbers as numbers, dates as dates, percent-formatted cells as percentages', async () => {
		const wb = new ExcelJS.Workbook();
		const ws = wb.addWorksheet('Blad1');
		ws.addRow(['Indicator', 'Regio', 'Datum', 'Waarde', 'n', 'Bron']);
		ws.addRow(['VV-P', 'obs-haarzicht', new Date(Date.UTC(2024, 8, 30)), 28.5, 120, 'Peiling']);
		const pct = ws.addRow(['VV-P', 'vleuten-de-meern', new Date(Date.UTC(2024, 8, 30)), 0.285]);
		pct.getCell(4).numFmt = '0.0%';
		ws.addRow(['VV-C', 'obs-haarzicht', '1-10-2024', '1.234']);
		ws.addRow(['VV-S', 'obs-haarzicht', 45566, { formula: '2+1.5', result: 3.5 }]);
		ws.addRow([]);
		ws.addRow(['VV-P', 'obs-haarzicht', new Date(Date.UTC(2024, 9, 1)), 104]);
		const { rows, issues, kind } = await read(Buffer.from(await wb.xlsx.writeBuffer()), 100);
		expect(kind).toBe('xlsx');
		expect(values(rows)).toEqual([
			[2, 'VV-P', 'obs-haarzicht', '2024-09-30', 28.5, 120],
			[3, 'VV-P', 'vleuten-de-meern', '2024-09-30', 28.5, null],
			[4, 'VV-C', 'obs-haarzicht', '2024-10-01', 1234, null],
			[5, 'VV-S', 'obs-haarzicht', '2024-10-01', 3.5, null]
		]);
		expect(issues).toEqual([{ row: 7, column: 'Waarde', message: 'een percentage ligt tussen 0 en 100 (niet 104)' }]);
	});

	it('should read the first worksheet whatever the order of the parts in the zip, and leave no temporary file', async () => {
		const wb = new ExcelJS.Workbook();
		wb.addWorksheet('Metingen').addRows([
			['indicator', 'regio', 'datum', 'waarde'],
			['VV-P', 'obs-haarzicht', new Date(Date.UTC(2024, 8, 30)), 28.5]
		]);
		wb.addWorksheet('Toelichting').addRows([['iets anders'], ['VV-P', 'obs-haarzicht', '1-10-2024', 99]]);
		const written = Buffer.from(await wb.xlsx.writeBuffer());
		// exceljs writes xl/workbook.xml last, Excel writes it first; reversed, a worksheet is the last part
		const zip = await JSZip.loadAsync(written);
		const reversed = new JSZip();
		for (const name of Object.keys(zip.files).reverse())
			if (!zip.files[name].dir) reversed.file(name, await zip.files[name].async('uint8array'));
		const reordered = await reversed.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
		const spooled = () =>
			existsSync(SPOOL_DIR) ? readdirSync(SPOOL_DIR).filter((f) => f.startsWith(`${process.pid}-`)) : [];
		const before = spooled();
		// many reads at once: exceljs's own streaming reader refused such files now and then (exceljs#3064)
		const reads = await Promise.all([...Array(20)].flatMap(() => [read(written, 100), read(reordered, 1000)]));
		for (const { rows, issues } of reads) {
			expect(issues).toEqual([]);
			expect(values(rows)).toEqual([[2, 'VV-P', 'obs-haarzicht', '2024-09-30', 28.5, null]]);
		}
		expect(spooled()).toEqual(before);
	});

	it('should read the first tab, also when the tabs were reordered so it is not sheet1.xml', async () => {
		const wb = new ExcelJS.Workbook();
		const notes = wb.addWorksheet('Toelichting');
		notes.addRows([['iets anders'], ['VV-P', 'obs-haarzicht', '1-10-2024', 99]]);
		const sheet = wb.addWorksheet('Metingen');
		sheet.addRows([
			['indicator', 'regio', 'datum', 'waarde'],
			['VV-P', 'obs-haarzicht', '30-9-2024', 28.5]
		]);
		// exceljs writes the tabs by orderNo (not in its types): Metingen first, though it is sheet2.xml
		type Ordered = ExcelJS.Worksheet & { orderNo: number };
		[(sheet as Ordered).orderNo, (notes as Ordered).orderNo] = [0, 1];
		const { rows, issues } = await read(Buffer.from(await wb.xlsx.writeBuffer()), 100);
		expect(issues).toEqual([]);
		expect(values(rows)).toEqual([[2, 'VV-P', 'obs-haarzicht', '2024-09-30', 28.5, null]]);
	});

	it('should refuse an empty file and something that is not a spreadsheet', async () => {
		expect((await read('')).issues[0].message).toMatch(/leeg/);
		const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100)]);
		expect((await read(zip)).issues[0].message).toMatch(/Excel-bestand kan niet gelezen/);
	});
});

describe(csvStream.name, () => {
	const rows: ExportRow[] = [
		{
			indicator: 'VV-P',
			region: 'obs-haarzicht',
			date: '2024-09-30',
			value: 28.5,
			text: null,
			n: 120,
			source: '=HYPERLINK("x")',
			note: 'a; "b"',
			unit: 'procent',
			status: 'goedgekeurd',
			staleAfter: '2024-12-31',
			demo: false
		},
		{
			indicator: 'VV-T',
			region: 'obs-haarzicht',
			date: '2024-09-30',
			value: null,
			text: 'regel 1\nregel 2',
			n: null,
			source: null,
			note: null,
			unit: 'verhalen',
			status: 'ingediend',
			staleAfter: null,
			demo: true
		},
		{
			indicator: 'VV-S',
			region: 'vleuten-de-meern',
			date: '2024-10-01',
			value: -1.25,
			text: null,
			n: null,
			source: null,
			note: '-',
			unit: 'aantal',
			status: 'goedgekeurd',
			staleAfter: null,
			demo: false
		},
		// what a spreadsheet would run as a formula, in its full-width forms too, and a quote already in place
		{
			indicator: 'VV-T',
			region: 'vleuten-de-meern',
			date: '2024-10-02',
			value: null,
			text: '\uFF1D1+1 zei ze',
			n: null,
			source: '@bron',
			note: "'=al met een quote",
			unit: 'aantal',
			status: 'goedgekeurd',
			staleAfter: null,
			demo: false
		},
		{
			indicator: 'VV-S',
			region: 'vleuten-de-meern',
			date: '2024-10-03',
			value: 2,
			text: null,
			n: 5,
			source: '\uFF0B31 6',
			note: '\uFF20iemand \uFF0D of +',
			unit: 'aantal',
			status: 'goedgekeurd',
			staleAfter: null,
			demo: false
		},
		// String(n) would write 1e-7, which no spreadsheet or importer reads as a number
		{
			indicator: 'VV-S',
			region: 'obs-haarzicht',
			date: '2024-10-01',
			value: 0.0000001,
			text: null,
			n: null,
			source: null,
			note: null,
			unit: 'aantal',
			status: 'goedgekeurd',
			staleAfter: null,
			demo: false
		}
	];
	async function* gen() {
		yield* rows;
	}
	/** what an import reads back: the export-only columns (unit, status, validity) are read past */
	const imported = rows.map(({ unit: _unit, status: _status, staleAfter: _staleAfter, ...r }) => ({
		...r,
		// a file row's categories are read apart (measurement-file-categories.ts); these rows have none
		categories: [],
		categoryFlags: []
	}));
	const collect = async (s: Readable) => {
		const parts: Buffer[] = [];
		for await (const c of s) parts.push(Buffer.from(c));
		return Buffer.concat(parts);
	};

	it('should write the Dutch Excel flavour and read back exactly what it wrote', async () => {
		const bytes = await collect(csvStream(gen(), 'excel-nl'));
		const text = bytes.toString('utf8');
		expect(
			text.startsWith('\uFEFFindicator;regio;datum;waarde;n;bron;toelichting;eenheid;status;verouderd na;demo\r\n')
		).toBe(true);
		expect(text).toContain(
			`VV-P;obs-haarzicht;30-9-2024;28,5;120;"'=HYPERLINK(""x"")";"a; ""b""";procent;goedgekeurd;31-12-2024;\r\n`
		);
		expect(text).toContain(`;;;verhalen;ingediend;;ja\r\n`);
		const back = await read(bytes);
		expect(back.issues).toEqual([]);
		expect(
			back.rows.map((r) => ({
				...r.entry,
				indicator: r.entry.indicator.code,
				region: r.entry.region.slug,
				demo: r.demo
			}))
		).toEqual(imported);
	});

	it('should write plain CSV and XLSX that read back exactly', async () => {
		for (const bytes of [await collect(csvStream(gen(), 'plain')), await collect(xlsxStream(gen()))]) {
			const back = await read(bytes, 1000);
			expect(back.issues).toEqual([]);
			expect(
				back.rows.map((r) => ({
					...r.entry,
					indicator: r.entry.indicator.code,
					region: r.entry.region.slug,
					demo: r.demo
				}))
			).toEqual(imported);
		}
	});

	it('should write XLSX cells as numbers and dates', async () => {
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load((await collect(xlsxStream(gen()))) as unknown as ArrayBuffer);
		const row = wb.worksheets[0].getRow(2);
		expect(row.getCell(3).value).toEqual(new Date(Date.UTC(2024, 8, 30)));
		expect(row.getCell(3).numFmt).toBe('dd-mm-yyyy');
		expect(row.getCell(4).value).toBe(28.5);
		expect(row.getCell(5).value).toBe(120);
		// text cells are guarded like the CSV's: a spreadsheet shows them, never runs them
		expect(row.getCell(6).value).toBe(`'=HYPERLINK("x")`);
		expect(wb.worksheets[0].getRow(5).getCell(4).value).toBe("'\uFF1D1+1 zei ze");
		expect(wb.worksheets[0].getRow(5).getCell(7).value).toBe("''=al met een quote");
		expect((wb.worksheets[0].getRow(1).values as unknown[]).slice(8)).toEqual([
			'eenheid',
			'status',
			'verouderd na',
			'demo'
		]);
		expect([row.getCell(8).value, row.getCell(9).value, row.getCell(10).value]).toEqual([
			'procent',
			'goedgekeurd',
			new Date(Date.UTC(2024, 11, 31))
		]);
		expect(row.getCell(10).numFmt).toBe('dd-mm-yyyy');
		expect(wb.worksheets[0].getRow(3).getCell(10).value).toBeNull();
		expect([row.getCell(11).value, wb.worksheets[0].getRow(3).getCell(11).value]).toEqual([null, 'ja']);
	});
});

describe(IssueList.name, () => {
	it('should list the first problems by row and count the rest per kind, with Dutch numbers', () => {
		const list = new IssueList();
		for (let row = 2; row <= 2001; row++) {
			list.add({ row, column: 'datum', message: 'datum ontbreekt' });
			list.add({ row, column: 'waarde', message: `"x${row}" is geen getal` });
		}
		list.add({ row: 5, column: 'regio', message: 'onbekende regio atlantis in dit programma' });
		const issues = list.issues();
		expect(list.total).toBe(4001);
		expect(issues.slice(0, 2)).toEqual([
			{ row: 2, column: 'datum', message: 'datum ontbreekt' },
			{ row: 2, column: 'waarde', message: '"x2" is geen getal' }
		]);
		expect(issues.filter((i) => i.row > 0)).toHaveLength(IMPORT_LIMITS.listedIssues);
		expect(issues.filter((i) => i.row === 0)).toEqual([
			{
				row: 0,
				column: 'datum',
				message: 'en nog 1.900 rijen met dezelfde fout (rij 102 t/m 2.001), zoals rij 102: datum ontbreekt'
			},
			{
				row: 0,
				column: 'waarde',
				message: 'en nog 1.900 rijen met dezelfde fout (rij 102 t/m 2.001), zoals rij 102: "x102" is geen getal'
			},
			{
				row: 0,
				column: 'regio',
				message: 'en nog 1 rij met dezelfde fout (rij 5), zoals rij 5: onbekende regio atlantis in dit programma'
			}
		]);
	});

	it('should put why reading stopped first, and keep the number of kinds bounded', () => {
		const list = new IssueList();
		for (let i = 0; i < IMPORT_LIMITS.listedIssues + IMPORT_LIMITS.issueKinds + 10; i++)
			list.add({ row: i + 2, column: `kolom ${i}`, message: 'te lang' });
		list.stop({
			row: 0,
			column: '',
			message: 'het bestand heeft meer dan 200.000 rijen met metingen; splits het in kleinere bestanden'
		});
		const issues = list.issues();
		expect(issues[0].message).toMatch(/^het bestand heeft meer dan 200\.000 rijen/);
		expect(issues).toHaveLength(1 + IMPORT_LIMITS.listedIssues + IMPORT_LIMITS.issueKinds + 1);
		expect(issues.at(-1)).toEqual({
			row: 0,
			column: '',
			message: 'en nog 10 fouten van andere soorten (rij 252 t/m 261)'
		});
	});
});
