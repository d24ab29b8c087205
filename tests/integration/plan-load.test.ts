import { afterEach, describe, expect, it } from 'vitest';
import { readPlanFile, PlanFileError } from '../../src/lib/server/plan-files.ts';
import { loadPlan } from '../../src/lib/server/services/plan-loader.service.ts';
import { getKompas, findProgramme } from '../../src/lib/server/services/kompas.service.ts';
import { seedDemo } from '../../src/lib/server/services/demo.service.ts';
import { migrateToLatest } from '../../src/lib/server/db/migrate.ts';
import { DIALECTS, emptyDb, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans, tableCounts, VLEUTEN } from '../helpers/plans.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TMP } from '../helpers/databases.ts';
import { expectEvery } from '../helpers/expect-every.ts';

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
