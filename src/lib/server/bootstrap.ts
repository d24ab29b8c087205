import { setTimeout as sleep } from 'node:timers/promises';
import { createDb, type CreateDbOptions, type Db } from './db/create-db.ts';
import { withKeyLocks } from './db/locks.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { Conn } from './db/types.ts';
import { dbWaitSeconds, waitForDatabase } from './db/wait.ts';
import { plural, todayIso } from '../domain/dutch-format.ts';
import type { Env } from './env.ts';
import { planFilesIn, readPlanFile } from './plan-files.ts';
import { listProgrammes } from './repositories/kompas.repository.ts';
import { countUsers } from './repositories/user.repository.ts';
import { ensureCurrentSchoolYear } from './services/phase.service.ts';
import { loadPlan, type LoadSummary } from './services/plan-loader.service.ts';
import { warningLine } from '../domain/plan-validation.ts';
import { seedDemo } from './services/demo.service.ts';
import { createDemoUsers, DEMO_ROLES, ensureInitialAdmin, preparePasswords } from './services/user.service.ts';
import { removeStaleSpools } from './files/xlsx-first-sheet.ts';
import { thrownCode } from './thrown.ts';

const loadedLines = (file: string, s: LoadSummary) => [
	`plan ${s.programme} geladen uit ${file}: ${plural(s.nodes, 'knooppunt', 'knooppunten')}, ${plural(s.indicators, 'indicator', 'indicatoren')}, ${plural(s.regions, 'regio', "regio's")}`,
	...s.warnings.map(warningLine)
];

/** Loads every plan file of a folder; each file in its own transaction. */
export async function loadPlansFrom(db: Db, dir: string, log: (line: string) => void = () => {}) {
	for (const file of planFilesIn(dir)) {
		const { plan, library } = readPlanFile(file);
		for (const line of loadedLines(file, await loadPlan(db.db, plan, library))) log(line);
	}
}

async function isEmpty(db: Conn): Promise<boolean> {
	const row = await db.selectFrom('programmes').select('id').limit(1).executeTakeFirst();
	return row === undefined;
}

/**
 * Remove stale import spools, wait for the database, migrate, and run the first start: on an empty database
 * load the plans and demo data, create the initial admin and the demo accounts, and give every programme
 * today's school year (the progress service makes sure of it too, for programmes added later).
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
	try {
		const seconds = dbWaitSeconds(env, 'server');
		await waitForDatabase(db, env.DATABASE_URL, { seconds, log });
		await whileSqliteBusy(() => migrateToLatest(db), seconds);
		for (const line of await whileSqliteBusy(() => firstStart(db, env), seconds)) log(line);
	} catch (e) {
		await db.close();
		throw e;
	}
	return db;
}

/**
 * Everything a start seeds, exactly once however many servers start together: one transaction under the
 * `first-start` lock (PostgreSQL advisory lock, SQLite BEGIN IMMEDIATE), so the second server waits and then
 * finds the work done, and a crash half-way leaves nothing. Plans are read and passwords hashed before the
 * lock (argon2 is slow, and SQLite's lock holds the whole file). Returns the lines to print — after the
 * commit, so a password is shown only for an account this process created.
 */
async function firstStart(db: Db, env: Env): Promise<string[]> {
	const mayBeEmpty = env.SEED_ON_EMPTY && (await isEmpty(db.db));
	const plans = mayBeEmpty ? planFilesIn(env.PLANS_DIR).map((file) => ({ file, ...readPlanFile(file) })) : [];
	const accounts = (await countUsers(db.db)) === 0 ? 1 + plans.length * DEMO_ROLES.length : 0;
	const prepared = await preparePasswords(accounts);
	const today = todayIso();
	return withKeyLocks(db.db, ['first-start'], async (tx) => {
		const lines: string[] = [];
		const seed = mayBeEmpty && (await isEmpty(tx));
		if (seed) {
			for (const { file, plan, library } of plans) lines.push(...loadedLines(file, await loadPlan(tx, plan, library)));
			const n = await seedDemo(tx, { today });
			lines.push(
				`${plural(n.measurements, 'demo-meting', 'demo-metingen')} en ${plural(n.actions, 'demo-actie', 'demo-acties')} (synthetisch, gemarkeerd als demo) toegevoegd`
			);
		}
		lines.push(...(await ensureInitialAdmin(tx, prepared)));
		if (seed) lines.push(...(await createDemoUsers(tx, prepared)));
		for (const programme of await listProgrammes(tx)) await ensureCurrentSchoolYear(tx, programme, today);
		return lines;
	});
}

/**
 * SQLite answers SQLITE_BUSY when another process held the write lock longer than busy_timeout (a first
 * start seeding the demo data): the lock was never taken, so trying again is safe.
 */
async function whileSqliteBusy<T>(work: () => Promise<T>, seconds: number): Promise<T> {
	const deadline = Date.now() + seconds * 1000;
	for (;;) {
		try {
			return await work();
		} catch (e) {
			const code = thrownCode(e) ?? thrownCode((e as { cause?: unknown })?.cause);
			if (code !== 'SQLITE_BUSY' || Date.now() > deadline) throw e;
			await sleep(100);
		}
	}
}
