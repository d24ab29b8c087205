import { describe, expect, it } from 'vitest';
import { comparability, sameArea } from '../../src/lib/domain/comparability.ts';

// utrecht > vleuten-de-meern > two schools: the programme works in one wijk only
const REGIONS = [
	{ id: 1, parentId: null, slug: 'utrecht', name: 'Utrecht' },
	{ id: 2, parentId: 1, slug: 'vleuten-de-meern', name: 'Vleuten-De Meern' },
	{ id: 3, parentId: 2, slug: 'obs-haarzicht', name: 'OBS Haarzicht' },
	{ id: 4, parentId: 2, slug: 'limus-college', name: 'Limus College' }
];

describe(sameArea.name, () => {
	it('should see a region and its single-child ancestors, up to the whole programme, as one area', () => {
		expect(sameArea(REGIONS, 2, null)).toBe(true);
		expect(sameArea(REGIONS, 1, 2)).toBe(true);
		expect(sameArea(REGIONS, 3, 3)).toBe(true);
	});

	it('should not see a school as its wijk, nor two schools as one', () => {
		expect(sameArea(REGIONS, 2, 3)).toBe(false);
		expect(sameArea(REGIONS, 3, 4)).toBe(false);
		expect(sameArea(REGIONS, null, 3)).toBe(false);
	});
});

describe(comparability.name, () => {
	const wijk = { comparable: false, baselineScope: 'vleuten-de-meern' };

	it('should call a national baseline not comparable, unless the plan says it is', () => {
		expect(comparability({ comparable: false, baselineScope: 'nederland' }, REGIONS, 2)).toEqual({
			comparable: false,
			scope: 'nederland',
			label: 'landelijke nulmeting — niet vergelijkbaar'
		});
		expect(comparability({ comparable: true, baselineScope: 'nederland' }, REGIONS, 3)).toEqual({ comparable: true });
	});

	it('should compare a wijk baseline with the wijk and the whole programme, not with one school', () => {
		expect(comparability(wijk, REGIONS, 2).comparable).toBe(true);
		expect(comparability(wijk, REGIONS, null).comparable).toBe(true);
		expect(comparability(wijk, REGIONS, 3)).toMatchObject({
			comparable: false,
			label: 'nulmeting van Vleuten-De Meern — niet vergelijkbaar'
		});
	});

	it('should compare a baseline without scope (the programme’s own) everywhere', () => {
		expect(comparability({ comparable: false, baselineScope: null }, REGIONS, 4).comparable).toBe(true);
	});
});
