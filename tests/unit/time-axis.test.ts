import { describe, expect, it } from 'vitest';
import { calendarTicks } from '../../src/lib/domain/time-axis.ts';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const iso = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);

describe(calendarTicks.name, () => {
	it('should mark 1 January of each year over a span of several years', () => {
		expect(calendarTicks(day('2023-12-31'), day('2027-12-31')).map(iso)).toEqual([
			'2024-01-01',
			'2025-01-01',
			'2026-01-01',
			'2027-01-01'
		]);
	});
	it('should mark 1 January and 1 July over one to three years', () => {
		expect(calendarTicks(day('2024-09-01'), day('2026-06-30')).map(iso)).toEqual([
			'2025-01-01',
			'2025-07-01',
			'2026-01-01'
		]);
	});
	it('should mark quarters over a school year and months over a few months', () => {
		expect(calendarTicks(day('2024-09-01'), day('2025-06-30')).map(iso)).toEqual([
			'2024-10-01',
			'2025-01-01',
			'2025-04-01'
		]);
		expect(calendarTicks(day('2026-09-15'), day('2026-11-20')).map(iso)).toEqual(['2026-10-01', '2026-11-01']);
	});
});
