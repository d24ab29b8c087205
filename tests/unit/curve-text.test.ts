import { describe, expect, it } from 'vitest';
import { curveText, expectedPathText, forecastText } from '../../src/lib/domain/curve-text.ts';
import type { Curve } from '../../src/lib/domain/curve.ts';

const curve: Curve = {
	points: [
		{ date: '2026-09-20', value: 40, stale: true, demo: false },
		{ date: '2026-11-10', value: 50.25, stale: false, demo: true }
	],
	baseline: { date: '2024-09-01', value: 0 },
	target: { date: '2027-06-30', value: 75 },
	expected: [
		{ date: '2024-09-01', value: 0 },
		{ date: '2025-06-30', value: 30 },
		{ date: '2027-06-30', value: 75 }
	],
	forecast: {
		from: { date: '2026-09-20', value: 40 },
		to: { date: '2027-06-30', value: 73.14 },
		used: 3,
		perYear: 36
	}
};

describe(expectedPathText.name, () => {
	it('should name every point of the path, the period targets as "via"', () => {
		expect(expectedPathText(curve.expected, 'percent')).toBe(
			'verwachte lijn: van 0% (1 sep 2024) via 30% (30 jun 2025) naar 75% (30 jun 2027)'
		);
	});
	it('should say when there is no path', () => {
		expect(expectedPathText(null, 'count')).toBe('geen verwachte lijn (nulmeting of streefwaarde met datum ontbreekt)');
	});
});

describe(forecastText.name, () => {
	it('should give the forecast with its label, date and the values it rests on', () => {
		expect(forecastText(curve.forecast, 'percent')).toBe(
			'prognose bij gelijkblijvende trend: 73,1% op 30 jun 2027 (lijn door de laatste 3 waarden)'
		);
	});
	it('should say why there is none', () => {
		expect(forecastText(null, 'score')).toBe(
			'geen prognose bij gelijkblijvende trend: daarvoor zijn minstens 3 opeenvolgende geldige waarden nodig'
		);
	});
});

describe(curveText.name, () => {
	it('should tell values, stale ones, baseline, target, path, forecast and demo in one sentence', () => {
		expect(curveText('Clubs in Vleuten', curve, 'percent')).toBe(
			'Clubs in Vleuten: 2 waarden, de laatste op 10 nov 2026: 50,3%; 1 waarde is verouderd; nulmeting 0% (1 sep 2024); ' +
				'streefwaarde 75% (30 jun 2027); verwachte lijn: van 0% (1 sep 2024) via 30% (30 jun 2025) naar 75% (30 jun 2027); ' +
				'prognose bij gelijkblijvende trend: 73,1% op 30 jun 2027 (lijn door de laatste 3 waarden); bevat demo-waarden.'
		);
	});
});
