import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/lib/server/services/demo.service.ts';
import type { EvaluationInput } from '../../src/lib/domain/evaluation.ts';
import type { Actor } from '../../src/lib/domain/permissions.ts';
import { phaseOf } from '../../src/lib/domain/phase-calendar.ts';
import type { Programme } from '../../src/lib/server/db/schema.ts';
import { dueList } from '../../src/lib/server/services/due.service.ts';
import * as evaluations from '../../src/lib/server/services/evaluation.service.ts';
import {
	addSchoolYear,
	ensureCurrentSchoolYear,
	listPhases,
	listSchoolYears,
	saveSchoolYear
} from '../../src/lib/server/services/phase.service.ts';
import { takeSnapshot } from '../../src/lib/server/services/snapshot.service.ts';
import { createAccount } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';

const complete: EvaluationInput = {
	status: 'op_koers',
	done: 'Gedaan',
	story: 'Verhaal',
	learnings: '',
	decision: 'voortzetten',
	followUps: []
};

describe.each(DIALECTS)('phases, evaluations and the due list on %s', (dialect) => {
	let db: TestDb;
	let programme: Programme;
	let actor: Actor;
	let steps: number[];
	const phaseId = async (name: string, year = '2024-2025', today = '2026-11-23') =>
		(await listPhases({ db: db.db, programme }, today)).find((p) => p.name === name && p.schoolYear === year)!.id;
	const finalOf = async (step: number, phase: number, input = complete) => {
		const saved = await evaluations.saveDraft({ db: db.db, programme, actor }, step, phase, input);
		if (!saved.ok) throw new Error(saved.refusal.message);
		const final = await evaluations.finalise({ db: db.db, programme, actor }, saved.value.id);
		if (!final.ok) throw new Error(final.refusal.message);
		return final.value;
	};

	/** the demo data of an install made on `day` (demo data ends with the phase containing it) */
	const seedDemoAsOf = (day: string) => seedDemo(db.db, { today: day });

	beforeEach(async () => {
		db = await migratedDb(dialect);
		// no demo seed: it would create the school years up to today, which these tests create themselves
		await loadBothPlans(db, { demo: false });
		programme = await db.db
			.selectFrom('programmes')
			.selectAll()
			.where('slug', '=', 'vleuten-versterkt')
			.executeTakeFirstOrThrow();
		const lead = await createAccount(db.db, { role: 'lead', programme: programme.slug });
		actor = {
			userId: lead.id,
			name: 'Lead',
			email: lead.email,
			isAdmin: false,
			roles: { [programme.id]: 'lead' },
			via: 'session'
		};
		steps = (
			await db.db
				.selectFrom('next_steps')
				.select('id')
				.where('programme_id', '=', programme.id)
				.orderBy('sort_order')
				.orderBy('id')
				.execute()
		).map((s) => s.id);
	});
	afterEach(async () => db?.drop());

	describe('school years', () => {
		it('should give a programme the current school year from the template once, audited', async () => {
			await ensureCurrentSchoolYear(db.db, programme, '2026-11-23');
			await ensureCurrentSchoolYear(db.db, programme, '2026-11-24');
			const years = await listSchoolYears({ db: db.db, programme }, '2026-11-23');
			expect(years.map((y) => y.name)).toEqual(['2024-2025', '2026-2027']);
			expect(years[1].phases.map((p) => [p.name, p.start, p.end, p.evaluationDate])).toContainEqual([
				'November',
				'2026-11-01',
				'2026-11-30',
				'2026-11-30'
			]);
			const audit = await db.db.selectFrom('audit_log').selectAll().where('entity', '=', 'school_year').execute();
			expect(audit).toHaveLength(1);
			expect(audit[0].user_id).toBeNull();
		});

		it('should refuse making an evaluation final before its phase has begun', async () => {
			await ensureCurrentSchoolYear(db.db, programme, '2026-11-23');
			const january = await phaseId('Januari–juni', '2026-2027');
			const saved = await evaluations.saveDraft({ db: db.db, programme, actor }, steps[0], january, complete);
			if (!saved.ok) throw new Error(saved.refusal.message);
			const early = await evaluations.finalise({ db: db.db, programme, actor }, saved.value.id, {
				today: '2026-11-23'
			});
			expect(early).toMatchObject({ ok: false, refusal: { code: 'too_early', status: 409 } });
			expect((await evaluations.listEvaluations({ db: db.db, programme }, [january]))[0].state).toBe('draft');
			const begun = await evaluations.finalise({ db: db.db, programme, actor }, saved.value.id, {
				today: '2027-01-01'
			});
			expect(begun.ok).toBe(true);
		});

		it('should add the school year after the latest', async () => {
			await ensureCurrentSchoolYear(db.db, programme, '2026-11-23');
			const r = await addSchoolYear({ db: db.db, programme, actor }, '2026-11-23');
			expect(r).toEqual({ ok: true, value: '2027-2028' });
		});

		it('should rename phases and move their dates, and group dates by the new phases', async () => {
			const [year] = await listSchoolYears({ db: db.db, programme }, '2026-11-23');
			const edits = year.phases.map((p) => ({ ...p }));
			edits[1] = { ...edits[1], name: 'Herfst', end: '2024-11-03', evaluationDate: '2024-11-03' };
			edits[2] = { ...edits[2], start: '2024-11-04' };
			const r = await saveSchoolYear({ db: db.db, programme, actor }, year.id, year.version, edits);
			expect(r.ok).toBe(true);
			const phases = await listPhases({ db: db.db, programme }, '2026-11-23');
			expect(phaseOf('2024-11-02', phases)?.name).toBe('Herfst');
			expect(phaseOf('2024-11-04', phases)?.name).toBe('November');
			const [audit] = await db.db
				.selectFrom('audit_log')
				.selectAll()
				.where('entity', '=', 'school_year')
				.where('action', '=', 'update')
				.execute();
			expect(JSON.parse(audit.before!).phases[1].name).toBe('Oktober');
			expect(JSON.parse(audit.after!).phases[1].name).toBe('Herfst');
		});

		it('should refuse a gap, an overlap and a stale version, changing nothing', async () => {
			const [year] = await listSchoolYears({ db: db.db, programme }, '2026-11-23');
			const before = await listPhases({ db: db.db, programme }, '2026-11-23');
			const gap = year.phases.map((p, i) => (i === 2 ? { ...p, start: '2024-11-05' } : p));
			const g = await saveSchoolYear({ db: db.db, programme, actor }, year.id, year.version, gap);
			expect(g.ok === false && g.refusal.code === 'invalid_input' && g.refusal.issues![0].message).toMatch(
				/Tussen Oktober en November zit een gat/
			);
			const overlap = year.phases.map((p, i) =>
				i === 1 ? { ...p, end: '2024-11-02', evaluationDate: '2024-11-02' } : p
			);
			const o = await saveSchoolYear({ db: db.db, programme, actor }, year.id, year.version, overlap);
			expect(o.ok === false && o.refusal.code === 'invalid_input' && o.refusal.issues![0].message).toMatch(
				/Oktober en November overlappen/
			);
			const next = await saveSchoolYear(
				{ db: db.db, programme, actor },
				year.id,
				year.version,
				year.phases.map((p, i) => (i === 0 ? { ...p, name: 'Start' } : p))
			);
			expect(next.ok).toBe(true);
			const stale = await saveSchoolYear(
				{ db: db.db, programme, actor },
				year.id,
				year.version,
				year.phases.map((p, i) => (i === 0 ? { ...p, name: 'Begin' } : p))
			);
			expect(stale).toMatchObject({ ok: false, refusal: { code: 'conflict', status: 409 } });
			const after = await listPhases({ db: db.db, programme }, '2026-11-23');
			expect(after.map((p) => p.name)).toEqual(before.map((p, i) => (i === 0 ? 'Start' : p.name)));
		});
	});

	describe('snapshot', () => {
		beforeEach(() => seedDemoAsOf('2025-07-15'));
		it('should keep a final evaluation’s figures when measurements change later', async () => {
			const october = await phaseId('Oktober');
			const indicator = await db.db
				.selectFrom('indicators')
				.selectAll()
				.where('code', '=', 'VV-T1-VS1-STAP')
				.executeTakeFirstOrThrow();
			const final = await finalOf(steps[0], october);
			const frozen = final.snapshot!.indicators.find((i) => i.code === indicator.code)!;
			expect(frozen.latest).toMatchObject({ date: '2024-10-31' });
			expect(frozen.progress).not.toBeNull();

			await db.db
				.updateTable('measurements')
				.set({ value: 74 })
				.where('indicator_id', '=', indicator.id)
				.where('date', '=', '2024-10-31')
				.execute();
			const stored = (await evaluations.listEvaluations({ db: db.db, programme }, [october]))[0];
			expect(stored.snapshot).toEqual(final.snapshot);
			const phase = await db.db.selectFrom('phases').selectAll().where('id', '=', october).executeTakeFirstOrThrow();
			const live = await takeSnapshot({ db: db.db, programme }, steps[0], phase);
			expect(live.indicators.find((i) => i.code === indicator.code)!.latest!.value).toBe(74);
			expect(frozen.latest!.value).not.toBe(74);
		});

		it('should leave submitted measurements and later dates out of the figures', async () => {
			const october = await phaseId('Oktober');
			const indicator = await db.db
				.selectFrom('indicators')
				.selectAll()
				.where('code', '=', 'VV-T1-VS1-STAP')
				.executeTakeFirstOrThrow();
			const region = await db.db
				.selectFrom('regions')
				.select('id')
				.where('slug', '=', 'utrecht')
				.executeTakeFirstOrThrow();
			await db.db
				.insertInto('measurements')
				.values([
					{
						indicator_id: indicator.id,
						region_id: region.id,
						date: '2024-10-30',
						value: 99,
						status: 'submitted',
						demo: 0
					},
					{
						indicator_id: indicator.id,
						region_id: region.id,
						date: '2024-11-01',
						value: 98,
						status: 'approved',
						demo: 0
					}
				])
				.execute();
			const final = await finalOf(steps[0], october);
			expect(final.snapshot!.indicators.find((i) => i.code === indicator.code)!.latest!.value).not.toBeGreaterThan(97);
		});
	});

	describe('due list', () => {
		it('should show what remains for November once October is final for every next step (done when)', async () => {
			const before = await dueList({ db: db.db, programme }, '2026-11-23');
			expect(before.moment).toMatchObject({ name: 'November', schoolYear: '2026-2027' });
			expect(before.evaluations.map((e) => [e.phase.name, e.phase.schoolYear, e.overdue])).toEqual(
				Array(5).fill(['November', '2026-2027', false])
			);

			const october = await phaseId('Oktober');
			for (const step of steps) await finalOf(step, october);
			const after = await dueList({ db: db.db, programme }, '2026-11-23');
			expect(after.evaluations).toHaveLength(5);
			expect(after.evaluations.map((e) => e.nextStepId)).toEqual(steps);
			expect(after.evaluations.map((e) => [e.phase.name, e.phase.schoolYear, e.overdue])).toEqual(
				Array(5).fill(['November', '2024-2025', true])
			);
		});

		it('should mark an evaluation due before its moment and overdue after, and note a started draft', async () => {
			const september = await phaseId('September');
			await finalOf(steps[0], september);
			const november = await phaseId('November');
			await evaluations.saveDraft({ db: db.db, programme, actor }, steps[1], november, {
				...complete,
				status: null,
				decision: null
			});
			const list = await dueList({ db: db.db, programme }, '2024-11-05');
			expect(list.evaluations[0]).toMatchObject({
				nextStepId: steps[0],
				phase: { name: 'Oktober' },
				overdue: true,
				draftId: null
			});
			expect(list.evaluations[1]).toMatchObject({ nextStepId: steps[1], phase: { name: 'November' }, overdue: false });
			expect(list.evaluations[1].draftId).not.toBeNull();
		});

		it('should list follow-ups past their deadline until they are done, also on a final evaluation', async () => {
			const october = await phaseId('Oktober');
			const final = await finalOf(steps[0], october, {
				...complete,
				followUps: [
					{ description: 'Trainersavond plannen', owner: 'Aanjager', deadline: '2024-11-01', done: false },
					{ description: 'Ouderbrief', owner: 'Lead', deadline: '2024-11-10', done: false }
				]
			});
			const list = await dueList({ db: db.db, programme }, '2024-11-05');
			expect(list.followUps.map((f) => f.description)).toEqual(['Trainersavond plannen']);
			const r = await evaluations.setFollowUpDone(
				{ db: db.db, programme, actor },
				list.followUps[0].id,
				true,
				list.followUps[0].evaluationVersion
			);
			expect(r.ok).toBe(true);
			expect((await dueList({ db: db.db, programme }, '2024-11-05')).followUps).toEqual([]);
			const stale = await evaluations.setFollowUpDone(
				{ db: db.db, programme, actor },
				list.followUps[0].id,
				false,
				final.version
			);
			expect(stale).toMatchObject({ ok: false, refusal: { code: 'conflict', status: 409 } });
			const audit = await db.db
				.selectFrom('audit_log')
				.selectAll()
				.where('entity', '=', 'evaluation_follow_up')
				.execute();
			expect(audit.map((a) => a.action)).toEqual(['done']);
		});

		it('should list indicators whose next measurement is due in the current phase, by frequency', async () => {
			// the demo data of an install made in July 2025: it ends with the phase Januari–juni 2025
			await seedDemoAsOf('2025-07-15');
			const indicator = await db.db
				.selectFrom('indicators')
				.selectAll()
				.where('code', '=', 'VV-T1-VS1-STAP')
				.executeTakeFirstOrThrow();
			const region = await db.db
				.selectFrom('regions')
				.select('id')
				.where('slug', '=', 'utrecht')
				.executeTakeFirstOrThrow();
			const due = async () => (await dueList({ db: db.db, programme }, '2026-11-23')).indicators;
			// the demo measurements end with the phase Januari–juni 2025
			expect(await due()).toContainEqual(
				expect.objectContaining({
					code: indicator.code,
					lastMeasured: '2025-06-30',
					dueDate: '2026-11-30',
					overdue: false
				})
			);
			expect((await due()).find((i) => i.code === 'VV-AMB-1-STRESS')).toBeUndefined(); // every 4 years since the 2023 baseline
			expect((await due()).some((i) => i.code.endsWith('-BEREIK'))).toBe(false); // derived: computed, never due

			await db.db
				.insertInto('measurements')
				.values({
					indicator_id: indicator.id,
					region_id: region.id,
					date: '2026-11-02',
					value: 30,
					status: 'returned',
					demo: 0
				})
				.execute();
			expect((await due()).map((i) => i.code)).toContain(indicator.code);
			await db.db
				.insertInto('measurements')
				.values({
					indicator_id: indicator.id,
					region_id: region.id,
					date: '2026-11-03',
					value: 30,
					status: 'submitted',
					demo: 0
				})
				.execute();
			expect((await due()).map((i) => i.code)).not.toContain(indicator.code);
		});
	});
});
