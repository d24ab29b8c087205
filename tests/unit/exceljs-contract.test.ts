import { createRequire } from 'node:module';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';

/**
 * The XLSX import drives private part parsers of exceljs's WorkbookReader (src/lib/server/files/xlsx-first-sheet.ts).
 * exceljs is pinned exactly for that; this test fails when an upgrade moves what the import relies on.
 */
describe('exceljs contract', () => {
	it('should be the pinned version', () => {
		const pkg = createRequire(import.meta.url)('exceljs/package.json') as { version: string };
		expect(pkg.version).toBe('4.4.0');
	});

	it('should still offer the WorkbookReader part parsers the import drives', () => {
		const proto = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as Record<string, unknown>;
		for (const name of ['_parseRels', '_parseWorkbook', '_parseSharedStrings', '_parseStyles', '_parseWorksheet'])
			expect(typeof proto[name], name).toBe('function');
	});
});
