import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, type PhaseSpan } from '../../src/lib/domain/phase-calendar.ts';
import {
	addMonths,
	validFrom,
	FOREVER,
	isValidAt,
	staleAfter,
	validUntil,
	type ValidityRule
} from '../../src/lib/domain/validity.ts';

const PHASES = [
	{ id: 1, start: '2025-09-01', end: '2025-09-30' },
	{ id: 2, start: '2025-10-01', end: '2025-12-31' },
	{ id: 3, start: '2026-01-01', end: '2026-06-30' }
];
const rule = (over: Partial<ValidityRule>): ValidityRule => ({
	frequency: 'yearly',
	validMonths: null,
	targetDate: null,
	...over
});

describe(addMonths.name, () => {
	it('should add calendar months, ending on the month’s last day when the day does not exist', () => {
		expect(addMonths('2024-06-30', 15)).toBe('2025-09-30');
		expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
		expect(addMonths('2023-11-15', 2)).toBe('2024-01-15');
	});
});

describe(validUntil.name, () => {
	it('should follow the frequency table of DESIGN.md', () => {
		expect(validUntil('2024-06-30', rule({ frequency: 'yearly' }), [])).toBe('2025-09-30');
		expect(validUntil('2024-06-30', rule({ frequency: 'every_2_years' }), [])).toBe('2026-09-30');
		expect(validUntil('2024-06-30', rule({ frequency: 'every_4_years' }), [])).toBe('2028-09-30');
	});

	it('should keep a per-phase value to the end of the next phase, also from between phases', () => {
		expect(validUntil('2025-09-15', rule({ frequency: 'per_phase' }), PHASES)).toBe('2025-12-31');
		expect(validUntil('2025-08-20', rule({ frequency: 'per_phase' }), PHASES)).toBe('2025-09-30');
		expect(validUntil('2026-03-01', rule({ frequency: 'per_phase' }), PHASES)).toBe(FOREVER);
	});

	it('should keep a value measured once until the target date, and let the plan override everything', () => {
		expect(validUntil('2024-06-30', rule({ frequency: 'once', targetDate: '2027-12-31' }), [])).toBe('2027-12-31');
		expect(validUntil('2024-06-30', rule({ frequency: 'once' }), [])).toBe(FOREVER);
		expect(validUntil('2024-06-30', rule({ frequency: 'per_phase', validMonths: 2 }), PHASES)).toBe('2024-08-30');
	});
});

describe(isValidAt.name, () => {
	it('should count a value up to and including its last valid day, never before its date', () => {
		expect(isValidAt('2024-06-30', '2025-09-30', rule({}), [])).toBe(true);
		expect(isValidAt('2024-06-30', '2025-10-01', rule({}), [])).toBe(false);
		expect(isValidAt('2024-06-30', '2024-06-29', rule({}), [])).toBe(false);
	});
});

describe(staleAfter.name, () => {
	it("should give the value's last valid day, or null when it never goes stale", () => {
		expect(staleAfter('2024-06-30', rule({ frequency: 'yearly' }), [])).toBe('2025-09-30');
		expect(staleAfter('2025-09-15', rule({ frequency: 'per_phase' }), PHASES)).toBe('2025-12-31');
		expect(staleAfter('2026-03-01', rule({ frequency: 'per_phase' }), PHASES)).toBeNull();
		expect(staleAfter('2024-01-01', rule({ frequency: 'once' }), [])).toBeNull();
	});
});

describe(validFrom.name, () => {
	const phases: PhaseSpan[] = [2023, 2024, 2025].flatMap((y) => [
		{ id: 2 * y, start: `${y}-09-01`, end: `${y}-12-31` },
		{ id: 2 * y + 1, start: `${y + 1}-01-01`, end: `${y + 1}-06-30` }
	]);
	const day = fc.integer({ min: 0, max: 1500 }).map((d) => addDays('2023-01-01', d));
	const rule = fc.constantFrom<ValidityRule>(
		{ frequency: 'per_phase', validMonths: null, targetDate: null },
		{ frequency: 'yearly', validMonths: null, targetDate: null },
		{ frequency: 'every_4_years', validMonths: null, targetDate: null },
		{ frequency: 'per_phase', validMonths: 7, targetDate: null }
	);

	it('should never leave out a value that is still valid on the day (property)', () => {
		fc.assert(
			fc.property(day, day, rule, (date, at, r) => {
				const from = validFrom(at, r, phases);
				if (from !== null && isValidAt(date, at, r, phases)) expect(date >= from).toBe(true);
			})
		);
	});

	it('should bound what it can: per phase from the phase before the first that ends on or after the day', () => {
		const perPhase: ValidityRule = { frequency: 'per_phase', validMonths: null, targetDate: null };
		expect(validFrom('2025-02-01', perPhase, phases)).toBe('2024-09-01');
		expect(validFrom('2023-10-01', perPhase, phases)).toBeNull();
		expect(validFrom('2025-02-01', { frequency: 'once', validMonths: null, targetDate: null }, phases)).toBeNull();
		expect(validFrom('2025-02-01', { frequency: 'yearly', validMonths: null, targetDate: null }, phases)).toBe(
			'2023-10-29'
		);
	});
});
