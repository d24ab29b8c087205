import { describe, expect, it } from 'vitest';
import { demoActions } from '../../src/lib/domain/demo-data.ts';
import { phaseOf } from '../../src/lib/domain/phase-calendar.ts';
import { expectEvery } from '../helpers/expect-every.ts';

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
				expectEvery(here, (a) => a.nextStepId === s.nextStepId);
			}
		const phases = input.phases.map((p, i) => ({ id: i, name: String(i), start: p.start, end: p.end }));
		expectEvery(actions, (a) => phaseOf(a.date, phases) !== null);
	});

	it('should say in every text that it is invented, and use only the given regions and organisations', () => {
		const actions = demoActions(input);
		expectEvery(actions, (a) => a.description.startsWith('Demo-actie'));
		expectEvery(
			actions.filter((a) => a.quote !== null),
			(a) => a.quote!.startsWith('Demo-verhaal')
		);
		expectEvery(actions, (a) => input.regionIds.includes(a.regionId) && a.organisationId === 7);
		expectEvery(actions, (a) => Object.values(a.reached).every((n) => Number.isInteger(n) && n >= 0));
		expectEvery(
			actions.filter((a) => a.quotePublic),
			(a) => a.quote !== null
		);
	});

	it('should place an organisation’s actions in its own region when it has one', () => {
		const actions = demoActions({ ...input, organisations: [{ id: 8, regionId: 6 }] });
		expectEvery(actions, (a) => a.organisationId === 8 && a.regionId === 6);
		const elsewhere = demoActions({ ...input, organisations: [{ id: 9, regionId: 99 }] });
		expect(new Set(elsewhere.map((a) => a.regionId))).toEqual(new Set([5, 6]));
	});

	it('should be the same on every run, and empty without regions', () => {
		expect(demoActions(input)).toEqual(demoActions(input));
		expect(demoActions({ ...input, regionIds: [] })).toEqual([]);
	});

	it('should log a solution’s actions as the kinds its derived indicators count', () => {
		const actions = demoActions({
			...input,
			solutions: [
				{ id: 1, nextStepId: 10, kinds: ['bijeenkomst', 'sessie'] },
				{ id: 2, nextStepId: 10 }
			]
		});
		expectEvery(
			actions.filter((a) => a.solutionId === 1),
			(a) => a.kind === 'bijeenkomst' || a.kind === 'sessie'
		);
		expect(new Set(actions.filter((a) => a.solutionId === 2).map((a) => a.kind)).size).toBeGreaterThan(2);
	});
});
