import { afterEach, describe, expect, it } from 'vitest';
import { readPlanFile, PlanFileError } from '../../src/lib/server/plan-files.ts';
import { loadPlan } from '../../src/lib/server/services/plan-loader.service.ts';
import { getKompas, findProgramme } from '../../src/lib/server/services/kompas.service.ts';
import { seedDemo } from '../../src/lib/server/services/demo.service.ts';
import { migrateToLatest } from '../../src/lib/server/db/migrate.ts';
import { DIALECTS, emptyDb, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans, PLANS_DIR, tableCounts, VLEUTEN, ZKL } from '../helpers/plans.ts';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlansFrom } from '../../src/lib/server/bootstrap.ts';
import { uploadPlan } from '../../src/lib/server/services/programme-admin.service.ts';
import { createAccount } from '../helpers/accounts.ts';
import { TMP } from '../helpers/databases.ts';
import { expectEvery } from '../helpers/expect-every.ts';

/** ZKL's plan with two targets on the wrong side of their baselines, in a folder beside a copy of the library. */
function planWithWrongTargets(name: string): { dir: string; file: string; text: string } {
	const dir = join(TMP, `${name}-${process.pid}`);
	mkdirSync(dir, { recursive: true });
	copyFileSync(join(PLANS_DIR, 'library.yaml'), join(dir, 'library.yaml'));
	// ZKL-MR-1-DRUK (lower is better, 34,5 → 30) and ZKL-T2-VERANTWOORDEN (lower is better, 45 → 35)
	const text = readFileSync(ZKL, 'utf8')
		.replace(
			'target: { value: 30, date: 2027-12-31, demo: true }',
			'target: { value: 40, date: 2027-12-31, demo: true }'
		)
		.replace(/(code: ZKL-T2-VERANTWOORDEN[\s\S]*?target: \{ value: )35/, '$150');
	const file = join(dir, 'zkl-onder-druk.yaml');
	writeFileSync(file, text);
	return { dir, file, text };
}
const WRONG_TARGETS = [
	'let op: ZKL-MR-1-DRUK: De streefwaarde (40) ligt boven de nulmeting (34,5), terwijl lager beter is: zo is geen voortgang te berekenen.',
	'let op: ZKL-T2-VERANTWOORDEN: De streefwaarde (50) ligt boven de nulmeting (45), terwijl lager beter is: zo is geen voortgang te berekenen.'
];

describe('npm run plan:load', () => {
	it('should load a plan with targets on the wrong side of their baselines and print one line per indicator', () => {
		const { file } = planWithWrongTargets('plan-load-cli');
		const run = spawnSync('npm', ['run', '--silent', 'plan:load', '--', file], {
			env: { ...process.env, DATABASE_URL: join(TMP, `plan-load-cli-${process.pid}.db`) },
			encoding: 'utf8'
		});
		expect(run.status, run.stderr).toBe(0);
		const lines = run.stdout.trim().split('\n');
		expect(lines[0]).toMatch(/zkl-onder-druk geladen, \d+ knooppunten/);
		expect(lines.slice(1)).toEqual(WRONG_TARGETS);
	});
});

describe.each(DIALECTS)('plan loading on %s', (dialect) => {
	let db: TestDb;
	afterEach(async () => db?.drop());

	it('should migrate an empty database and load both plans', async () => {
		db = await emptyDb(dialect);
		await migrateToLatest(db);
		await migrateToLatest(db); // a second run is a no-op
		await loadBothPlans(db);
		const vv = await getKompas({ db: db.db, programme: (await findProgramme(db.db, 'vleuten-versterkt'))! });
		expect(vv.themes.map((t) => t.title)).toEqual([
			'Lanterfantertijd',
			'Zelfbeeld en eigen behoeftes',
			'Lat omlaag',
			'Scoren zonder toetsen',
			'Perceptie mentale zorg'
		]);
		expect(vv.themes.map((t) => t.nextSteps.length)).toEqual([1, 1, 1, 1, 1]);
		expect(vv.themes.map((t) => t.nextSteps[0].solutions.length)).toEqual([1, 2, 2, 2, 4]);
		const zkl = await getKompas({ db: db.db, programme: (await findProgramme(db.db, 'zkl-onder-druk'))! });
		expect(zkl.themes).toHaveLength(3);
		for (const t of zkl.themes) expect(t.nextSteps.flatMap((s) => s.solutions)).toHaveLength(3);
		for (const k of [vv, zkl]) {
			const nodes = [
				...k.ambitions,
				...k.outcomes,
				...k.themes.flatMap((t) => [t, ...t.nextSteps.flatMap((s) => [s, ...s.solutions])])
			];
			for (const n of nodes) expect(n.indicators.length, n.code).toBeGreaterThan(0);
		}
	});

	it('should update by code when loaded again, never duplicate and never delete measurements', async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db, { demo: true });
		const before = await tableCounts(db);
		expect(before.measurements).toBeGreaterThan(0);
		expect(before.actions).toBeGreaterThan(0);
		const flags = await db.db.selectFrom('actions').select(['demo', 'description']).distinct().execute();
		expectEvery(flags, (a) => a.demo === 1 && a.description.startsWith('Demo-actie'));
		// a lead renamed a phase in the app: reloading the plan leaves the school year alone
		await db.db.updateTable('phases').set({ name: 'Herfst' }).where('name', '=', 'Oktober').execute();
		const { plan, library } = readPlanFile(VLEUTEN);
		plan.themes[0].title = 'Lanterfantertijd (bijgewerkt)';
		const indicator = plan.themes[0].indicators[0];
		indicator.name = `${indicator.name} (herzien)`;
		await loadPlan(db.db, plan, library);
		// the reload is audited item by item: before and after of exactly the changed fields
		const entry = await db.db
			.selectFrom('audit_log')
			.selectAll()
			.where('entity', '=', 'plan')
			.orderBy('id', 'desc')
			.executeTakeFirstOrThrow();
		expect(JSON.parse(entry.before!)).toEqual({
			'theme VV-T1': { title: 'Lanterfantertijd' },
			[`indicator ${indicator.code}`]: { name: indicator.name.replace(' (herzien)', '') }
		});
		expect(JSON.parse(entry.after!).changes).toEqual({
			'theme VV-T1': { title: 'Lanterfantertijd (bijgewerkt)' },
			[`indicator ${indicator.code}`]: { name: indicator.name }
		});
		await loadBothPlans(db);
		const unchanged = await db.db
			.selectFrom('audit_log')
			.selectAll()
			.where('entity', '=', 'plan')
			.orderBy('id', 'desc')
			.executeTakeFirstOrThrow();
		expect(JSON.parse(unchanged.after!)).toMatchObject({ programme: 'zkl-onder-druk', changes: {} });
		const again = await seedDemo(db.db);
		expect(again.measurements).toBeGreaterThan(0); // offered again, but stored once
		expect(again.actions).toBe(0); // a programme with actions gets no demo actions
		const after = await tableCounts(db);
		expect({ ...after, audit_log: 0 }).toEqual({ ...before, audit_log: 0 });
		expect(after.audit_log).toBe(before.audit_log + 3); // one audit entry per load
		expect(await db.db.selectFrom('phases').select('id').where('name', '=', 'Oktober').execute()).toHaveLength(0); // not re-created
	});

	it('should refuse a broken plan file, naming file and field, and change nothing', async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db);
		const before = await tableCounts(db);
		const broken = join(TMP, `broken-${dialect}.yaml`);
		const { readFileSync } = await import('node:fs');
		writeFileSync(broken, readFileSync(VLEUTEN, 'utf8').replace(/unit: percent/, 'unit: procentje'));
		let error: unknown;
		try {
			readPlanFile(broken, join(process.cwd(), 'indicators/library.yaml'));
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(PlanFileError);
		expect((error as PlanFileError).file).toBe(broken);
		expect((error as PlanFileError).issues[0].path).toMatch(/\.unit$/);
		expect(await tableCounts(db)).toEqual(before);
	});

	it('should store validity, baseline area, comparability and key, and say which targets lie wrong', async () => {
		db = await migratedDb(dialect);
		const { dir } = planWithWrongTargets(`plan-load-${dialect}`);
		const log: string[] = [];
		await loadPlansFrom(db, dir, (line) => log.push(line));
		expect(log.slice(1)).toEqual(WRONG_TARGETS);
		const rows = await db.db
			.selectFrom('indicators')
			.select(['code', 'baseline_region', 'key_indicator', 'comparable', 'valid_months', 'target_value'])
			.where('code', 'in', ['ZKL-MR-1-DRUK', 'ZKL-T2-VERANTWOORDEN'])
			.orderBy('code')
			.execute();
		// a planning error is a warning, not a refusal: the plan is stored as written
		expect(rows).toEqual([
			{
				code: 'ZKL-MR-1-DRUK',
				baseline_region: 'nederland',
				key_indicator: 1,
				comparable: 0,
				valid_months: null,
				target_value: 40
			},
			{
				code: 'ZKL-T2-VERANTWOORDEN',
				baseline_region: null,
				key_indicator: 0,
				comparable: 0,
				valid_months: null,
				target_value: 50
			}
		]);
	});

	it('should give the upload on /admin/plannen the same warnings, and refuse an unknown baseline area', async () => {
		db = await migratedDb(dialect);
		const admin = await createAccount(db.db, 'admin');
		const actor = {
			userId: admin.id,
			name: 'admin',
			email: admin.email,
			isAdmin: true,
			roles: {},
			via: 'session' as const
		};
		const { text } = planWithWrongTargets(`plan-upload-${dialect}`);
		const loaded = await uploadPlan({ db: db.db, actor }, 'zkl.yaml', text);
		expect(loaded.ok && loaded.value.warnings.map((w) => w.code)).toEqual(['ZKL-MR-1-DRUK', 'ZKL-T2-VERANTWOORDEN']);
		const before = await tableCounts(db);
		const broken = await uploadPlan(
			{ db: db.db, actor },
			'zkl.yaml',
			text.replace('region: nederland', 'region: amsterdam')
		);
		expect(broken.ok === false && broken.refusal.issues).toEqual([
			{
				path: 'ambitions[0].indicators[0].baseline.region',
				message: 'onbekend gebied amsterdam: kies een regio van het programma of nederland'
			}
		]);
		expect(await tableCounts(db)).toEqual(before);
	});

	it('should store poll templates and their retention, refuse a template asking for what the plan lacks, and audit template changes', async () => {
		db = await migratedDb(dialect);
		const admin = await createAccount(db.db, 'admin');
		const actor = {
			userId: admin.id,
			name: 'admin',
			email: admin.email,
			isAdmin: true,
			roles: {},
			via: 'session' as const
		};
		const text = readFileSync(ZKL, 'utf8');
		const stored = () =>
			db.db
				.selectFrom('programmes')
				.select(['poll_templates', 'poll_retention_days', 'version'])
				.where('slug', '=', 'zkl-onder-druk')
				.executeTakeFirstOrThrow();
		expect((await uploadPlan({ db: db.db, actor }, 'zkl.yaml', text)).ok).toBe(true);
		const first = await stored();
		expect(first.poll_retention_days).toBe(90);
		expect(JSON.parse(first.poll_templates!)).toEqual(readPlanFile(ZKL).plan.pollTemplates);
		expect(JSON.parse(first.poll_templates!)[0]).toMatchObject({
			key: 'overstap',
			questions: [{ key: 'leeftijd' }, {}, {}]
		});

		const before = await tableCounts(db);
		const broken = await uploadPlan(
			{ db: db.db, actor },
			'zkl.yaml',
			text.replace('indicator: ZKL-T1-S3-NUT', 'indicator: ZKL-T1-S3-BEREIK')
		);
		expect(broken.ok === false && broken.refusal.issues).toEqual([
			{
				path: 'pollTemplates[0].questions[1].indicator',
				message: 'ZKL-T1-S3-BEREIK wordt uit het actielogboek berekend, niet gepeild'
			}
		]);
		expect(await tableCounts(db)).toEqual(before);
		expect(await stored()).toEqual(first);

		const changed = text
			.replace('Ik voel vaak druk om goede cijfers te halen.', 'Ik voel vaak druk om hoge cijfers te halen.')
			.replace('  source: Rapport ZKL Onder Druk', '  pollRetentionDays: 30\n  source: Rapport ZKL Onder Druk');
		expect((await uploadPlan({ db: db.db, actor }, 'zkl.yaml', changed)).ok).toBe(true);
		expect(await stored()).toMatchObject({ poll_retention_days: 30, version: first.version + 1 });
		const entry = await db.db
			.selectFrom('audit_log')
			.selectAll()
			.where('entity', '=', 'plan')
			.orderBy('id', 'desc')
			.executeTakeFirstOrThrow();
		expect(JSON.parse(entry.after!).changes).toEqual({
			programme: { pollRetentionDays: 30 },
			'peilingsjabloon overstap': {
				'vraag druk': 'schaal 1–5: Ik voel vaak druk om hoge cijfers te halen. → ZKL-MR-1-PILOT'
			}
		});
		expect(JSON.parse(entry.before!)).toEqual({
			programme: { pollRetentionDays: null },
			'peilingsjabloon overstap': {
				'vraag druk': 'schaal 1–5: Ik voel vaak druk om goede cijfers te halen. → ZKL-MR-1-PILOT'
			}
		});
	});

	it('should store period targets by date, and refuse wrong ones with Dutch messages, changing nothing', async () => {
		db = await migratedDb(dialect);
		const admin = await createAccount(db.db, 'admin');
		const actor = {
			userId: admin.id,
			name: 'admin',
			email: admin.email,
			isAdmin: true,
			roles: {},
			via: 'session' as const
		};
		const original = readFileSync(ZKL, 'utf8');
		const TARGET = 'target: { value: 30, date: 2027-12-31, demo: true }';
		expect(original).toContain(TARGET);
		const withTargets = (lines: string[]) =>
			original.replace(TARGET, `${TARGET}\n        targets:\n${lines.map((l) => `          - ${l}`).join('\n')}`);
		const good = await uploadPlan(
			{ db: db.db, actor },
			'zkl.yaml',
			withTargets(['{ date: 2026-07-31, value: 31, demo: true }', '{ date: 2025-07-31, value: 33 }'])
		);
		expect(good.ok).toBe(true);
		const row = await db.db
			.selectFrom('indicators')
			.select('targets')
			.where('code', '=', 'ZKL-MR-1-DRUK')
			.executeTakeFirstOrThrow();
		expect(JSON.parse(row.targets!)).toEqual([
			{ date: '2025-07-31', value: 33 },
			{ date: '2026-07-31', value: 31, demo: true }
		]);
		const before = await tableCounts(db);
		const at = 'outcomes[0].indicators[0].targets';
		const cases: [string[], { path: string; message: string }[]][] = [
			[['{ date: 31-7-2025, value: 33 }'], [{ path: `${at}[0].date`, message: 'verwacht een datum als JJJJ-MM-DD' }]],
			[
				['{ date: 2023-12-31, value: 33 }', '{ date: 2028-01-01, value: 29 }'],
				[
					{
						path: `${at}[0].date`,
						message: 'de datum 2023-12-31 ligt niet tussen de nulmeting (2023-12-31) en de streefwaarde (2027-12-31)'
					},
					{
						path: `${at}[1].date`,
						message: 'de datum 2028-01-01 ligt niet tussen de nulmeting (2023-12-31) en de streefwaarde (2027-12-31)'
					}
				]
			],
			[
				['{ date: 2025-07-31, value: 33 }', '{ date: 2025-07-31, value: 32 }'],
				[{ path: `${at}[1].date`, message: 'de datum 2025-07-31 komt dubbel voor' }]
			],
			[
				Array.from({ length: 21 }, (_, i) => `{ date: 2025-01-${String(i + 1).padStart(2, '0')}, value: 33 }`),
				[{ path: at, message: 'hoogstens 20 tussendoelen' }]
			]
		];
		for (const [lines, issues] of cases) {
			const refused = await uploadPlan({ db: db.db, actor }, 'zkl.yaml', withTargets(lines));
			expect(refused.ok === false && refused.refusal.issues).toEqual(issues);
		}
		// without a target there is no path to lie on
		const noTarget = withTargets(['{ date: 2025-07-31, value: 33 }']).replace(`${TARGET}\n        `, '');
		const refused = await uploadPlan({ db: db.db, actor }, 'zkl.yaml', noTarget);
		expect(refused.ok === false && refused.refusal.issues).toEqual([
			{ path: at, message: 'tussendoelen vragen een nulmeting en een streefwaarde, elk met datum' }
		]);
		expect(await tableCounts(db)).toEqual(before);
	});

	it('should roll back a load that fails half-way', async () => {
		db = await migratedDb(dialect);
		const before = await tableCounts(db);
		const { plan, library } = readPlanFile(VLEUTEN);
		// bypass validation: the last indicator breaks a NOT NULL column after many rows were written
		const last = plan.themes.at(-1)!.nextSteps[0].solutions.at(-1)!.indicators.at(-1)!;
		Object.assign(last, { library: undefined, definition: null });
		await expect(loadPlan(db.db, plan, library)).rejects.toThrow();
		expect(await tableCounts(db)).toEqual(before);
	});
});
