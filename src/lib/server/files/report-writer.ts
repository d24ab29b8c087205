import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { dutchDate, dutchNumber, plainNumber } from '../../domain/dutch-format.ts';
import { guardFormula as safe } from '../../domain/formula-guard.ts';
import type { ReportColumn, ReportTable, ReportValue } from '../services/report.service.ts';

/** The funder report's tables as CSV (plain, or as Dutch Excel writes it; one table per file) and as XLSX (a sheet per table). */

export function reportCsv(table: ReportTable, dialect: 'plain' | 'excel-nl'): string {
	const nl = dialect === 'excel-nl';
	const cell = (v: ReportValue, c: ReportColumn): string => {
		if (v === null || v === undefined) return '';
		if (c.kind === 'bool') return v ? 'ja' : 'nee';
		if (c.kind === 'number' || c.kind === 'percent') {
			const n = c.kind === 'percent' ? Math.round(Number(v) * 1000) / 10 : Math.round(Number(v) * 100) / 100;
			return nl ? dutchNumber(n) : plainNumber(n);
		}
		if (c.kind === 'date') return nl ? dutchDate(String(v)) : String(v);
		return safe(String(v));
	};
	const header = table.columns.map((c) => (c.kind === 'percent' ? `${c.header} (%)` : c.header));
	return stringify([header, ...table.rows.map((r) => table.columns.map((c) => cell(r[c.key], c)))], {
		delimiter: nl ? ';' : ',',
		record_delimiter: nl ? 'windows' : 'unix',
		bom: nl
	});
}

/** Number formats per kind; plain numbers keep Excel's General format (no trailing "7."). */
const NUM_FMT: Partial<Record<ReportColumn['kind'], string>> = { percent: '0%', date: 'dd-mm-yyyy' };

export async function reportXlsx(tables: readonly ReportTable[], title: string): Promise<Buffer> {
	const workbook = new ExcelJS.Workbook();
	workbook.title = title;
	for (const table of tables) {
		const sheet = workbook.addWorksheet(table.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
		sheet.columns = table.columns.map((c) => ({
			header: c.header,
			key: c.key,
			width: c.width,
			style: NUM_FMT[c.kind] ? { numFmt: NUM_FMT[c.kind] } : {}
		}));
		sheet.getRow(1).font = { bold: true };
		for (const r of table.rows) {
			const values: Record<string, unknown> = {};
			for (const c of table.columns) {
				const v = r[c.key];
				values[c.key] =
					v === null || v === undefined
						? null
						: c.kind === 'date'
							? new Date(`${String(v)}T00:00:00Z`)
							: c.kind === 'bool'
								? v
									? 'ja'
									: 'nee'
								: c.kind === 'text'
									? safe(String(v))
									: v;
			}
			sheet.addRow(values);
		}
	}
	return Buffer.from(await workbook.xlsx.writeBuffer());
}
