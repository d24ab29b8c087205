import { describe, expect, it } from 'vitest';
import { curveStoryScope, earlierText } from '../../src/lib/domain/curve-story.ts';

const nextSteps = [
	{ id: 1, code: 'T1-VS1', title: 'Stap 1', parentId: 10 },
	{ id: 2, code: 'T1-VS2', title: 'Stap 2', parentId: 10 },
	{ id: 3, code: 'T2-VS1', title: 'Stap 3', parentId: 20 }
];
const solutions = [{ id: 7, code: 'T1-S1', title: 'Oplossing', parentId: 2 }];

describe(curveStoryScope.name, () => {
	it("should take a solution's own quotes and its next step's evaluations", () => {
		expect(curveStoryScope({ level: 'solution', id: 7 }, nextSteps, solutions)).toEqual({
			stories: { solutionId: 7 },
			nextStepIds: [2]
		});
	});
	it("should take a next step's quotes and evaluations", () => {
		expect(curveStoryScope({ level: 'nextStep', id: 3 }, nextSteps, solutions)).toEqual({
			stories: { nextStepId: 3 },
			nextStepIds: [3]
		});
	});
	it("should take a theme's quotes and the evaluations of all its next steps", () => {
		expect(curveStoryScope({ level: 'theme', id: 10 }, nextSteps, solutions)).toEqual({
			stories: { themeId: 10 },
			nextStepIds: [1, 2]
		});
	});
	it('should give a Beleid indicator no story', () => {
		for (const level of ['ambition', 'outcome'] as const)
			expect(curveStoryScope({ level, id: 1 }, nextSteps, solutions)).toEqual({ stories: null, nextStepIds: [] });
	});
});

describe(earlierText.name, () => {
	it('should count what a bounded list left out, and say nothing when it left nothing out', () => {
		expect(earlierText(10, 14)).toBe('en 4 eerdere');
		expect(earlierText(3, 3)).toBeNull();
	});
});
