import { createDb } from '../../src/lib/server/db/create-db.ts';
import { migrateToLatest } from '../../src/lib/server/db/migrate.ts';

/**
 * `tsx tests/helpers/migrate-at.ts DATABASE_URL`: prints "ready", waits for a line on stdin, then migrates
 * and prints "ok" or the error, so a test can make several processes migrate at the same moment.
 */
const db = createDb(process.argv[2]);
console.log('ready');
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.pause();
try {
	await migrateToLatest(db);
	console.log('ok');
} catch (e) {
	console.log(`error: ${e instanceof Error ? e.message : String(e)}`);
} finally {
	await db.close();
}
