import { describe, expect, it } from 'vitest';
import { defaultRegion, distinctLabels, reachedText, showMine } from '../../src/lib/domain/action-choices.ts';

describe(reachedText.name, () => {
	it('should use the singular for one and the plural for more', () => {
		expect(reachedText({ jongeren: 1, ouders: 40, professionals: 1 })).toBe('1 jongere, 40 ouders, 1 professional');
		expect(reachedText({ jongeren: 0, ouders: 0, professionals: 2 })).toBe('2 professionals');
	});

	it('should say nobody was counted when every count is 0', () => {
		expect(reachedText({ jongeren: 0, ouders: 0, professionals: 0 })).toBe('niemand geteld');
	});
});

describe(distinctLabels.name, () => {
	it('should add the theme to choices that share a name, and only to those', () => {
		const out = distinctLabels([
			{ label: 'Theater', theme: 'Thema 2. Ouders' },
			{ label: 'Theater', theme: 'Thema 3. School' },
			{ label: 'Mentor', theme: 'Thema 3. School' }
		]).map((c) => c.label);
		expect(out).toEqual(['Theater — Thema 2. Ouders', 'Theater — Thema 3. School', 'Mentor']);
	});
});

describe(defaultRegion.name, () => {
	const regions = ['vleuten', 'de-meern', 'obs-haarzicht'];

	it("should take the organisation's region first", () => {
		expect(defaultRegion('obs-haarzicht', 'vleuten', regions)).toBe('obs-haarzicht');
	});

	it('should take the region used last when there is no organisation (or it has no region)', () => {
		expect(defaultRegion(null, 'de-meern', regions)).toBe('de-meern');
	});

	it('should take the only region there is', () => {
		expect(defaultRegion(null, null, ['vleuten'])).toBe('vleuten');
	});

	it('should leave the choice open rather than guess among several, or keep a region no longer offered', () => {
		expect(defaultRegion(null, null, regions)).toBe('');
		expect(defaultRegion('gone', 'also-gone', regions)).toBe('');
	});
});

describe(showMine.name, () => {
	it('should follow the switch when set', () => {
		expect(showMine('1', false)).toBe(true);
		expect(showMine('0', true)).toBe(false);
	});

	it('should default to on for aanjagers and off for leads and funders', () => {
		expect(showMine(null, true)).toBe(true);
		expect(showMine(null, false)).toBe(false);
		expect(showMine('rubbish', false)).toBe(false);
	});
});
