import { describe, expect, it } from 'vitest';
import { dateFromCell, dutchDate, dutchNumber, isNotApplicable, parseDate, parseNumber, todayIso } from '../../src/lib/domain/dutch-format.ts';

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
		expect(num('1,234', '.')).toEqual({ number: 1234, percent: false });
		expect(num('1,234.5', '.')).toEqual({ number: 1234.5, percent: false });
		expect(num('1 234')).toEqual({ number: 1234, percent: false });
		expect(num('1\u00a0234,5')).toEqual({ number: 1234.5, percent: false });
	});

	it('should read negative numbers, also with a typographic minus', () => {
		expect(num('-3,5')).toEqual({ number: -3.5, percent: false });
		expect(num('\u22123')).toEqual({ number: -3, percent: false });
	});

	it('should refuse text and malformed numbers', () => {
		for (const bad of ['abc', '', '%', '1,2,3,4', '12a', '1.23.4', 'n.v.t.']) expect(parseNumber(bad).ok, bad).toBe(false);
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
		for (const bad of ['31-2-2024', '2024-13-01', '9-2024', '2024/09/01 12:00', 'gisteren', '1-1-24']) expect(parseDate(bad).ok, bad).toBe(false);
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
	});
});
