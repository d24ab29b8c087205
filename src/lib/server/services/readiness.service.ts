import { sql } from 'kysely';
import type { Db } from '../db/create-db.ts';
import { pendingMigrations } from '../db/migrate.ts';
import { plural } from '../../domain/dutch-format.ts';
import { logError } from '../log.ts';
import { ok, refuse, type Refused, type Result } from '../../domain/result.ts';

/** A probe must answer even when the database hangs (an unreachable host, a full pool). */
const READY_TIMEOUT_MS = 5_000;

const notReady = (message: string): Refused => refuse({ code: 'not_ready', status: 503, message });

/** Ready: the database answers, and every migration of this version has run; else 503 `not_ready` saying why. */
export async function readiness(db: Db): Promise<Result<'ready'>> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), READY_TIMEOUT_MS)));
	try {
		const pending = await Promise.race([sql`select 1`.execute(db.db).then(() => pendingMigrations(db)), timeout]);
		if (pending === 'timeout')
			return notReady(`De database antwoordt niet binnen ${READY_TIMEOUT_MS / 1000} seconden.`);
		if (pending.length)
			return notReady(
				`De database is niet bijgewerkt: ${plural(pending.length, 'migratie ontbreekt', 'migraties ontbreken')} (${pending.slice(0, 5).join(', ')}).`
			);
		return ok('ready');
	} catch (e) {
		logError(e, 'readiness: database check failed');
		return notReady('De database antwoordt niet.');
	} finally {
		clearTimeout(timer);
	}
}
