import { createDb, type Db } from '../db/create-db.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { env } from '../env.ts';
import { dbWaitSeconds, waitForDatabase } from '../db/wait.ts';
import { PlanFileError } from '../plan-files.ts';

/** Runs an operator command against the configured (and migrated) database; failures exit non-zero. */
export async function runCli(task: (db: Db) => Promise<void>): Promise<void> {
	let db: Db | undefined;
	try {
		db = createDb(env().DATABASE_URL);
		await waitForDatabase(db, env().DATABASE_URL, { seconds: dbWaitSeconds(env(), 'command'), log: console.error });
		await migrateToLatest(db);
		await task(db);
	} catch (e) {
		if (e instanceof PlanFileError) {
			console.error(`Geweigerd: ${e.file}`);
			for (const issue of e.issues) console.error(`  ${issue.path}: ${issue.message}`);
			console.error('Er is niets gewijzigd.');
		} else console.error(e instanceof Error ? e.message : e);
		process.exitCode = 1;
	} finally {
		await db?.close();
	}
}
