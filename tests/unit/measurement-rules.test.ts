import { describe, expect, it } from 'vitest';
import {
	canEditMeasurement,
	checkEntry,
	DERIVED_REFUSAL,
	type EntryContext,
	type IndicatorRef
} from '../../src/lib/domain/measurement.ts';
import type { Actor } from '../../src/lib/domain/permissions.ts';

const INDICATORS: IndicatorRef[] = [
	{ id: 1, code: 'P', unit: 'percent', derived: false },
	{ id: 2, code: 'C', unit: 'count', derived: false },
	{ id: 3, code: 'S', unit: 'score', derived: false },
	{ id: 4, code: 'T', unit: 'text', derived: false },
	{ id: 5, code: 'D', unit: 'count', derived: true }
];
const ctx: EntryContext = {
	indicator: (code) => INDICATORS.find((i) => i.code === code.toUpperCase()),
	region: (key) => (key === 'wijk' || key.toLowerCase() === 'de wijk' ? { id: 10, slug: 'wijk' } : undefined),
	today: '2025-03-01',
	decimal: ','
};
const ok = { indicator: 'P', region: 'wijk', date: '2025-02-01', value: '28,5' };
const errors = (raw: Parameters<typeof checkEntry>[0]) => {
	const r = checkEntry(raw, ctx);
	return r.ok ? {} : r.errors;
};

describe(checkEntry.name, () => {
	it('should accept a valid measurement and read its fields', () => {
		const r = checkEntry({ ...ok, n: '120', source: ' peiling ', note: '' }, ctx);
		expect(r).toEqual({
			ok: true,
			entry: {
				indicator: INDICATORS[0],
				region: { id: 10, slug: 'wijk' },
				date: '2025-02-01',
				value: 28.5,
				text: null,
				n: 120,
				source: 'peiling',
				note: null,
				categories: [],
				categoryFlags: []
			}
		});
	});

	it('should keep percentages between 0 and 100', () => {
		expect(errors({ ...ok, value: '104' }).value).toMatch(/tussen 0 en 100/);
		expect(errors({ ...ok, value: -1 }).value).toMatch(/tussen 0 en 100/);
		expect(errors({ ...ok, value: '100%' })).toEqual({});
	});

	it('should want a count to be a whole number of 0 or more, without a percent sign', () => {
		expect(errors({ ...ok, indicator: 'C', value: '2,5' }).value).toMatch(/heel getal/);
		expect(errors({ ...ok, indicator: 'C', value: '-2' }).value).toMatch(/heel getal/);
		expect(errors({ ...ok, indicator: 'C', value: '5%' }).value).toMatch(/%/);
		expect(errors({ ...ok, indicator: 'C', value: '1.500' })).toEqual({});
	});

	it('should accept any number as a score', () => {
		expect(errors({ ...ok, indicator: 'S', value: '-3,25' })).toEqual({});
	});

	it('should want n to be a whole number of 1 or more, and let n.v.t. mean no n', () => {
		expect(errors({ ...ok, n: '0' }).n).toMatch(/1 of meer/);
		expect(errors({ ...ok, n: '12,5' }).n).toMatch(/heel getal/);
		const r = checkEntry({ ...ok, n: 'n.v.t.' }, ctx);
		expect(r.ok && r.entry.n).toBeNull();
	});

	it('should refuse n.v.t. as a value, and a missing value', () => {
		expect(errors({ ...ok, value: 'n.v.t.' }).value).toMatch(/n\.v\.t\./);
		expect(errors({ ...ok, value: '' }).value).toMatch(/ontbreekt/);
	});

	it('should refuse a date after today, and accept today', () => {
		expect(errors({ ...ok, date: '2-3-2025' }).date).toMatch(/na vandaag/);
		expect(errors({ ...ok, date: '1-3-2025' })).toEqual({});
		expect(errors({ ...ok, date: '30-2-2025' }).date).toMatch(/geen geldige datum/);
	});

	it('should refuse unknown indicators and regions, and accept a region by name', () => {
		expect(errors({ ...ok, indicator: 'NOPE' }).indicator).toMatch(/onbekende indicator NOPE/);
		expect(errors({ ...ok, region: 'elders' }).region).toMatch(/onbekende regio elders/);
		expect(errors({ ...ok, region: 'De Wijk' })).toEqual({});
	});

	it('should refuse manual entry for an indicator derived from the action log', () => {
		expect(errors({ ...ok, indicator: 'D', value: '3' }).indicator).toBe(DERIVED_REFUSAL);
	});

	it('should take a story instead of a number for a text indicator', () => {
		const r = checkEntry({ ...ok, indicator: 'T', value: 'Ik durf nu te zeggen dat het even niet lukt.' }, ctx);
		expect(r.ok && [r.entry.value, r.entry.text]).toEqual([null, 'Ik durf nu te zeggen dat het even niet lukt.']);
		expect(errors({ ...ok, indicator: 'T', value: '' }).value).toMatch(/verhaal/);
		const apiStory = checkEntry({ ...ok, indicator: 'T', value: null, text: 'Het mag ook eens mislukken.' }, ctx);
		expect(apiStory.ok && apiStory.entry.text).toBe('Het mag ook eens mislukken.');
	});

	const NOT_A_STORY = 'bij deze indicator hoort een verhaal of citaat, geen getal';
	const NOT_A_NUMBER = 'bij deze indicator hoort een getal, geen tekst';
	it('should refuse a number for a text indicator, typed, in a cell or written as text', () => {
		expect(errors({ ...ok, indicator: 'T', value: 3 })).toEqual({ value: NOT_A_STORY });
		for (const bare of ['3', ' 28,5 ', '-1.500', '40%'])
			expect(errors({ ...ok, indicator: 'T', value: bare }), bare).toEqual({ value: NOT_A_STORY });
		expect(errors({ ...ok, indicator: 'T', text: '12' })).toEqual({ text: NOT_A_STORY });
		expect(errors({ ...ok, indicator: 'T', value: '3 van de 4 leerlingen zeggen dat het helpt' })).toEqual({});
	});

	it('should refuse a story given as text for a numeric indicator', () => {
		expect(errors({ ...ok, value: undefined, text: '28,5' })).toEqual({ text: NOT_A_NUMBER });
		expect(errors({ ...ok, indicator: 'C', value: null, text: 'veel' })).toEqual({ text: NOT_A_NUMBER });
		expect(errors({ ...ok, value: 28.5, text: null })).toEqual({});
	});

	it('should read 0.125 typed in the form as a decimal, not as 125', () => {
		const r = checkEntry({ ...ok, indicator: 'S', value: '0.125' }, ctx);
		expect(r.ok && r.entry.value).toBe(0.125);
	});

	it('should refuse a spreadsheet date as a value or n, with a message instead of a failure', () => {
		const cell = new Date(Date.UTC(2025, 0, 15));
		expect(errors({ ...ok, value: cell })).toEqual({ value: 'een datum is geen getal' });
		expect(errors({ ...ok, n: cell })).toEqual({ n: 'een datum is geen getal' });
		expect(errors({ ...ok, date: cell })).toEqual({});
	});

	it('should report every wrong field at once', () => {
		expect(
			Object.keys(errors({ indicator: 'P', region: 'x', date: '2030-01-01', value: '104', n: '0' })).sort()
		).toEqual(['date', 'n', 'region', 'value']);
	});
});

describe(canEditMeasurement.name, () => {
	const actor = (role: 'lead' | 'aanjager' | 'funder', userId = 7): Actor => ({
		userId,
		name: 'x',
		email: null,
		isAdmin: false,
		roles: { 1: role },
		via: 'session'
	});
	it('should let a lead change any measurement, an aanjager only their own before approval, a funder none', () => {
		expect(canEditMeasurement(actor('lead'), 1, { createdBy: 3, status: 'approved' })).toBe(true);
		expect(canEditMeasurement(actor('aanjager'), 1, { createdBy: 7, status: 'returned' })).toBe(true);
		expect(canEditMeasurement(actor('aanjager'), 1, { createdBy: 7, status: 'approved' })).toBe(false);
		expect(canEditMeasurement(actor('aanjager'), 1, { createdBy: 3, status: 'submitted' })).toBe(false);
		expect(canEditMeasurement(actor('funder'), 1, { createdBy: 7, status: 'submitted' })).toBe(false);
		expect(canEditMeasurement(actor('lead'), 2, { createdBy: 7, status: 'submitted' })).toBe(false);
	});
});
