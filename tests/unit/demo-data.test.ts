import { describe, expect, it } from 'vitest';
import { demoActions } from '../../src/lib/domain/demo-data.ts';
import { phaseOf } from '../../src/lib/domain/phase-calendar.ts';

const input = {
	solutions: [
		{ id: 1, nextStepId: 10 },
		{ id: 2, nextStepId: 10 },
		{ id: 3, nextStepId: 11 }
	],
	phases: [
		{ start: '2024-09-01', end: '2024-09-30' },
		{ start: '2024-10-01', end: '2024-10-31' },
		{ start: '2025-01-01', end: '2025-06-30' }
	],
	regionIds: [5, 6],
	organisations: [{ id: 7, regionId: null }]
};

describe('demo actions', () => {
	it('should give every solution two or three actions in each phase, dated inside it', () => {
		const actions = demoActions(input);
		for (const [i, phase] of input.phases.entries())
			for (const s of input.solutions) {
				const here = actions.filter((a) => a.solutionId === s.id && a.date >= phase.start && a.date <= phase.end);
				expect(here.length, `solution ${s.id} in phase ${i}`).toBeGreaterThanOrEqual(2);
				expect(here.length).toBeLessThanOrEqual(3);
				expect(here.every((a) => a.nextStepId === s.nextStepId)).toBe(true);
			}
		const phases = input.phases.map((p, i) => ({ id: i, name: String(i), start: p.start, end: p.end }));
		expect(actions.every((a) => phaseOf(a.date, phases) !== null)).toBe(true);
	});

	it('should say in every text that it is invented, and use only the given regions and organisations', () => {
		const actions = demoActions(input);
		expect(actions.every((a) => a.description.startsWith('Demo-actie'))).toBe(true);
		expect(actions.filter((a) => a.quote !== null).every((a) => a.quote!.startsWith('Demo-verhaal'))).toBe(true);
		expect(actions.every((a) => input.regionIds.includes(a.regionId) && a.organisationId === 7)).toBe(true);
		expect(actions.every((a) => Object.values(a.reached).every((n) => Number.isInteger(n) && n >= 0))).toBe(true);
		expect(actions.filter((a) => a.quotePublic).every((a) => a.quote !== null)).toBe(true);
	});

	it('should place an organisation’s actions in its own region when it has one', () => {
		const actions = demoActions({ ...input, organisations: [{ id: 8, regionId: 6 }] });
		expect(actions.every((a) => a.organisationId === 8 && a.regionId === 6)).toBe(true);
		const elsewhere = demoActions({ ...input, organisations: [{ id: 9, regionId: 99 }] });
		expect(new Set(elsewhere.map((a) => a.regionId))).toEqual(new Set([5, 6]));
	});

	it('should be the same on every run, and empty without regions', () => {
		expect(demoActions(input)).toEqual(demoActions(input));
		expect(demoActions({ ...input, regionIds: [] })).toEqual([]);
	});

	it('should log a solution’s actions as the kinds its derived indicators count', () => {
		const actions = demoActions({ ...input, solutions: [{ id: 1, nextStepId: 10, kinds: ['bijeenkomst', 'sessie'] }, { id: 2, nextStepId: 10 }] });
		expect(actions.filter((a) => a.solutionId === 1).every((a) => a.kind === 'bijeenkomst' || a.kind === 'sessie')).toBe(true);
		expect(new Set(actions.filter((a) => a.solutionId === 2).map((a) => a.kind)).size).toBeGreaterThan(2);
	});
});
