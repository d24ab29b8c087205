import { sql } from 'kysely';
import type { Db } from '../db/create-db.ts';
import { pendingMigrations } from '../db/migrate.ts';
import { plural } from '../../domain/dutch-format.ts';
import { logError } from '../log.ts';

/** A probe must answer even when the database hangs (an unreachable host, a full pool). */
const READY_TIMEOUT_MS = 5_000;

export type Readiness = { ready: true } | { ready: false; message: string };

/** Ready: the database answers, and every migration of this version has run. */
export async function readiness(db: Db): Promise<Readiness> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), READY_TIMEOUT_MS)));
	try {
		const pending = await Promise.race([sql`select 1`.execute(db.db).then(() => pendingMigrations(db)), timeout]);
		if (pending === 'timeout')
			return { ready: false, message: `De database antwoordt niet binnen ${READY_TIMEOUT_MS / 1000} seconden.` };
		if (pending.length)
			return {
				ready: false,
				message: `De database is niet bijgewerkt: ${plural(pending.length, 'migratie ontbreekt', 'migraties ontbreken')} (${pending.slice(0, 5).join(', ')}).`
			};
		return { ready: true };
	} catch (e) {
		logError(e, 'readiness: database check failed');
		return { ready: false, message: 'De database antwoordt niet.' };
	} finally {
		clearTimeout(timer);
	}
}
