import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';

const versionOf = (name: string) =>
	(JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')) as { version: string }).version;

/**
 * The measurement import reaches into two libraries below their public API, each pinned exactly for that
 * in package.json; these tests fail when an upgrade moves what the import relies on.
 */
describe('exceljs contract', () => {
	it('should be the pinned version', () => {
		expect(versionOf('exceljs')).toBe('4.4.0');
	});

	it('should still offer the WorkbookReader part parsers the XLSX import drives (xlsx-first-sheet.ts)', () => {
		const proto = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as Record<string, unknown>;
		for (const name of ['_parseRels', '_parseWorkbook', '_parseSharedStrings', '_parseStyles', '_parseWorksheet'])
			expect(typeof proto[name], name).toBe('function');
	});
});

describe('csv-parse contract', () => {
	it('should be the pinned version', () => {
		expect(versionOf('csv-parse')).toBe('6.2.1');
	});

	it('should still have the record hook and state the CSV import patches for speed (measurement-reader.ts)', () => {
		const { api } = parse({}) as unknown as { api: { __onRecord: unknown; state: Record<string, unknown> } };
		expect(typeof api.__onRecord).toBe('function');
		expect(api.state).toHaveProperty('expectedRecordLength');
		expect(Array.isArray(api.state.record)).toBe(true);
	});
});
