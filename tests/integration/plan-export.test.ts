import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../src/lib/server/api/app.ts';
import { createDb } from '../../src/lib/server/db/create-db.ts';
import { resolveIndicator, planIndicators, validatePlan } from '../../src/lib/domain/plan-validation.ts';
import { readPlanFile } from '../../src/lib/server/plan-files.ts';
import { loadPlan } from '../../src/lib/server/services/plan-loader.service.ts';
import { exportPlanYaml } from '../../src/lib/server/services/plan-export.service.ts';
import { findProgramme } from '../../src/lib/server/services/kompas.service.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, TMP, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans, PLANS_DIR, VLEUTEN, ZKL } from '../helpers/plans.ts';
import { apiClient } from '../helpers/client.ts';
import { zklWithDimensions } from '../helpers/plan-dimensions.ts';

const PLANS = [
	{ slug: 'vleuten-versterkt', file: VLEUTEN },
	{ slug: 'zkl-onder-druk', file: ZKL }
];

async function exported(db: TestDb, slug: string): Promise<string> {
	const result = await exportPlanYaml({ db: db.db, programme: (await findProgramme(db.db, slug))! });
	if (!result.ok) throw new Error(JSON.stringify(result.refusal.issues));
	return result.value;
}

/** An exported plan written next to a copy of the library, as `plan:load` expects. */
function writePlan(dir: string, slug: string, text: string): string {
	mkdirSync(dir, { recursive: true });
	copyFileSync(join(PLANS_DIR, 'library.yaml'), join(dir, 'library.yaml'));
	const file = join(dir, `${slug}.yaml`);
	writeFileSync(file, text);
	return file;
}

describe.each(DIALECTS)('plan YAML export on %s', (dialect) => {
	let db: TestDb;
	const dir = join(TMP, `plan-export-${dialect}-${process.pid}`);

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db, { demo: true });
	});
	afterAll(async () => db?.drop());

	it.each(PLANS)(
		'should export $slug so that loading the export and exporting again gives the same bytes',
		async ({ slug }) => {
			const first = await exported(db, slug);
			const file = writePlan(dir, slug, first);
			const fresh = await migratedDb(dialect);
			try {
				const { plan, library } = readPlanFile(file);
				await loadPlan(fresh.db, plan, library);
				expect(await exported(fresh, slug)).toBe(first);
				// and loading it over the database it came from changes nothing either
				await loadPlan(db.db, plan, library);
				expect(await exported(db, slug)).toBe(first);
			} finally {
				await fresh.drop();
			}
		}
	);

	it.each(PLANS)('should export $slug with the same meaning as the hand-written file', async ({ slug, file }) => {
		const original = readPlanFile(file);
		const checked = validatePlan(parse(await exported(db, slug)), original.library);
		expect(checked.ok).toBe(true);
		if (!checked.ok) return;
		const resolved = (plan: typeof original.plan) =>
			[...planIndicators(plan)].map(({ indicator }) => resolveIndicator(indicator, original.library));
		expect(resolved(checked.value)).toEqual(resolved(original.plan));
		const { themes: _a, ambitions: _b, outcomes: _c, schoolYears, ...rest } = checked.value;
		const { themes: _d, ambitions: _e, outcomes: _f, schoolYears: yearsOriginal, ...restOriginal } = original.plan;
		expect(rest).toEqual(restOriginal);
		// the demo seed adds the school years from the programme's start up to today beside the file's own
		expect(yearsOriginal?.length).toBeGreaterThan(0);
		expect(schoolYears).toEqual(expect.arrayContaining(yearsOriginal!));
		expect(
			checked.value.themes.map((t) => [
				t.code,
				t.title,
				t.nextSteps.map((s) => [s.code, s.goal, s.solutions.map((o) => o.title)])
			])
		).toEqual(
			original.plan.themes.map((t) => [
				t.code,
				t.title,
				t.nextSteps.map((s) => [s.code, s.goal, s.solutions.map((o) => o.title)])
			])
		);
	});

	it('should write library indicators as `library:` plus only what differs', async () => {
		const text = await exported(db, 'vleuten-versterkt');
		const plan = parse(text);
		const first = plan.ambitions[0].indicators[0];
		expect(first.library).toBe('GMJ-STRESS');
		// the plan's own baseline, target, key mark and breakdown by gender with its targets; nothing the library says
		expect(Object.keys(first)).toEqual([
			'code',
			'library',
			'baseline',
			'target',
			'key',
			'dimensions',
			'categoryTargets'
		]);
		expect(first.dimensions).toEqual(['geslacht']);
		expect(first.baseline.region).toBe('nederland');
		expect(text).toContain('target: { value: 45, date: 2027-12-31, demo: true }');
	});

	it('should write validity, baseline area, comparability and key back, so export → load → export round-trips', async () => {
		const fresh = await migratedDb(dialect);
		try {
			await loadBothPlans(fresh);
			const p = (await findProgramme(fresh.db, 'zkl-onder-druk'))!;
			const set = (code: string, values: Record<string, unknown>) =>
				fresh.db
					.updateTable('indicators')
					.set(values)
					.where('programme_id', '=', p.id)
					.where('code', '=', code)
					.execute();
			await set('ZKL-T1-EIGEN-KEUZE', { valid_months: 18, comparable: 1, baseline_region: 'zuid-kennemerland' });
			await set('ZKL-MR-1-DRUK', { key_indicator: 0, comparable: 1 });
			const first = await exported(fresh, 'zkl-onder-druk');
			const plan = parse(first);
			expect(plan.themes[0].indicators[0]).toMatchObject({
				code: 'ZKL-T1-EIGEN-KEUZE',
				baseline: { region: 'zuid-kennemerland' },
				validMonths: 18,
				comparable: true
			});
			expect(plan.themes[0].indicators[0].key).toBeUndefined();
			expect(plan.outcomes[0].indicators[0]).toMatchObject({ code: 'ZKL-MR-1-DRUK', comparable: true });
			expect(plan.outcomes[0].indicators[0].key).toBeUndefined();
			const { plan: again, library } = readPlanFile(writePlan(dir, 'zkl-onder-druk', first));
			const other = await migratedDb(dialect);
			try {
				await loadPlan(other.db, again, library);
				expect(await exported(other, 'zkl-onder-druk')).toBe(first);
				const row = await other.db
					.selectFrom('indicators')
					.select(['valid_months', 'comparable', 'baseline_region', 'key_indicator'])
					.where('code', '=', 'ZKL-T1-EIGEN-KEUZE')
					.executeTakeFirstOrThrow();
				expect(row).toEqual({
					valid_months: 18,
					comparable: 1,
					baseline_region: 'zuid-kennemerland',
					key_indicator: 0
				});
			} finally {
				await other.drop();
			}
		} finally {
			await fresh.drop();
		}
	});

	it('should write period targets back by date with their demo marks, so export → load → export round-trips', async () => {
		const fresh = await migratedDb(dialect);
		try {
			const { plan, library } = readPlanFile(ZKL);
			const drukte = plan.outcomes[0].indicators[0];
			expect(drukte.code).toBe('ZKL-MR-1-DRUK');
			drukte.targets = [
				{ date: '2026-07-31', value: 31.5, demo: true },
				{ date: '2025-07-31', value: 33 }
			];
			await loadPlan(fresh.db, plan, library);
			const first = await exported(fresh, 'zkl-onder-druk');
			expect(parse(first).outcomes[0].indicators[0].targets).toEqual([
				{ date: '2025-07-31', value: 33 },
				{ date: '2026-07-31', value: 31.5, demo: true }
			]);
			const { plan: again, library: lib } = readPlanFile(writePlan(dir, 'zkl-onder-druk', first));
			const other = await migratedDb(dialect);
			try {
				await loadPlan(other.db, again, lib);
				expect(await exported(other, 'zkl-onder-druk')).toBe(first);
			} finally {
				await other.drop();
			}
		} finally {
			await fresh.drop();
		}
	});

	it('should write dimensions, category targets and the minimum group size back, so export → load → export round-trips', async () => {
		const fresh = await migratedDb(dialect);
		try {
			const { plan, library } = zklWithDimensions();
			await loadPlan(fresh.db, plan, library);
			const first = await exported(fresh, 'zkl-onder-druk');
			const written = parse(first);
			expect(written.programme.minGroupSize).toBe(15);
			expect(written.dimensions).toEqual(plan.dimensions);
			expect(written.outcomes[0].indicators[0]).toMatchObject({
				code: 'ZKL-MR-1-DRUK',
				dimensions: ['geslacht'],
				categoryTargets: plan.outcomes[0].indicators[0].categoryTargets
			});
			expect(first).toContain('dimensions: [ geslacht ]');
			expect(first).toContain('- { key: anders-onbekend, name: Anders/onbekend, archived: true }');
			const { plan: again, library: lib } = readPlanFile(writePlan(dir, 'zkl-onder-druk', first));
			const other = await migratedDb(dialect);
			try {
				await loadPlan(other.db, again, lib);
				expect(await exported(other, 'zkl-onder-druk')).toBe(first);
				const stored = async (db: TestDb) =>
					db.db
						.selectFrom('programmes')
						.select(['dimensions', 'min_group_size'])
						.where('slug', '=', 'zkl-onder-druk')
						.executeTakeFirstOrThrow();
				expect(await stored(other)).toEqual(await stored(fresh));
				const druk = async (db: TestDb) =>
					db.db
						.selectFrom('indicators')
						.select(['dimensions', 'category_targets'])
						.where('code', '=', 'ZKL-MR-1-DRUK')
						.executeTakeFirstOrThrow();
				expect(await druk(other)).toEqual(await druk(fresh));
			} finally {
				await other.drop();
			}
		} finally {
			await fresh.drop();
		}
	});

	it('should write poll templates and a retention other than the default back, so export → load → export round-trips', async () => {
		const fresh = await migratedDb(dialect);
		try {
			const { plan, library } = readPlanFile(ZKL);
			plan.programme.pollRetentionDays = 30;
			const template = plan.pollTemplates![0];
			template.questions.push({
				key: 'na-school',
				kind: 'choice',
				text: 'Wat doe je het liefst na school?',
				options: [
					{ key: 'sport', name: 'Sporten' },
					{ key: 'vrienden', name: 'Afspreken met vrienden' },
					{ key: 'rust', name: 'Even niks' }
				],
				indicator: 'ZKL-T1-EIGEN-KEUZE',
				option: 'sport'
			});
			await loadPlan(fresh.db, plan, library);
			const row = await fresh.db
				.selectFrom('programmes')
				.select(['poll_templates', 'poll_retention_days'])
				.where('slug', '=', 'zkl-onder-druk')
				.executeTakeFirstOrThrow();
			expect(row.poll_retention_days).toBe(30);
			expect(JSON.parse(row.poll_templates!)).toEqual(plan.pollTemplates);
			const first = await exported(fresh, 'zkl-onder-druk');
			const written = parse(first);
			expect(written.programme.pollRetentionDays).toBe(30);
			expect(written.pollTemplates).toEqual(plan.pollTemplates);
			// questions as blocks, options each on one line, like a dimension's values
			expect(first).toContain('\n      - key: druk\n        kind: scale\n');
			expect(first).toContain('          - { key: vrienden, name: Afspreken met vrienden }\n');
			const { plan: again, library: lib } = readPlanFile(writePlan(dir, 'zkl-onder-druk', first));
			const other = await migratedDb(dialect);
			try {
				await loadPlan(other.db, again, lib);
				expect(await exported(other, 'zkl-onder-druk')).toBe(first);
			} finally {
				await other.drop();
			}
		} finally {
			await fresh.drop();
		}
	});

	it('should leave the default retention and absent poll templates out of the file, and a reload without them removes them', async () => {
		const fresh = await migratedDb(dialect);
		try {
			const { plan, library } = readPlanFile(VLEUTEN);
			expect(plan.programme.pollRetentionDays).toBeUndefined();
			expect(plan.pollTemplates).toHaveLength(1);
			await loadPlan(fresh.db, plan, library);
			const text = await exported(fresh, 'vleuten-versterkt');
			expect(parse(text).programme).not.toHaveProperty('pollRetentionDays');
			expect(parse(text).pollTemplates).toEqual(plan.pollTemplates);
			delete plan.pollTemplates;
			await loadPlan(fresh.db, plan, library);
			const row = await fresh.db
				.selectFrom('programmes')
				.select(['poll_templates', 'poll_retention_days'])
				.where('slug', '=', 'vleuten-versterkt')
				.executeTakeFirstOrThrow();
			expect(row).toEqual({ poll_templates: null, poll_retention_days: 90 });
			expect(await exported(fresh, 'vleuten-versterkt')).not.toContain('pollTemplates');
			const audit = await fresh.db
				.selectFrom('audit_log')
				.select(['before', 'after'])
				.where('entity', '=', 'plan')
				.orderBy('id', 'desc')
				.executeTakeFirstOrThrow();
			expect(JSON.parse(audit.after!).changes).toEqual({ 'peilingsjabloon na-de-les-tegenslag': { verwijderd: true } });
		} finally {
			await fresh.drop();
		}
	});

	it('should leave the default minimum group size and absent dimensions out of the file', async () => {
		const fresh = await migratedDb(dialect);
		try {
			// the seed without its breakdowns: no dimensions, no indicator split, the default group size
			const { plan, library } = readPlanFile(ZKL);
			expect(plan.dimensions?.length).toBeGreaterThan(0);
			delete plan.dimensions;
			delete plan.programme.minGroupSize;
			// its poll template asks for a dimension
			delete plan.pollTemplates;
			for (const { indicator } of planIndicators(plan)) {
				delete indicator.dimensions;
				delete indicator.categoryTargets;
			}
			// a derived reach split by target group counts one target group when unsplit
			const reach = [...planIndicators(plan)].find(({ indicator }) => indicator.code === 'ZKL-T2-S2-BEREIK')!;
			reach.indicator.derived = { ...reach.indicator.derived!, targetGroup: 'jongeren' };
			expect(validatePlan(JSON.parse(JSON.stringify(plan)), library).ok).toBe(true);
			await loadPlan(fresh.db, plan, library);
			const text = await exported(fresh, 'zkl-onder-druk');
			expect(parse(text).programme).not.toHaveProperty('minGroupSize');
			expect(parse(text)).not.toHaveProperty('dimensions');
			expect(text).not.toMatch(/dimensions|categoryTargets/);
		} finally {
			await fresh.drop();
		}
	});

	it("should keep the library baseline's area for a plan baseline quoted from the library without one", async () => {
		const fresh = await migratedDb(dialect);
		try {
			const { plan, library } = readPlanFile(VLEUTEN);
			const quoted = plan.ambitions[0].indicators.find((i) => i.code === 'VV-AMB-1-STRESS-OORDEEL')!;
			delete quoted.baseline!.region;
			await loadPlan(fresh.db, plan, library);
			const row = await fresh.db
				.selectFrom('indicators')
				.select('baseline_region')
				.where('code', '=', 'VV-AMB-1-STRESS-OORDEEL')
				.executeTakeFirstOrThrow();
			expect(row.baseline_region).toBe('vleuten-de-meern');
		} finally {
			await fresh.drop();
		}
	});

	it('should serve the export over the API as a download, to anyone who may read the programme', async () => {
		const api = createApi(db);
		const funder = await signIn(
			(p, init) => Promise.resolve(api.request(p, init)),
			await createAccount(db.db, { role: 'funder', programme: 'zkl-onder-druk' })
		);
		const programme = apiClient(api, () => ({ cookie: funder })).api.v1.programmes[':slug'];
		const res = await programme['plan.yaml'].$get({ param: { slug: 'zkl-onder-druk' } });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/yaml/);
		expect(res.headers.get('content-disposition')).toContain('zkl-onder-druk.yaml');
		expect(await res.text()).toBe(await exported(db, 'zkl-onder-druk'));
		const other = await programme['plan.yaml'].$get({ param: { slug: 'vleuten-versterkt' } });
		expect(other.status).toBe(404);
	});
});

describe('plan YAML export through `npm run plan:load`', () => {
	it('should give the same file after the command-line loader read it into an empty database', async () => {
		const source = await migratedDb('sqlite');
		const dir = join(TMP, `plan-export-cli-${process.pid}`);
		const target = join(TMP, `plan-export-cli-${process.pid}.db`);
		try {
			await loadBothPlans(source);
			for (const { slug } of PLANS) {
				const text = await exported(source, slug);
				const file = writePlan(dir, slug, text);
				const run = spawnSync('npm', ['run', '--silent', 'plan:load', '--', file], {
					env: { ...process.env, DATABASE_URL: target },
					encoding: 'utf8'
				});
				expect(run.status, run.stderr).toBe(0);
				const loaded = createDb(target);
				try {
					expect(await exported({ ...loaded, url: target, drop: async () => {} }, slug)).toBe(text);
				} finally {
					await loaded.close();
				}
			}
		} finally {
			await source.drop();
		}
	});
});
