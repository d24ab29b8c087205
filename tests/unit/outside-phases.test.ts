import { describe, expect, it } from 'vitest';
import { dateToConfirm, outsidePhasesNotice } from '../../src/lib/domain/outside-phases.ts';
import { defaultSchoolYear } from '../../src/lib/domain/phase-calendar.ts';

const phases = defaultSchoolYear(2025).phases.map((p, i) => ({ ...p, id: i + 1, schoolYear: '2025-2026' }));

describe(dateToConfirm.name, () => {
	it('should ask to confirm a summer date, in ISO whatever way it was typed', () => {
		expect(dateToConfirm('2026-07-15', undefined, phases)).toBe('2026-07-15');
		expect(dateToConfirm('15-7-2026', '', phases)).toBe('2026-07-15');
		expect(dateToConfirm('2025-08-20', undefined, phases)).toBe('2025-08-20');
	});

	it('should not ask for a date in a phase, an unreadable date or a date already confirmed', () => {
		expect(dateToConfirm('2025-10-03', undefined, phases)).toBeNull();
		expect(dateToConfirm('gisteren', undefined, phases)).toBeNull();
		expect(dateToConfirm(undefined, undefined, phases)).toBeNull();
		expect(dateToConfirm('15-7-2026', '2026-07-15', phases)).toBeNull();
	});

	it('should ask again when another summer date than the confirmed one is sent', () => {
		expect(dateToConfirm('2026-07-16', '2026-07-15', phases)).toBe('2026-07-16');
	});

	it("should use the template's phases for a school year the programme does not have yet", () => {
		expect(dateToConfirm('2027-10-01', undefined, phases)).toBeNull();
		expect(dateToConfirm('2027-07-20', undefined, phases)).toBe('2027-07-20');
	});
});

describe(outsidePhasesNotice.name, () => {
	it('should name what does not count', () => {
		expect(outsidePhasesNotice('actie')).toBe(
			"Deze datum valt buiten de fasen (bijv. de zomervakantie): de actie telt dan in geen fase mee, alleen onder 'buiten de fasen'. Klopt de datum? Kies opnieuw Opslaan om te bevestigen."
		);
		expect(outsidePhasesNotice('meting')).toContain('de meting telt dan in geen fase mee');
	});
});
