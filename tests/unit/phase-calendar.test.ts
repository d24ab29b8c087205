import { describe, expect, it } from 'vitest';
import {
	addDays,
	defaultSchoolYear,
	formatDate,
	isIsoDate,
	momentPhase,
	phaseOf,
	phaseOnSave,
	schoolYearOf,
	validateSchoolYear
} from '../../src/lib/domain/phase-calendar.ts';

const year = defaultSchoolYear(2024);
const spans = year.phases.map((p, i) => ({ ...p, id: i + 1 }));

describe(defaultSchoolYear.name, () => {
	it('should give the five phases of the report, Sep | Oct | Nov | Dec | Jan–Jun', () => {
		expect(year.name).toBe('2024-2025');
		expect(year.phases.map((p) => p.name)).toEqual(['September', 'Oktober', 'November', 'December', 'Januari–juni']);
		expect(year.phases[0]).toEqual({
			name: 'September',
			start: '2024-09-01',
			end: '2024-09-30',
			evaluationDate: '2024-09-30'
		});
		expect(year.phases[4]).toEqual({
			name: 'Januari–juni',
			start: '2025-01-01',
			end: '2025-06-30',
			evaluationDate: '2025-06-30'
		});
	});

	it('should put each evaluation moment on the last day of its phase', () => {
		for (const p of defaultSchoolYear(2026).phases) expect(p.evaluationDate).toBe(p.end);
	});

	it('should give phases without gaps or overlaps', () => {
		expect(validateSchoolYear(defaultSchoolYear(2026))).toEqual([]);
		expect(validateSchoolYear(defaultSchoolYear(2027))).toEqual([]); // 2028 is a leap year: June still ends on the 30th
	});
});

describe(phaseOf.name, () => {
	it('should map a date inside a phase to that phase', () => {
		expect(phaseOf('2024-10-15', spans)?.name).toBe('Oktober');
		expect(phaseOf('2025-03-01', spans)?.name).toBe('Januari–juni');
	});

	it('should include both boundaries', () => {
		expect(phaseOf('2024-10-01', spans)?.name).toBe('Oktober');
		expect(phaseOf('2024-10-31', spans)?.name).toBe('Oktober');
		expect(phaseOf('2024-11-01', spans)?.name).toBe('November');
		expect(phaseOf('2024-09-01', spans)?.name).toBe('September');
		expect(phaseOf('2025-06-30', spans)?.name).toBe('Januari–juni');
	});

	it('should give null outside every phase', () => {
		expect(phaseOf('2024-08-31', spans)).toBeNull();
		expect(phaseOf('2025-07-01', spans)).toBeNull();
	});
});

describe(schoolYearOf.name, () => {
	it('should start a school year on 1 August', () => {
		expect(schoolYearOf('2026-07-31')).toBe('2025-2026');
		expect(schoolYearOf('2026-08-01')).toBe('2026-2027');
		expect(schoolYearOf('2026-11-23')).toBe('2026-2027');
	});
});

describe(momentPhase.name, () => {
	it('should give the phase of today', () => {
		expect(momentPhase('2024-11-05', spans)?.name).toBe('November');
	});

	it('should give the next phase between school years, and the last one after them all', () => {
		expect(momentPhase('2024-08-15', spans)?.name).toBe('September');
		expect(momentPhase('2025-07-15', spans)?.name).toBe('Januari–juni');
		expect(momentPhase('2025-07-15', [])).toBeNull();
	});
});

describe(validateSchoolYear.name, () => {
	const edit = (i: number, change: Partial<(typeof year.phases)[number]>) => ({
		...year,
		phases: year.phases.map((p, k) => (k === i ? { ...p, ...change } : p))
	});

	it('should refuse a gap between two phases, naming the days', () => {
		const issues = validateSchoolYear(edit(2, { start: '2024-11-04' }));
		expect(issues).toEqual([
			{
				path: 'phases.2.start',
				message: 'Tussen Oktober en November zit een gat: 1 november 2024 t/m 3 november 2024 valt in geen fase.'
			}
		]);
	});

	it('should refuse an overlap between two phases, naming the days', () => {
		const issues = validateSchoolYear(edit(1, { end: '2024-11-02', evaluationDate: '2024-11-02' }));
		expect(issues).toEqual([
			{
				path: 'phases.2.start',
				message: 'Oktober en November overlappen: 1 november 2024 t/m 2 november 2024 valt in beide.'
			}
		]);
	});

	it('should accept moved dates that still join up, and renamed phases', () => {
		const moved = edit(1, { name: 'Herfst', end: '2024-11-10', evaluationDate: '2024-11-08' });
		moved.phases[2] = { ...moved.phases[2], start: '2024-11-11' };
		expect(validateSchoolYear(moved)).toEqual([]);
	});

	it('should refuse an end before the start and an evaluation moment outside the phase', () => {
		expect(validateSchoolYear(edit(0, { end: '2024-08-30' }))[0]).toMatchObject({ path: 'phases.0.end' });
		expect(validateSchoolYear(edit(0, { evaluationDate: '2024-10-02' }))[0]).toMatchObject({
			path: 'phases.0.evaluationDate'
		});
	});

	it('should refuse phases outside the school year and impossible dates', () => {
		expect(validateSchoolYear(edit(4, { end: '2025-08-01', evaluationDate: '2025-06-30' }))[0]).toMatchObject({
			path: 'phases.4.end'
		});
		expect(validateSchoolYear(edit(0, { start: '2024-02-30' }))[0]).toMatchObject({ path: 'phases.0.start' });
	});

	it('should refuse empty and duplicate names', () => {
		expect(validateSchoolYear(edit(0, { name: ' ' }))[0]).toMatchObject({ path: 'phases.0.name' });
		expect(validateSchoolYear(edit(1, { name: 'september' }))[0]).toMatchObject({ path: 'phases.1.name' });
	});

	it('should refuse an overlap with another school year of the programme', () => {
		const issues = validateSchoolYear(year, [{ name: 'Zomer (2023-2024)', start: '2024-06-01', end: '2024-09-02' }]);
		expect(issues).toEqual([
			{
				path: 'phases.0.start',
				message: 'September overlapt met Zomer (2023-2024): 1 september 2024 t/m 2 september 2024 valt in beide.'
			}
		]);
	});
});

describe(isIsoDate.name, () => {
	it('should accept real dates only', () => {
		expect(isIsoDate('2024-02-29')).toBe(true);
		expect(isIsoDate('2025-02-29')).toBe(false);
		expect(isIsoDate('2025-1-01')).toBe(false);
	});
});

describe(addDays.name, () => {
	it('should cross month and year ends', () => {
		expect(addDays('2024-10-31', 1)).toBe('2024-11-01');
		expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
	});
});

describe(formatDate.name, () => {
	it('should write a Dutch date', () => {
		expect(formatDate('2024-11-01')).toBe('1 november 2024');
	});
});

describe(phaseOnSave.name, () => {
	const phases = [
		{ id: 1, name: 'September', schoolYear: '2024-2025', start: '2024-09-01', end: '2024-09-30' },
		{ id: 2, name: 'Rest', schoolYear: '2024-2025', start: '2024-10-01', end: '2025-06-30' }
	];

	it("should give the date's phase when its school year has phases", () => {
		expect(phaseOnSave('2024-09-30', phases)).toMatchObject({ id: 1, name: 'September' });
		expect(phaseOnSave('2025-03-01', phases)).toMatchObject({ id: 2 });
	});

	it('should give no phase in the summer, whether or not the school year exists', () => {
		expect(phaseOnSave('2025-07-15', phases)).toBeNull();
		expect(phaseOnSave('2026-08-15', phases)).toBeNull();
	});

	it("should give the template's phase when the school year has none yet (saving creates it)", () => {
		expect(phaseOnSave('2026-11-29', phases)).toEqual({
			id: -3,
			name: 'November',
			schoolYear: '2026-2027',
			start: '2026-11-01',
			end: '2026-11-30'
		});
		expect(phaseOnSave('2027-02-01', phases)).toMatchObject({ name: 'Januari–juni', schoolYear: '2026-2027' });
	});
});
