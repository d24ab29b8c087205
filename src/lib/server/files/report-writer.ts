import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { dutchDate, dutchNumber } from '../../domain/dutch-format.ts';
import { FORMULA_START } from '../../domain/measurement-import.ts';
import type { ReportRow } from '../services/report.service.ts';

/** The funder report's indicator table as CSV (plain, or as Dutch Excel writes it) and as XLSX. */

const COLUMNS: { key: keyof ReportRow; header: string; width: number; kind: 'text' | 'number' | 'percent' | 'date' | 'bool' }[] = [
	{ key: 'regio', header: 'regio', width: 20, kind: 'text' },
	{ key: 'periode', header: 'periode', width: 22, kind: 'text' },
	{ key: 'thema', header: 'thema', width: 30, kind: 'text' },
	{ key: 'themavoortgang', header: 'voortgang thema', width: 14, kind: 'percent' },
	{ key: 'code', header: 'code', width: 22, kind: 'text' },
	{ key: 'indicator', header: 'indicator', width: 40, kind: 'text' },
	{ key: 'eenheid', header: 'eenheid', width: 10, kind: 'text' },
	{ key: 'nulmeting', header: 'nulmeting', width: 11, kind: 'number' },
	{ key: 'nulmetingDatum', header: 'datum nulmeting', width: 14, kind: 'date' },
	{ key: 'laatste', header: 'laatste waarde', width: 13, kind: 'number' },
	{ key: 'laatsteDatum', header: 'datum laatste waarde', width: 14, kind: 'date' },
	{ key: 'streefwaarde', header: 'streefwaarde', width: 12, kind: 'number' },
	{ key: 'streefDatum', header: 'datum streefwaarde', width: 14, kind: 'date' },
	{ key: 'voortgang', header: 'voortgang', width: 11, kind: 'percent' },
	{ key: 'afgeleid', header: 'afgeleid uit acties', width: 10, kind: 'bool' },
	{ key: 'demo', header: 'bevat demo-waarden', width: 10, kind: 'bool' }
];

const safe = (s: string) => (FORMULA_START.test(s) ? `'${s}` : s);

export function reportCsv(rows: readonly ReportRow[], dialect: 'plain' | 'excel-nl'): string {
	const nl = dialect === 'excel-nl';
	const cell = (r: ReportRow, c: (typeof COLUMNS)[number]): string => {
		const v = r[c.key];
		if (v === null || v === undefined) return '';
		if (c.kind === 'bool') return v ? 'ja' : 'nee';
		if (c.kind === 'number' || c.kind === 'percent') {
			const n = c.kind === 'percent' ? Math.round((v as number) * 1000) / 10 : Math.round((v as number) * 100) / 100;
			return nl ? dutchNumber(n) : String(n);
		}
		if (c.kind === 'date') return nl ? dutchDate(v as string) : (v as string);
		return safe(String(v));
	};
	const header = COLUMNS.map((c) => (c.kind === 'percent' ? `${c.header} (%)` : c.header));
	return stringify([header, ...rows.map((r) => COLUMNS.map((c) => cell(r, c)))], { delimiter: nl ? ';' : ',', record_delimiter: nl ? 'windows' : 'unix', bom: nl });
}

export async function reportXlsx(rows: readonly ReportRow[], title: string): Promise<Buffer> {
	const workbook = new ExcelJS.Workbook();
	workbook.title = title;
	const sheet = workbook.addWorksheet('Rapport', { views: [{ state: 'frozen', ySplit: 1 }] });
	sheet.columns = COLUMNS.map((c) => ({
		header: c.header,
		key: c.key,
		width: c.width,
		style: c.kind === 'percent' ? { numFmt: '0%' } : c.kind === 'date' ? { numFmt: 'dd-mm-yyyy' } : c.kind === 'number' ? { numFmt: '0.##' } : {}
	}));
	sheet.getRow(1).font = { bold: true };
	for (const r of rows) {
		const values: Record<string, unknown> = {};
		for (const c of COLUMNS) {
			const v = r[c.key];
			values[c.key] =
				v === null || v === undefined ? null : c.kind === 'date' ? new Date(`${v as string}T00:00:00Z`) : c.kind === 'bool' ? (v ? 'ja' : 'nee') : c.kind === 'text' ? safe(String(v)) : v;
		}
		sheet.addRow(values);
	}
	return Buffer.from(await workbook.xlsx.writeBuffer());
}
