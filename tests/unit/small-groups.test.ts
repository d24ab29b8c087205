import { describe, expect, it } from 'vitest';
import { groupSize, suppressed, withSuppression } from '../../src/lib/domain/small-groups.ts';

const cat = (dimension: string, value: number | null, n?: number) => ({ dimension, value, n });

describe(suppressed.name, () => {
	it('should show every category when each group reaches the minimum', () => {
		expect(suppressed([cat('geslacht', 40, 50), cat('geslacht', 30, 10)], 'percent', 10)).toEqual([null, null]);
	});

	it('should hide a group below the minimum and, by subtraction, the smallest other of its dimension', () => {
		const figures = [cat('geslacht', 40, 50), cat('geslacht', 30, 20), cat('geslacht', 70, 3)];
		expect(suppressed(figures, 'percent', 10)).toEqual([null, 'derivable', 'small']);
	});

	it('should not add a second hidden figure when two are small already', () => {
		const figures = [cat('geslacht', 40, 50), cat('geslacht', 30, 4), cat('geslacht', 70, 3)];
		expect(suppressed(figures, 'percent', 10)).toEqual([null, 'small', 'small']);
	});

	it('should judge each dimension on its own', () => {
		const figures = [
			cat('geslacht', 40, 50),
			cat('geslacht', 30, 45),
			cat('leeftijd', 35, 60),
			cat('leeftijd', 36, 35)
		];
		expect(suppressed(figures, 'percent', 40)).toEqual([null, null, 'derivable', 'small']);
		expect(suppressed(figures, 'percent', 46)).toEqual(['derivable', 'small', 'derivable', 'small']);
	});

	it('should never show a percentage or score of unknown group size', () => {
		expect(suppressed([cat('geslacht', 40), cat('geslacht', 30, 99)], 'score', 10)).toEqual(['small', 'derivable']);
	});

	it('should take a count without n as the number of people it counts', () => {
		expect(groupSize('count', { value: 7 })).toBe(7);
		expect(groupSize('percent', { value: 7 })).toBeNull();
		expect(suppressed([cat('doelgroep', 120), cat('doelgroep', 7), cat('doelgroep', 30)], 'count', 10)).toEqual([
			null,
			'small',
			'derivable'
		]);
	});
});

describe(withSuppression.name, () => {
	it('should remove the value and n of a hidden figure, not only mark it', () => {
		const shown = withSuppression([cat('geslacht', 40, 50), cat('geslacht', 70, 3)], 'percent', 10);
		expect(shown).toEqual([
			{ dimension: 'geslacht', value: null, n: null, suppressed: 'derivable' },
			{ dimension: 'geslacht', value: null, n: null, suppressed: 'small' }
		]);
	});
});
