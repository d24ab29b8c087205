import { describe, expect, it } from 'vitest';
import { derivedObservations, type ActionGroup } from '../../src/lib/domain/action-figures.ts';

const PHASES = [
	{ id: 1, start: '2024-09-01', end: '2024-09-30' },
	{ id: 2, start: '2024-10-01', end: '2024-10-31' }
];
const group = (date: string, jongeren: number): ActionGroup => ({
	date,
	nextStepId: 5,
	solutionId: null,
	kind: 'les',
	regionId: 3,
	actions: 1,
	jongeren,
	ouders: 0,
	professionals: 0,
	demo: false
});

describe(derivedObservations.name, () => {
	it("should date a phase's actions on the phase's end, and keep an action between phases on its own day", () => {
		const observations = derivedObservations(
			[group('2024-08-20', 7), group('2024-08-21', 2), group('2024-09-03', 4), group('2024-09-20', 5)],
			{ measure: 'reached', targetGroup: 'jongeren' },
			{ level: 'nextStep', id: 5 },
			new Map([[5, 1]]),
			PHASES
		);
		expect(observations.map((o) => [o.date, o.value]).sort()).toEqual([
			['2024-08-20', 7],
			['2024-08-21', 2],
			['2024-09-30', 9]
		]);
	});
});
