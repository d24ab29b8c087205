import { describe, expect, it } from 'vitest';
import {
	actionInputFromForm,
	actionInputSchema,
	actionPatchSchema,
	filterFromSearch,
	formErrors,
	validKey
} from '../../src/lib/domain/action.ts';

const TODAY = '2026-11-23';
const valid = {
	date: TODAY,
	solution: 7,
	kind: 'bijeenkomst',
	region: 'obs-haarzicht',
	reached: { ouders: 40 },
	description: 'Ouderavond'
};

describe(actionInputSchema.name, () => {
	it('should accept an action of today and fill missing counts with 0', () => {
		const r = actionInputSchema(TODAY).parse(valid);
		expect(r.reached).toEqual({ jongeren: 0, ouders: 40, professionals: 0 });
	});

	it('should refuse a future date, negative or fractional counts and a missing next step or solution', () => {
		const r = actionInputSchema(TODAY).safeParse({
			...valid,
			solution: undefined,
			date: '2026-11-24',
			reached: { jongeren: -1, ouders: 2.5 }
		});
		expect(r.success).toBe(false);
		expect(Object.keys(formErrors(r.error!.issues)).sort()).toEqual(['date', 'jongeren', 'ouders', 'target']);
	});

	it('should refuse dates that do not exist', () => {
		expect(actionInputSchema(TODAY).safeParse({ ...valid, date: '2025-02-29' }).success).toBe(false);
	});
});

describe(actionPatchSchema.name, () => {
	it('should leave unmentioned counts alone and require the version', () => {
		expect(actionPatchSchema(TODAY).parse({ version: 3, reached: { ouders: 41 } })).toEqual({
			version: 3,
			reached: { ouders: 41 }
		});
		expect(actionPatchSchema(TODAY).safeParse({ reached: { ouders: 41 } }).success).toBe(false);
	});
});

describe(actionInputFromForm.name, () => {
	it('should turn the posted form into the API shape', () => {
		expect(
			actionInputFromForm({
				date: TODAY,
				target: 'solution:7',
				kind: 'les',
				organisation: '3',
				region: '',
				jongeren: '25',
				ouders: '',
				description: 'Les',
				quote: ' ',
				quotePublic: 'on'
			})
		).toEqual({
			date: TODAY,
			solution: 7,
			kind: 'les',
			organisation: 3,
			reached: { jongeren: 25, ouders: 0, professionals: 0 },
			description: 'Les',
			quote: null,
			quotePublic: true
		});
		expect(actionInputFromForm({ target: 'step:2' })).toMatchObject({
			nextStep: 2,
			organisation: null,
			quotePublic: false
		});
	});

	it('should keep a count that is not a whole number invalid rather than zero', () => {
		const input = actionInputFromForm({
			...Object.fromEntries(Object.entries(valid).map(([k, v]) => [k, String(v)])),
			target: 'solution:7',
			ouders: 'veel'
		});
		expect(formErrors(actionInputSchema(TODAY).safeParse(input).error!.issues).ouders).toBeDefined();
	});
});

describe(filterFromSearch.name, () => {
	it('should read the Dutch URL parameters and drop broken ones', () => {
		expect(
			filterFromSearch(
				new URLSearchParams('van=2024-09-01&tot=gisteren&thema=3&regio=obs-haarzicht&soort=feest&vanaf=100')
			)
		).toEqual({
			from: '2024-09-01',
			theme: 3,
			region: 'obs-haarzicht',
			limit: 100,
			offset: 100
		});
	});
});

describe(validKey.name, () => {
	it('should accept UUID-like keys and nothing odd', () => {
		expect(validKey('form-3f2a9c1e-0b7d-4a52-9f0e-1c2d3e4f5a6b')).toBe('form-3f2a9c1e-0b7d-4a52-9f0e-1c2d3e4f5a6b');
		expect(validKey('short')).toBeNull();
		expect(validKey('form-<script>')).toBeNull();
		expect(validKey(undefined)).toBeNull();
	});
});
