import { describe, expect, it } from 'vitest';
import { measurementDue, openEvaluations, overdueFollowUps, type Frequency } from '../../src/lib/domain/due.ts';
import { defaultSchoolYear } from '../../src/lib/domain/phase-calendar.ts';
import { gridCell } from '../../src/lib/domain/evaluation-grid.ts';
import { formatDigest } from '../../src/lib/domain/digest.ts';

const phases = [...defaultSchoolYear(2024).phases, ...defaultSchoolYear(2026).phases].map((p, i) => ({
	...p,
	id: i + 1
}));
const id = (name: string, year = 2024) =>
	phases.find((p) => p.name === name && p.start.startsWith(String(name === 'Januari–juni' ? year + 1 : year)))!.id;
const STEPS = [10, 20];

describe(openEvaluations.name, () => {
	it('should ask every step for the current phase when none has been evaluated', () => {
		const open = openEvaluations('2026-11-23', phases, STEPS, []);
		expect(open.map((o) => [o.nextStepId, o.phase.name, o.phase.start, o.overdue])).toEqual([
			[10, 'November', '2026-11-01', false],
			[20, 'November', '2026-11-01', false]
		]);
	});

	it('should ask for the phase after the latest final evaluation, overdue when its moment has passed', () => {
		const finals = [{ nextStepId: 10, phaseId: id('Oktober') }];
		const open = openEvaluations('2024-12-02', phases, STEPS, finals);
		expect(open.map((o) => [o.nextStepId, o.phase.name, o.overdue])).toEqual([
			[10, 'November', true],
			[20, 'December', false]
		]);
	});

	it('should ask nothing of a step evaluated up to the current phase', () => {
		const finals = [{ nextStepId: 10, phaseId: id('November', 2026) }];
		expect(openEvaluations('2026-11-23', phases, [10], finals)).toEqual([]);
	});

	it('should make an evaluation due on its moment and overdue the day after', () => {
		const finals = [{ nextStepId: 10, phaseId: id('September') }];
		expect(openEvaluations('2024-10-31', phases, [10], finals)[0]).toMatchObject({ overdue: false });
		const next = openEvaluations('2024-11-01', phases, [10], finals)[0];
		expect(next.phase.name).toBe('Oktober');
		expect(next.overdue).toBe(true);
	});

	it('should give nothing without phases', () => {
		expect(openEvaluations('2026-11-23', [], STEPS, [])).toEqual([]);
	});
});

describe(measurementDue.name, () => {
	const november = { start: '2026-11-01', end: '2026-11-30' };
	const ind = (frequency: Frequency, baselineDate: string | null = null, derived = false) => ({
		frequency,
		baselineDate,
		derived
	});

	it('should make a per-phase indicator due until it has a measurement in the phase', () => {
		expect(measurementDue(ind('per_phase'), '2026-10-31', november, '2026-11-23')).toEqual({
			dueDate: '2026-11-30',
			overdue: false
		});
		expect(measurementDue(ind('per_phase'), '2026-11-01', november, '2026-11-23')).toBeNull();
		expect(measurementDue(ind('per_phase'), null, november, '2026-12-01')).toEqual({
			dueDate: '2026-11-30',
			overdue: true
		});
	});

	it('should count years from the last measurement, or else the baseline', () => {
		expect(measurementDue(ind('yearly'), '2025-11-15', november, '2026-11-23')).toEqual({
			dueDate: '2026-11-15',
			overdue: true
		});
		expect(measurementDue(ind('yearly'), '2025-12-15', november, '2026-11-23')).toBeNull();
		expect(measurementDue(ind('every_4_years', '2023-12-31'), null, november, '2026-11-23')).toBeNull();
		expect(measurementDue(ind('every_2_years', '2023-12-31'), null, november, '2026-11-23')).toEqual({
			dueDate: '2025-12-31',
			overdue: true
		});
		expect(measurementDue(ind('yearly'), null, november, '2026-11-23')).toEqual({
			dueDate: '2026-11-30',
			overdue: false
		});
	});

	it('should make a one-off indicator due until it is measured', () => {
		expect(measurementDue(ind('once'), null, november, '2026-11-23')).not.toBeNull();
		expect(measurementDue(ind('once'), '2024-10-01', november, '2026-11-23')).toBeNull();
	});

	it('should never make a derived indicator due', () => {
		expect(measurementDue(ind('per_phase', null, true), null, november, '2026-11-23')).toBeNull();
	});
});

describe(overdueFollowUps.name, () => {
	it('should keep the undone follow-ups past their deadline, oldest first', () => {
		const list = [
			{ id: 1, deadline: '2026-11-30', done: false },
			{ id: 2, deadline: '2026-11-01', done: false },
			{ id: 3, deadline: '2026-10-01', done: true },
			{ id: 4, deadline: '2026-10-15', done: false },
			{ id: 5, deadline: '2026-11-23', done: false }
		];
		expect(overdueFollowUps(list, '2026-11-23').map((f) => f.id)).toEqual([4, 2]);
	});
});

describe(gridCell.name, () => {
	const phase = { start: '2024-10-01', evaluationDate: '2024-10-31' };
	it('should show a final evaluation by its status word', () => {
		expect(
			gridCell({ evaluation: { state: 'final', status: 'bijsturen' }, open: null, phase, today: '2026-11-23' })
		).toEqual({ tone: 'bijsturen', word: 'Bijsturen', detail: 'definitief' });
	});

	it('should show a draft as a concept with its status so far', () => {
		expect(
			gridCell({
				evaluation: { state: 'draft', status: 'op_koers' },
				open: { overdue: true },
				phase,
				today: '2026-11-23'
			})
		).toEqual({ tone: 'draft', word: 'Concept', detail: 'Op koers' });
	});

	it('should show what is open as te doen or te laat, and a passed phase left out as niet geëvalueerd', () => {
		expect(gridCell({ evaluation: null, open: { overdue: false }, phase, today: '2024-10-20' }).word).toBe('Te doen');
		expect(gridCell({ evaluation: null, open: { overdue: true }, phase, today: '2024-11-20' }).word).toBe('Te laat');
		expect(gridCell({ evaluation: null, open: null, phase, today: '2024-11-20' }).word).toBe('Niet geëvalueerd');
		expect(gridCell({ evaluation: null, open: null, phase, today: '2024-09-20' })).toEqual({
			tone: 'future',
			word: 'Nog niet',
			detail: 'fase komt nog'
		});
	});
});

describe(formatDigest.name, () => {
	const programme = { name: 'Vleuten Versterkt', slug: 'vleuten-versterkt' };
	const phase = {
		id: 3,
		name: 'November',
		schoolYear: '2024-2025',
		start: '2024-11-01',
		end: '2024-11-30',
		evaluationDate: '2024-11-30'
	};
	const none = { toReview: 0, returned: 0, items: [] };

	it('should say when nothing is open, so nothing needs sending', () => {
		const d = formatDigest(
			programme,
			{ today: '2024-11-05', moment: phase, evaluations: [], followUps: [], indicators: [], measurements: none },
			null
		);
		expect(d).toMatchObject({ empty: true, subject: 'Kompas Monitor · Vleuten Versterkt: niets open' });
	});

	it('should list each open item, overdue ones marked, with links when the address is known', () => {
		const d = formatDigest(
			programme,
			{
				today: '2024-12-02',
				moment: phase,
				evaluations: [{ nextStepId: 7, nextStep: 'Stap', theme: '1. Thema', phase, overdue: true, draftId: null }],
				followUps: [],
				indicators: [],
				measurements: none
			},
			'https://kompas.example/'
		);
		expect(d.subject).toBe('Kompas Monitor · Vleuten Versterkt: 1 punt open');
		expect(d.text).toContain(
			'- TE LAAT: Stap (thema 1. Thema), fase November 2024-2025, evaluatiemoment 30 november 2024 — https://kompas.example/p/vleuten-versterkt/evaluaties/7/3'
		);
	});

	it('should count waiting measurements as open and name them, with the rest counted', () => {
		const item = { indicator: 'VV-T1', indicatorName: 'Aandacht', regionName: 'Haarzicht', date: '2024-11-04' };
		const d = formatDigest(
			programme,
			{
				today: '2024-11-05',
				moment: phase,
				evaluations: [],
				followUps: [],
				indicators: [],
				measurements: {
					toReview: 3,
					returned: 1,
					items: [
						{ ...item, id: 1, status: 'submitted', by: 'Aanjager A' },
						{ ...item, id: 2, status: 'submitted', by: null },
						{ ...item, id: 3, status: 'returned', by: 'Aanjager B' }
					]
				}
			},
			'https://kompas.example'
		);
		expect(d).toMatchObject({ empty: false, subject: 'Kompas Monitor · Vleuten Versterkt: 4 punten open' });
		expect(d.text).toContain(
			'Metingen te beoordelen (3) — https://kompas.example/p/vleuten-versterkt/metingen/beoordelen\n' +
				'- VV-T1 Aandacht, Haarzicht, 4 november 2024 (Aanjager A)\n' +
				'- VV-T1 Aandacht, Haarzicht, 4 november 2024\n' +
				'- en nog 1\n'
		);
		expect(d.text).toContain('Teruggestuurde metingen, wachten op de indiener (1)');
		expect(d.text).toContain('- VV-T1 Aandacht, Haarzicht, 4 november 2024 (Aanjager B)');
	});
});
