import { join } from 'node:path';
import type { Db } from '../../src/lib/server/db/create-db.ts';
import { readPlanFile } from '../../src/lib/server/plan-files.ts';
import { loadPlan } from '../../src/lib/server/services/plan-loader.service.ts';
import { seedDemo } from '../../src/lib/server/services/demo.service.ts';

export const PLANS_DIR = join(process.cwd(), 'indicators');
export const VLEUTEN = join(PLANS_DIR, 'vleuten-versterkt.yaml');
export const ZKL = join(PLANS_DIR, 'zkl-onder-druk.yaml');

/**
 * Both seed plans; with `demo` their demo data up to today, or up to `demoAsOf` (the demo data of an
 * install made that day: it ends with the phase containing it).
 */
export async function loadBothPlans(db: Db, { demo = false, demoAsOf }: { demo?: boolean; demoAsOf?: string } = {}) {
	for (const file of [VLEUTEN, ZKL]) {
		const { plan, library } = readPlanFile(file);
		await loadPlan(db.db, plan, library);
	}
	if (demo) await seedDemo(db.db, demoAsOf ? { today: demoAsOf } : {});
}

/** Row counts of every table: "nothing changed" means these are equal before and after. */
export async function tableCounts(db: Db): Promise<Record<string, number>> {
	const tables = [
		'programmes',
		'regions',
		'organisations',
		'ambitions',
		'outcomes',
		'themes',
		'next_steps',
		'solutions',
		'indicators',
		'measurements',
		'school_years',
		'phases',
		'actions',
		'audit_log'
	] as const;
	const out: Record<string, number> = {};
	for (const t of tables) {
		const row = await db.db
			.selectFrom(t)
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		out[t] = Number(row.n);
	}
	return out;
}
