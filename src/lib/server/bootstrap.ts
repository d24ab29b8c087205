import { createDb, type CreateDbOptions, type Db } from './db/create-db.ts';
import { migrateToLatest } from './db/migrate.ts';
import { plural } from '../domain/dutch-format.ts';
import type { Env } from './env.ts';
import { planFilesIn, readPlanFile } from './plan-files.ts';
import { listProgrammes } from './repositories/kompas.repository.ts';
import { ensureCurrentSchoolYear } from './services/phase.service.ts';
import { loadPlan } from './services/plan-loader.service.ts';
import { warningLine } from '../domain/plan-validation.ts';
import { seedDemo } from './services/demo.service.ts';
import { createDemoUsers, ensureInitialAdmin } from './services/user.service.ts';
import { todayIso } from '../domain/dutch-format.ts';
import { removeStaleSpools } from './files/xlsx-first-sheet.ts';

/** Loads every plan file of a folder; each file in its own transaction. */
export async function loadPlansFrom(db: Db, dir: string, log: (line: string) => void = () => {}) {
	for (const file of planFilesIn(dir)) {
		const { plan, library } = readPlanFile(file);
		const s = await loadPlan(db.db, plan, library);
		log(
			`plan ${s.programme} geladen uit ${file}: ${plural(s.nodes, 'knooppunt', 'knooppunten')}, ${plural(s.indicators, 'indicator', 'indicatoren')}, ${plural(s.regions, 'regio', "regio's")}`
		);
		for (const w of s.warnings) log(warningLine(w));
	}
}

async function isEmpty(db: Db): Promise<boolean> {
	const row = await db.db.selectFrom('programmes').select('id').limit(1).executeTakeFirst();
	return row === undefined;
}

/**
 * Remove stale import spools, open the database, migrate, on first start with an empty database load the plans and demo data, and give
 * every programme today's school year (the progress service makes sure of it too, for programmes added later).
 */
export async function bootstrap(
	env: Env,
	options: CreateDbOptions & { log?: (line: string) => void } = {}
): Promise<Db> {
	const log = options.log ?? ((line: string) => console.log(line));
	// uploads spooled by imports that a killed server never finished
	const stale = await removeStaleSpools();
	if (stale) log(`${plural(stale, 'achtergebleven importbestand', 'achtergebleven importbestanden')} opgeruimd`);
	const db = createDb(env.DATABASE_URL, options);
	await migrateToLatest(db);
	const seed = env.SEED_ON_EMPTY && (await isEmpty(db));
	if (seed) {
		await loadPlansFrom(db, env.PLANS_DIR, log);
		const n = await seedDemo(db.db);
		log(
			`${plural(n.measurements, 'demo-meting', 'demo-metingen')} en ${plural(n.actions, 'demo-actie', 'demo-acties')} (synthetisch, gemarkeerd als demo) toegevoegd`
		);
	}
	await ensureInitialAdmin(db.db, log);
	if (seed) await createDemoUsers(db.db, log);
	const today = todayIso();
	for (const programme of await listProgrammes(db.db)) await ensureCurrentSchoolYear(db.db, programme, today);
	return db;
}
