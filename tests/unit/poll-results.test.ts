import { describe, expect, it } from 'vitest';
import {
	groupResult,
	measureOf,
	pollFigures,
	tally,
	SCALE_OPTIONS,
	YESNO_OPTIONS,
	type PollQuestion
} from '../../src/lib/domain/poll-results.ts';

const questions: PollQuestion[] = [
	{
		key: 'groep',
		kind: 'choice',
		text: 'In welke groep zit je?',
		options: [
			{ key: 'groep-7', name: 'Groep 7' },
			{ key: 'groep-8', name: 'Groep 8' }
		],
		dimension: 'leeftijd'
	},
	{
		key: 'druk',
		kind: 'scale',
		text: 'Ik voel druk',
		options: [...SCALE_OPTIONS],
		indicator: 'X-DRUK',
		measure: 'agree'
	},
	{
		key: 'cijfer',
		kind: 'scale',
		text: 'Hoe gaat het?',
		options: [...SCALE_OPTIONS],
		indicator: 'X-SCORE',
		measure: 'mean'
	},
	{
		key: 'praten',
		kind: 'yesno',
		text: 'Kun je praten?',
		options: [...YESNO_OPTIONS],
		indicator: 'X-PRATEN',
		measure: 'yes'
	}
];
// 12 respondents: 6 in groep 7 (4 agree), 6 in groep 8 (1 agrees); "praten" answered by 4 only
const answers = Array.from({ length: 12 }, (_, i) => ({
	groep: i < 6 ? 'groep-7' : 'groep-8',
	druk: i < 4 || i === 6 ? '5' : '2',
	cijfer: String((i % 5) + 1),
	...(i < 4 ? { praten: 'ja' } : {})
}));

describe('poll results', () => {
	it('says what a question measures for a unit', () => {
		expect(measureOf('scale', 'percent')).toBe('agree');
		expect(measureOf('scale', 'score')).toBe('mean');
		expect(measureOf('yesno', 'percent')).toBe('yes');
		expect(measureOf('choice', 'percent')).toBe('option');
		expect(measureOf('yesno', 'count')).toBeNull();
		expect(measureOf('scale', 'text')).toBeNull();
	});

	it('counts per option and hides the result below the minimum group size', () => {
		const t = tally(questions, answers);
		expect(t.respondents).toBe(12);
		expect(t.questions.find((q) => q.key === 'druk')).toEqual({
			key: 'druk',
			n: 12,
			counts: { 1: 0, 2: 7, 3: 0, 4: 0, 5: 5 }
		});
		expect(groupResult(questions, t, 13)).toEqual({ shown: false, respondents: 12, missing: 1 });
		const shown = groupResult(questions, t, 10);
		if (!shown.shown) throw new Error('expected a shown result');
		expect(shown.questions.find((q) => q.key === 'druk')!.bars!.map((b) => b.percent)).toEqual([0, 58, 0, 0, 42]);
		// answered by 4: below the group size, no bars
		expect(shown.questions.find((q) => q.key === 'praten')!.bars).toBeNull();
	});

	it('makes a figure per fed indicator, split by the dimension question, skipping small questions', () => {
		const { figures, skipped } = pollFigures(questions, answers, 10, (code) => (code === 'X-DRUK' ? ['leeftijd'] : []));
		expect(figures.map((f) => [f.indicator, f.value, f.n])).toEqual([
			['X-DRUK', 41.7, 12],
			['X-SCORE', 2.75, 12]
		]);
		expect(figures[0].categories).toEqual([
			{ dimension: 'leeftijd', category: 'groep-7', value: 66.7, n: 6 },
			{ dimension: 'leeftijd', category: 'groep-8', value: 16.7, n: 6 }
		]);
		expect(figures[1].categories).toEqual([]);
		expect(skipped).toEqual([
			{ question: 'praten', indicator: 'X-PRATEN', reason: '4 antwoorden, minder dan de kleinste groep (10)' }
		]);
	});
});
