import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/domain/permissions.ts';
import { createApi } from '../../src/lib/server/api/app.ts';
import type { Programme } from '../../src/lib/server/db/schema.ts';
import { dashboard } from '../../src/lib/server/services/dashboard.service.ts';
import { derivedMeasurements } from '../../src/lib/server/services/derived.service.ts';
import { dueList } from '../../src/lib/server/services/due.service.ts';
import { saveDraft } from '../../src/lib/server/services/evaluation.service.ts';
import { findIndicator } from '../../src/lib/server/services/kompas.service.ts';
import { programmeOverview } from '../../src/lib/server/services/overview.service.ts';
import { archiveNode } from '../../src/lib/server/services/plan-edit.service.ts';
import { createIndicator } from '../../src/lib/server/services/indicator-edit.service.ts';
import { readIndicatorForm } from '../../src/lib/domain/plan-edit.ts';
import { listPhases } from '../../src/lib/server/services/phase.service.ts';
import { valueOf } from '../helpers/result.ts';
import { report } from '../../src/lib/server/services/report.service.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { addActivity } from '../helpers/progress-fixture.ts';
import { expectEvery } from '../helpers/expect-every.ts';
import { apiClient, bodyOf } from '../helpers/client.ts';

const SLUG = 'vleuten-versterkt';

/**
 * Archiving a node takes it and what hangs below it out of the kompas: its indicators leave the dashboard,
 * the report and its files, the progress API, the overview's counts, the indicator API, "Wat staat er open"
 * and the derived values, and come back when the node is restored.
 */
describe.each(DIALECTS)('archived nodes on %s', (dialect) => {
	let db: TestDb;
	let api: ReturnType<typeof createApi>;
	let cookie: string;
	let programme: Programme;
	let lead: Actor;
	const admin: Actor = { userId: null, name: 'admin', email: null, isAdmin: true, roles: {}, via: 'session' };
	/** The typed client (Hono RPC): paths, queries and the progress answer are checked. */
	const v1 = () => apiClient(api, () => ({ cookie })).api.v1.programmes[':slug'];
	const param = { slug: SLUG };

	beforeAll(async () => {
		db = await migratedDb(dialect);
		// demo data of an install made in July 2025: measurements fall due again in the school year 2026-2027
		await loadBothPlans(db, { demo: true, demoAsOf: '2025-07-15' });
		await addActivity(db.db, SLUG);
		api = createApi(db);
		cookie = await signIn(
			(path, init) => Promise.resolve(api.request(path, init)),
			await createAccount(db.db, 'admin')
		);
		programme = await db.db.selectFrom('programmes').selectAll().where('slug', '=', SLUG).executeTakeFirstOrThrow();
		const account = await createAccount(db.db, { role: 'lead', programme: SLUG });
		lead = {
			userId: account.id,
			name: 'lead',
			email: account.email,
			isAdmin: false,
			roles: { [programme.id]: 'lead' },
			via: 'session'
		};
	}, 120_000);
	afterAll(async () => db?.drop());

	/** Indicator codes below a theme (on it, its next steps and their solutions) or on an ambition, read straight from the tables. */
	async function codesBelow(theme: string, ambition: string) {
		const t = await db.db.selectFrom('themes').select('id').where('code', '=', theme).executeTakeFirstOrThrow();
		const a = await db.db.selectFrom('ambitions').select('id').where('code', '=', ambition).executeTakeFirstOrThrow();
		const steps = (await db.db.selectFrom('next_steps').select('id').where('theme_id', '=', t.id).execute()).map(
			(s) => s.id
		);
		const solutions = (
			await db.db.selectFrom('solutions').select('id').where('next_step_id', 'in', steps).execute()
		).map((s) => s.id);
		const rows = await db.db
			.selectFrom('indicators')
			.select(['code', 'unit'])
			.where('archived_at', 'is', null)
			.where((eb) =>
				eb.or([
					eb('theme_id', '=', t.id),
					eb('next_step_id', 'in', steps),
					eb('solution_id', 'in', solutions),
					eb('ambition_id', '=', a.id)
				])
			)
			.execute();
		return {
			all: rows.map((r) => r.code),
			numeric: rows.filter((r) => r.unit !== 'text').length,
			solutionIndicator: rows.find((r) => r.code.startsWith(`${theme}-S`))!.code
		};
	}

	/** Indicator codes on a next step and its solutions. */
	async function codesBelowStep(step: string) {
		const s = await db.db.selectFrom('next_steps').select('id').where('code', '=', step).executeTakeFirstOrThrow();
		const solutions = (await db.db.selectFrom('solutions').select('id').where('next_step_id', '=', s.id).execute()).map(
			(o) => o.id
		);
		const rows = await db.db
			.selectFrom('indicators')
			.select(['code', 'unit'])
			.where('archived_at', 'is', null)
			.where((eb) =>
				eb.or([eb('next_step_id', '=', s.id), ...(solutions.length ? [eb('solution_id', 'in', solutions)] : [])])
			)
			.execute();
		return { all: rows.map((r) => r.code), numeric: rows.filter((r) => r.unit !== 'text').length };
	}

	async function setArchived(level: 'theme' | 'ambition' | 'nextStep', code: string, archived: boolean) {
		const table = ({ theme: 'themes', ambition: 'ambitions', nextStep: 'next_steps' } as const)[level];
		const row = await db.db
			.selectFrom(table)
			.select(['id', 'version'])
			.where('code', '=', code)
			.executeTakeFirstOrThrow();
		const r = await archiveNode({ db: db.db, programme, actor: lead }, { level, id: row.id }, row.version, archived);
		expect(r.ok).toBe(true);
	}

	/** Everything the readers show that an archived node must leave: indicator codes per reader, counts, and the answers. */
	async function look(solutionIndicator: string) {
		const board = valueOf(await dashboard({ db: db.db, programme, actor: admin }, { phase: '2024-2025' }));
		const view = valueOf(await report({ db: db.db, programme }, { phase: '2024-2025' }));
		const progress = await bodyOf(await v1().progress.$get({ param, query: { phase: '2024-2025' } }), 200);
		const csv = await (await v1()['report.csv'].$get({ param, query: { phase: '2024-2025' } })).text();
		const overview = (await programmeOverview({ db: db.db, actor: admin })).find((r) => r.slug === SLUG)!;
		return {
			dashboardIndicators: board.indicators.map((i) => i.code),
			dashboardBeleid: board.beleid.map((b) => b.indicator.code),
			headings: [...board.beleid, ...view.beleid].map((b) => b.nodeTitle),
			reportRows: [
				...view.beleid.map((b) => b.indicator.code),
				...view.themes.flatMap((t) => t.rows.map((i) => i.code))
			],
			csv,
			themes: progress.themes.map((t) => t.code),
			apiIndicators: Object.fromEntries(progress.themes.map((t) => [t.code, t.indicators])),
			completeness: overview.completeness,
			measurements: [
				(await v1().indicators[':code'].measurements.$get({ param: { ...param, code: 'VV-AMB-1-STRESS' }, query: {} }))
					.status,
				(await v1().indicators[':code'].measurements.$get({ param: { ...param, code: solutionIndicator }, query: {} }))
					.status
			],
			page: [
				await findIndicator({ db: db.db, programme }, 'VV-AMB-1-STRESS'),
				await findIndicator({ db: db.db, programme }, solutionIndicator)
			].map((i) => i?.code ?? null)
		};
	}

	it('should take the indicators below an archived theme, ambition and next step out of every reader, and bring them back on restore', async () => {
		const below = await codesBelow('VV-T1', 'VV-AMB-1');
		const step = await codesBelowStep('VV-T2-VS1');
		expect(step.numeric).toBeGreaterThan(0);
		expect(below.all).toContain('VV-AMB-1-STRESS');
		const before = await look(below.solutionIndicator);
		for (const code of below.all) expect(before.dashboardIndicators).toContain(code);
		expect(before.measurements).toEqual([200, 200]);

		await setArchived('theme', 'VV-T1', true);
		await setArchived('ambition', 'VV-AMB-1', true);
		await setArchived('nextStep', 'VV-T2-VS1', true);
		const after = await look(below.solutionIndicator);
		for (const code of [...below.all, ...step.all]) {
			expect(after.dashboardIndicators, code).not.toContain(code);
			expect(after.reportRows, code).not.toContain(code);
			expect(after.csv, code).not.toContain(code);
		}
		expect(after.dashboardBeleid.length).toBeGreaterThan(0);
		expectEvery(after.headings, (h) => h !== '');
		expect(after.themes).not.toContain('VV-T1');
		expect(after.completeness.total).toBe(before.completeness.total - below.numeric - step.numeric);
		expect(after.apiIndicators['VV-T2']).toBe(before.apiIndicators['VV-T2'] - step.numeric);
		expect(after.measurements).toEqual([404, 404]);
		expect(after.page).toEqual([null, null]);

		await setArchived('theme', 'VV-T1', false);
		await setArchived('ambition', 'VV-AMB-1', false);
		await setArchived('nextStep', 'VV-T2-VS1', false);
		expect(await look(below.solutionIndicator)).toEqual(before);
	});

	it('should leave the indicators, next steps and follow-ups below an archived theme out of the due list and the derived values, and bring them back on restore', async () => {
		const today = '2026-11-23';
		const theme = await db.db.selectFrom('themes').select('id').where('code', '=', 'VV-T1').executeTakeFirstOrThrow();
		const steps = (
			await db.db.selectFrom('next_steps').select('id').where('theme_id', '=', theme.id).orderBy('id').execute()
		).map((s) => s.id);
		const codes = (await codesBelow('VV-T1', 'VV-AMB-1')).all.filter((c) => c.startsWith('VV-T1-'));
		const september = (await listPhases({ db: db.db, programme }, today)).find(
			(p) => p.name === 'September' && p.schoolYear === '2026-2027'
		)!.id;
		const followUp = { description: 'Clubavond plannen', owner: 'Lead', deadline: '2026-10-01', done: false };
		const draft = await saveDraft({ db: db.db, programme, actor: lead }, steps[0], september, {
			status: null,
			done: '',
			story: '',
			learnings: '',
			decision: null,
			followUps: [followUp]
		});
		expect(draft.ok).toBe(true);
		const open = async () => {
			const due = await dueList({ db: db.db, programme }, today);
			return {
				indicators: due.indicators.map((i) => i.code),
				evaluations: due.evaluations.map((e) => e.nextStepId),
				followUps: due.followUps.map((f) => f.description),
				derived: [...new Set((await derivedMeasurements({ db: db.db, programme })).map((d) => d.indicator))]
			};
		};
		const before = await open();
		expect(before.indicators.filter((c) => codes.includes(c))).not.toEqual([]);
		expect(before.evaluations).toEqual(expect.arrayContaining(steps));
		expect(before.followUps).toContain(followUp.description);
		expect(before.derived).toContain('VV-T1-S1-BEREIK');

		await setArchived('theme', 'VV-T1', true);
		const after = await open();
		for (const code of codes) {
			expect(after.indicators, code).not.toContain(code);
			expect(after.derived, code).not.toContain(code);
		}
		for (const step of steps) expect(after.evaluations).not.toContain(step);
		expect(after.followUps).not.toContain(followUp.description);
		expect(after.derived.length).toBeGreaterThan(0);

		await setArchived('theme', 'VV-T1', false);
		expect(await open()).toEqual(before);
	});

	it('should count actions on an archived next step for no theme-level derived indicator, on the dashboard and in the derived values alike', async () => {
		const form = readIndicatorForm({
			code: 'VV-T2-ACTIES',
			node: 'VV-T2',
			name: 'Acties in dit thema',
			definition: 'Aantal gelogde acties.',
			kind: 'programme',
			unit: 'count',
			direction: 'higher_is_better',
			rba: 'how_much',
			targetGroup: 'jongeren',
			source: 'Actielogboek',
			method: 'Geteld',
			frequency: 'per_phase',
			aggregation: 'sum',
			owner: '',
			derivedMeasure: 'actions'
		});
		if (!form.ok) throw new Error(JSON.stringify(form.errors));
		expect((await createIndicator({ db: db.db, programme, actor: lead }, form.value, null)).ok).toBe(true);
		const figures = async () => {
			const board = valueOf(await dashboard({ db: db.db, programme, actor: admin }, { phase: '2024-2025' }));
			const phases = (await listPhases({ db: db.db, programme }, '2026-11-23'))
				.filter((p) => p.schoolYear === '2024-2025')
				.map((p) => p.id);
			const derived = (await derivedMeasurements({ db: db.db, programme })).filter(
				(d) => d.indicator === 'VV-T2-ACTIES' && phases.includes(d.phaseId)
			);
			return {
				dashboard: board.indicators.find((i) => i.code === 'VV-T2-ACTIES')!.latest?.value ?? null,
				derived: derived.length ? derived.reduce((sum, d) => sum + d.value, 0) : null
			};
		};
		const before = await figures();
		expect(before.derived).toBeGreaterThan(0);
		expect(before.dashboard).toBe(before.derived);

		await setArchived('nextStep', 'VV-T2-VS1', true);
		// the theme's only next step: its actions no longer count for the theme anywhere
		expect(await figures()).toEqual({ dashboard: null, derived: null });
		await setArchived('nextStep', 'VV-T2-VS1', false);
		expect(await figures()).toEqual(before);
	});
});
