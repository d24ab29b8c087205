import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/domain/permissions.ts';
import type { Programme } from '../../src/lib/server/db/schema.ts';
import { indicatorPage } from '../../src/lib/server/services/indicator-page.service.ts';
import { loadProgress, programmeProgress } from '../../src/lib/server/services/progress.service.ts';
import { curveOf } from '../../src/lib/domain/curve.ts';
import { createAccount } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';

const SLUG = 'vleuten-versterkt';
/** A fixed today, in phase November of school year 2026-2027. */
const TODAY = '2026-11-15';
/** a next step's indicator (per phase, weighted mean): 0 → 75 with two period targets */
const STEP = 'VV-T1-VS1-STAP';
const BELEID = 'VV-AMB-1-STRESS';

describe.each(DIALECTS)('indicator curve and the story behind it on %s', (dialect) => {
	let db: TestDb;
	let programme: Programme;
	let funder: Actor;
	let lead: Actor;
	let region: { id: number; slug: string };
	const page = async (actor: Actor, code = STEP) => {
		const p = await indicatorPage({ db: db.db, programme, actor }, code, region.slug, {
			includeUnapproved: false,
			today: TODAY
		});
		if (!p) throw new Error(`${code} not found`);
		return p;
	};
	const actor = (id: number, role: 'funder' | 'lead'): Actor => ({
		userId: id,
		name: role,
		email: `${role}@test.nl`,
		isAdmin: false,
		roles: { [programme.id]: role },
		via: 'session'
	});

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db);
		programme = await db.db.selectFrom('programmes').selectAll().where('slug', '=', SLUG).executeTakeFirstOrThrow();
		funder = actor((await createAccount(db.db, { role: 'funder', programme: SLUG })).id, 'funder');
		lead = actor((await createAccount(db.db, { role: 'lead', programme: SLUG })).id, 'lead');
		const regions = await db.db.selectFrom('regions').selectAll().where('programme_id', '=', programme.id).execute();
		region = regions.find((r) => regions.filter((c) => c.parent_id === r.id).length > 1)!;
		const indicator = await db.db
			.updateTable('indicators')
			.set({
				target_date: '2027-06-30',
				targets: JSON.stringify([
					{ date: '2025-06-30', value: 30 },
					{ date: '2026-06-30', value: 55, demo: true }
				])
			})
			.where('code', '=', STEP)
			.returning('id')
			.executeTakeFirstOrThrow();
		const stamp = `${TODAY}T10:00:00Z`;
		const audited = { version: 1, created_at: stamp, updated_at: stamp };
		await db.db
			.insertInto('measurements')
			.values(
				[
					['2026-09-20', 40],
					['2026-10-20', 45],
					['2026-11-10', 50]
				].map(([date, value]) => ({
					...audited,
					indicator_id: indicator.id,
					region_id: region.id,
					date: date as string,
					value: value as number,
					text: null,
					n: 20,
					source: 'Evaluatiegesprek',
					note: null,
					status: 'approved' as const,
					review_comment: null,
					demo: 0,
					created_by: null,
					reviewed_by: null,
					reviewed_at: null
				}))
			)
			.execute();
		const step = await db.db
			.selectFrom('next_steps')
			.select('id')
			.where('code', '=', 'VV-T1-VS1')
			.executeTakeFirstOrThrow();
		// twelve shareable quotes and one for the team only
		await db.db
			.insertInto('actions')
			.values(
				Array.from({ length: 13 }, (_, i) => ({
					...audited,
					programme_id: programme.id,
					date: `2026-10-${String(i + 1).padStart(2, '0')}`,
					next_step_id: step.id,
					solution_id: null,
					kind: 'sessie' as const,
					organisation_id: null,
					region_id: region.id,
					reached_jongeren: 5,
					reached_ouders: 0,
					reached_professionals: 0,
					description: 'Sessie met jeugdleden',
					quote: i === 12 ? 'Alleen voor het team' : `Verhaal ${i + 1}`,
					quote_public: i === 12 ? 0 : 1,
					author_id: null,
					idempotency_key: null,
					demo: 0,
					deleted_at: null
				}))
			)
			.execute();
		// today's school year is made on the first read of progress
		await programmeProgress({ db: db.db, programme }, { today: TODAY });
		const phases = await db.db
			.selectFrom('phases')
			.select(['id', 'name'])
			.where('programme_id', '=', programme.id)
			.where('start_date', '>=', '2026-09-01')
			.where('end_date', '<=', '2026-10-31')
			.orderBy('start_date')
			.execute();
		expect(phases.map((p) => p.name)).toEqual(['September', 'Oktober']);
		const evaluation = (phaseId: number, state: 'final' | 'draft', learnings: string) => ({
			...audited,
			next_step_id: step.id,
			phase_id: phaseId,
			state,
			status: 'aandacht_nodig' as const,
			done: 'Sessies gegeven',
			story: 'Het verhaal',
			learnings,
			decision: 'bijstellen' as const,
			snapshot: null,
			finalised_at: state === 'final' ? stamp : null,
			finalised_by: null,
			created_by: null
		});
		await db.db
			.insertInto('evaluations')
			.values([
				evaluation(phases[0].id, 'final', 'Clubs willen kortere werkbladen'),
				evaluation(phases[1].id, 'draft', 'Nog niet af')
			])
			.execute();
	});
	afterAll(async () => db?.drop());

	it('should draw the figure at each phase end, the baseline, the target, the path through the period targets and the forecast', async () => {
		const { curve } = await page(funder);
		expect(curve).not.toBeNull();
		expect(curve!.points.map((p) => [p.date, p.value, p.stale])).toEqual([
			['2026-09-20', 40, false],
			['2026-10-20', 45, false],
			['2026-11-10', 50, false]
		]);
		expect(curve!.baseline).toEqual({ date: '2024-09-01', value: 0 });
		expect(curve!.target).toEqual({ date: '2027-06-30', value: 75 });
		expect(curve!.expected).toEqual([
			{ date: '2024-09-01', value: 0 },
			{ date: '2025-06-30', value: 30 },
			{ date: '2026-06-30', value: 55 },
			{ date: '2027-06-30', value: 75 }
		]);
		expect(curve!.forecast).toMatchObject({ used: 3, from: { date: '2026-09-20' }, to: { date: '2027-06-30' } });
		expect(curve!.forecast!.from.value).toBeCloseTo(40.1, 0);
		// five points in 51 days: about 36 a year
		expect(curve!.forecast!.perYear).toBeGreaterThan(30);
		// 50 of 75 is 0,67; the path expects 55 + 20 · 132/365 ≈ 62,2 (0,83) on 10 November: more than 0,10 behind
		expect(curve!.progress).toBeCloseTo(50 / 75, 5);
		expect(curve!.expectedProgress).toBeCloseTo((55 + (20 * 132) / 365) / 75, 2);
		expect(curve!.status).toBe('achter');
		expect(curve!.trend).toBe('beter');
	});

	it('should show the same figure as the dashboard for the region', async () => {
		const { curve } = await page(funder);
		const progress = await programmeProgress({ db: db.db, programme }, { region: region.slug, today: TODAY });
		const figure = progress.ok && progress.value.indicators.find((i) => i.code === STEP);
		expect(figure && figure.latest?.value).toBe(50);
		expect(curve!.points.at(-1)!.value).toBe(50);
		expect(figure && [figure.status, figure.trend, figure.expected]).toEqual([
			curve!.status,
			curve!.trend,
			curve!.expectedProgress
		]);
	});

	it("should end every indicator's curve on the dashboard's figure, derived ones included", async () => {
		// an action on the solution Stappenplan, whose reach is derived from the action log
		const solution = await db.db
			.selectFrom('solutions')
			.select(['id', 'next_step_id'])
			.where('code', '=', 'VV-T1-S1')
			.executeTakeFirstOrThrow();
		const stamp = `${TODAY}T10:00:00Z`;
		await db.db
			.insertInto('actions')
			.values({
				version: 1,
				created_at: stamp,
				updated_at: stamp,
				programme_id: programme.id,
				date: '2026-11-05',
				next_step_id: solution.next_step_id,
				solution_id: solution.id,
				kind: 'les',
				organisation_id: null,
				region_id: region.id,
				reached_jongeren: 25,
				reached_ouders: 0,
				reached_professionals: 3,
				description: 'Les stappenplan',
				quote: null,
				quote_public: 0,
				author_id: null,
				idempotency_key: null,
				demo: 0,
				deleted_at: null
			})
			.execute();
		const loaded = await loadProgress(
			{ db: db.db, programme },
			{ region: region.slug, today: TODAY },
			{ histories: (inds) => inds }
		);
		if (!loaded.ok) throw new Error('progress refused');
		const { input, histories, progress } = loaded.value;
		const counted = progress.indicators.filter((f) => f.latest !== null);
		expect(counted.some((f) => f.derived)).toBe(true);
		expect(counted.some((f) => !f.derived)).toBe(true);
		for (const figure of counted) {
			const ind = input.indicators.find((i) => i.id === figure.id)!;
			const curve = curveOf(ind, input, ind.derived ? [] : (histories.get(ind.id) ?? []), TODAY);
			expect([figure.code, curve.points.at(-1)?.value], figure.code).toEqual([figure.code, figure.latest!.value]);
		}
	});

	it('should tell the story behind the curve: the newest ten quotes, shareable ones only for a funder, and final evaluations', async () => {
		const forFunder = (await page(funder)).story!;
		expect(forFunder.shareableOnly).toBe(true);
		expect(forFunder.stories.map((s) => s.quote)).toEqual(Array.from({ length: 10 }, (_, i) => `Verhaal ${12 - i}`));
		expect(forFunder.storiesTotal).toBe(12);
		expect(forFunder.evaluations).toMatchObject([
			{
				phaseName: 'September',
				schoolYear: '2026-2027',
				learnings: 'Clubs willen kortere werkbladen',
				decision: 'bijstellen'
			}
		]);
		expect(forFunder.evaluationsTotal).toBe(1);
		const forLead = (await page(lead)).story!;
		expect(forLead.shareableOnly).toBe(false);
		expect(forLead.stories[0]).toMatchObject({ quote: 'Alleen voor het team', shareable: false });
		expect(forLead.storiesTotal).toBe(13);
	});

	it('should tell no story beside a Beleid indicator: no action or evaluation hangs on it', async () => {
		const { story } = await page(lead, BELEID);
		expect(story).toBeNull();
	});
});
