import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backupDatabase } from '../../src/lib/server/db/backup.ts';
import { createDb } from '../../src/lib/server/db/create-db.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { TMP } from '../helpers/environment.ts';
import { loadBothPlans, tableCounts } from '../helpers/plans.ts';

describe(backupDatabase.name, () => {
	let db: TestDb;
	const out = join(TMP, `backup-${process.pid}.db`);
	afterAll(async () => {
		await db?.drop();
		rmSync(out, { force: true });
	});

	it('should copy a live SQLite database completely', async () => {
		db = await migratedDb('sqlite');
		await loadBothPlans(db, { demo: true });
		await backupDatabase(db.url, out);
		expect(existsSync(out)).toBe(true);
		const copy = createDb(out);
		try {
			expect(await tableCounts(copy)).toEqual(await tableCounts(db));
		} finally {
			await copy.close();
		}
	});

	it.runIf(DIALECTS.includes('postgres'))('should dump a PostgreSQL database with pg_dump', async () => {
		const pg = await migratedDb('postgres');
		const dump = join(TMP, `backup-${process.pid}.dump`);
		try {
			await loadBothPlans(pg);
			await backupDatabase(pg.url, dump);
			expect(statSync(dump).size).toBeGreaterThan(10_000);
		} finally {
			await pg.drop();
			rmSync(dump, { force: true });
		}
	});
});
