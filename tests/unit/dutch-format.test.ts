import { describe, expect, it } from 'vitest';
import {
	dateFromCell,
	dutchDate,
	dutchNumber,
	isNotApplicable,
	parseDate,
	parseNumber,
	plainNumber,
	plural,
	shortDate,
	todayIso
} from '../../src/lib/domain/dutch-format.ts';

const num = (raw: string, decimal: ',' | '.' = ',') => {
	const r = parseNumber(raw, decimal);
	return r.ok ? r.value : r.message;
};

describe(parseNumber.name, () => {
	it('should read a decimal comma and a decimal point', () => {
		expect(num('28,5')).toEqual({ number: 28.5, percent: false });
		expect(num('28.5', '.')).toEqual({ number: 28.5, percent: false });
		expect(num('28.5')).toEqual({ number: 28.5, percent: false });
	});

	it('should read an optional percent sign, with or without a space', () => {
		expect(num('28,5%')).toEqual({ number: 28.5, percent: true });
		expect(num('28,5 %')).toEqual({ number: 28.5, percent: true });
	});

	it('should read thousands separators the way the file writes them', () => {
		expect(num('1.234')).toEqual({ number: 1234, percent: false });
		expect(num('1.234.567')).toEqual({ number: 1234567, percent: false });
		expect(num('1.234,5')).toEqual({ number: 1234.5, percent: false });
		expect(num('1,234,567', '.')).toEqual({ number: 1234567, percent: false });
		expect(num('1,234.5', '.')).toEqual({ number: 1234.5, percent: false });
		expect(num('1 234')).toEqual({ number: 1234, percent: false });
		expect(num('1\u00a0234,5')).toEqual({ number: 1234.5, percent: false });
	});

	it('should read a number whose whole part is 0 as a decimal, never as thousands', () => {
		expect(num('0.125')).toEqual({ number: 0.125, percent: false });
		expect(num('-0.125')).toEqual({ number: -0.125, percent: false });
		expect(num('0,125', '.')).toEqual({ number: 0.125, percent: false });
		expect(num('-0,125', '.')).toEqual({ number: -0.125, percent: false });
		expect(num('0,125')).toEqual({ number: 0.125, percent: false });
		expect(num('0.125', '.')).toEqual({ number: 0.125, percent: false });
		expect(num(',125')).toEqual({ number: 0.125, percent: false });
	});

	it('should read a group of three digits after the decimal mark as decimals', () => {
		expect(num('1,125')).toEqual({ number: 1.125, percent: false });
		expect(num('1.125', '.')).toEqual({ number: 1.125, percent: false });
		expect(num('28,500%')).toEqual({ number: 28.5, percent: true });
	});

	it('should read a point before three digits as thousands where a decimal comma is the custom', () => {
		expect(num('1.500')).toEqual({ number: 1500, percent: false });
		expect(num('-12.500')).toEqual({ number: -12500, percent: false });
		expect(num('999.999')).toEqual({ number: 999999, percent: false });
	});

	it('should read a mark that cannot group thousands as the decimal mark', () => {
		expect(num('1234.567')).toEqual({ number: 1234.567, percent: false });
		expect(num('1234,567', '.')).toEqual({ number: 1234.567, percent: false });
		expect(num('12.5')).toEqual({ number: 12.5, percent: false });
		expect(num('12,50', '.')).toEqual({ number: 12.5, percent: false });
		expect(num('1.2345')).toEqual({ number: 1.2345, percent: false });
	});

	it('should refuse a comma before three digits in a file with a decimal point, since it may be either', () => {
		for (const raw of ['1,500', '-1,500', '12,345', '999,999%']) {
			const r = parseNumber(raw, '.');
			expect(r.ok, raw).toBe(false);
			if (!r.ok) expect(r.message).toContain('dubbelzinnig');
		}
		expect(num('1,500', '.')).toBe(
			'"1,500" is dubbelzinnig: 1500 of 1,5? Schrijf het getal zonder scheidingsteken voor duizendtallen (1500) en met een decimale punt (1.5)'
		);
		// with more than one group, or both marks, the reading is certain
		expect(num('1,500,000', '.')).toEqual({ number: 1500000, percent: false });
		expect(num('1,500.25', '.')).toEqual({ number: 1500.25, percent: false });
	});

	it('should refuse thousands groups that start with 0', () => {
		for (const bad of ['0.125.000', '0.125,5', '012.345.678', '0,125.5']) expect(parseNumber(bad).ok, bad).toBe(false);
		expect(parseNumber('0,125.5', '.').ok).toBe(false);
	});

	it('should read negative numbers, also with a typographic minus', () => {
		expect(num('-3,5')).toEqual({ number: -3.5, percent: false });
		expect(num('\u22123')).toEqual({ number: -3, percent: false });
	});

	it('should refuse text and malformed numbers', () => {
		for (const bad of ['abc', '', '%', '1,2,3,4', '12a', '1.23.4', 'n.v.t.'])
			expect(parseNumber(bad).ok, bad).toBe(false);
	});
});

describe(isNotApplicable.name, () => {
	it('should recognise the usual spellings of "niet van toepassing"', () => {
		for (const s of ['n.v.t.', 'nvt', 'N.V.T.', 'n.v.t', ' n/a ']) expect(isNotApplicable(s), s).toBe(true);
		expect(isNotApplicable('0')).toBe(false);
	});
});

describe(parseDate.name, () => {
	it('should read d-m-yyyy, d/m/yyyy and ISO dates', () => {
		expect(parseDate('1-9-2024')).toEqual({ ok: true, value: '2024-09-01' });
		expect(parseDate('01-09-2024')).toEqual({ ok: true, value: '2024-09-01' });
		expect(parseDate('30/6/2025')).toEqual({ ok: true, value: '2025-06-30' });
		expect(parseDate('2024-09-01')).toEqual({ ok: true, value: '2024-09-01' });
	});

	it('should refuse dates that do not exist and other formats', () => {
		for (const bad of ['31-2-2024', '2024-13-01', '9-2024', '2024/09/01 12:00', 'gisteren', '1-1-24'])
			expect(parseDate(bad).ok, bad).toBe(false);
		expect(parseDate('29-2-2024').ok).toBe(true);
		expect(parseDate('29-2-2023').ok).toBe(false);
	});
});

describe(dateFromCell.name, () => {
	it('should read a spreadsheet date and an Excel serial day number', () => {
		expect(dateFromCell(new Date(Date.UTC(2024, 8, 30)))).toEqual({ ok: true, value: '2024-09-30' });
		expect(dateFromCell(45565)).toEqual({ ok: true, value: '2024-09-30' });
		expect(dateFromCell(28.5).ok).toBe(false);
	});
});

describe(todayIso.name, () => {
	it("should give today's date in the Netherlands, also just after midnight there", () => {
		expect(todayIso(new Date('2025-03-01T23:30:00Z'))).toBe('2025-03-02');
		expect(todayIso(new Date('2025-07-01T21:59:00Z'))).toBe('2025-07-01');
		expect(todayIso(new Date('2025-07-01T22:01:00Z'))).toBe('2025-07-02');
	});
});

describe(dutchDate.name, () => {
	it('should write dates the way Dutch Excel does, and numbers with a decimal comma', () => {
		expect(dutchDate('2024-09-01')).toBe('1-9-2024');
		expect(dutchNumber(28.5)).toBe('28,5');
		expect(dutchNumber(1234)).toBe('1234');
		expect(dutchNumber(0.0000001)).toBe('0,0000001');
		expect([plainNumber(-2.5e-8), plainNumber(1e21), plainNumber(0.1)]).toEqual([
			'-0.000000025',
			'1000000000000000000000',
			'0.1'
		]);
	});
});

describe(plural.name, () => {
	it('should use the singular for exactly one and the plural otherwise, also for none', () => {
		expect(plural(1, 'probleem', 'problemen')).toBe('1 probleem');
		expect(plural(2, 'probleem', 'problemen')).toBe('2 problemen');
		expect(plural(0, 'rij', 'rijen')).toBe('0 rijen');
		expect(plural(1, 'meting wacht', 'metingen wachten')).toBe('1 meting wacht');
	});
});

describe(shortDate.name, () => {
	it('should write a date short in Dutch, without a leading zero', () => {
		expect(shortDate('2026-10-03')).toBe('3 okt 2026');
		expect(shortDate('2025-06-30')).toBe('30 jun 2025');
		expect(shortDate('2024-03-15')).toBe('15 mrt 2024');
	});
});
