import { describe, expect, it } from 'vitest';
import {
	defaultRegion,
	distinctLabels,
	reachAsked,
	reachedText,
	reachFields,
	showMine
} from '../../src/lib/domain/action-choices.ts';
import type { TargetGroup } from '../../src/lib/domain/derived.ts';

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

describe(reachAsked.name, () => {
	const place = { themeId: 1, nextStepId: 10, solutionId: 100 };
	const jongerenHere = {
		node: { level: 'solution' as const, id: 100 },
		rule: { measure: 'reached' as const, targetGroup: 'jongeren' as const }
	};
	const splitOnStep = {
		node: { level: 'nextStep' as const, id: 10 },
		rule: {
			measure: 'reached' as const,
			split: { dimension: 'doelgroep', groups: ['ouders', 'professionals'] as TargetGroup[] }
		}
	};
	const elsewhere = {
		node: { level: 'solution' as const, id: 101 },
		rule: { measure: 'reached' as const, targetGroup: 'ouders' as const }
	};
	const actionsCount = { node: { level: 'theme' as const, id: 1 }, rule: { measure: 'actions' as const } };

	it('should ask for the target group of a reach indicator on the solution, and every group of a split one above it', () => {
		expect(reachAsked(place, [jongerenHere])).toEqual(['jongeren']);
		expect(reachAsked(place, [splitOnStep, jongerenHere])).toEqual(['jongeren', 'ouders', 'professionals']);
		expect(reachAsked({ ...place, solutionId: null }, [splitOnStep, jongerenHere])).toEqual([
			'ouders',
			'professionals'
		]);
	});

	it('should ask nothing where no reach indicator counts the action', () => {
		expect(reachAsked(place, [elsewhere, actionsCount])).toEqual([]);
	});
});

describe(reachFields.name, () => {
	it('should show the asked groups, and the others behind more', () => {
		expect(reachFields(['ouders'], {}, {})).toEqual({
			shown: ['ouders'],
			more: ['jongeren', 'professionals'],
			open: false
		});
	});

	it('should show every group when nothing is asked', () => {
		expect(reachFields([], {}, {})).toEqual({ shown: ['jongeren', 'ouders', 'professionals'], more: [], open: false });
	});

	it('should open more when a waiting field holds a count or an error', () => {
		expect(reachFields(['ouders'], { jongeren: '0', professionals: ' ' }, {}).open).toBe(false);
		expect(reachFields(['ouders'], { jongeren: '3' }, {}).open).toBe(true);
		expect(reachFields(['ouders'], {}, { professionals: 'Vul een heel aantal in.' }).open).toBe(true);
	});
});
