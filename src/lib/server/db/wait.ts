import { sql } from 'kysely';
import { setTimeout as sleep } from 'node:timers/promises';
import { dialectOf, type Db } from './create-db.ts';
import { thrownCode } from '../thrown.ts';
import type { Env } from '../env.ts';

/** Where a database URL points, without user or password: `host:port/database`, or the SQLite file. */
export function databaseLabel(url: string): string {
	if (dialectOf(url) === 'sqlite') return url;
	try {
		const u = new URL(url);
		return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
	} catch {
		return 'PostgreSQL (DATABASE_URL is geen geldig adres)';
	}
}

const describe = (e: unknown) => {
	const code = thrownCode(e);
	const message = e instanceof Error ? e.message : String(e);
	return code ? `${String(code)}: ${message}` : message;
};

/**
 * Waits until the database answers, retrying with backoff (0.5 s doubling to 5 s) for up to `seconds`,
 * logging each failed attempt with what it waits for (never the password). A database that starts later
 * than the app (a container, a reboot) is no reason to fail; after the time it throws a clear message.
 */
export async function waitForDatabase(
	db: Db,
	url: string,
	{ seconds, log }: { seconds: number; log: (line: string) => void }
): Promise<void> {
	const deadline = Date.now() + seconds * 1000;
	const target = databaseLabel(url);
	for (let delay = 500; ; delay = Math.min(delay * 2, 5000)) {
		try {
			await sql`select 1`.execute(db.db);
			return;
		} catch (e) {
			const left = deadline - Date.now();
			if (left <= 0)
				throw new Error(
					`Database ${target} niet bereikbaar na ${seconds} s (${describe(e)}). Controleer DATABASE_URL en of de database draait (DB_WAIT_SECONDS bepaalt hoe lang er gewacht wordt).`,
					{ cause: e }
				);
			const wait = Math.min(delay, left);
			log(`Wacht op database ${target} (${describe(e)}); nieuwe poging over ${(wait / 1000).toFixed(1)} s`);
			await sleep(wait);
		}
	}
}

/** The time a start may wait for the database, in seconds: for the server, and (shorter) for an operator command. */
export const dbWaitSeconds = (env: Env, role: 'server' | 'command') =>
	env.DB_WAIT_SECONDS ?? (role === 'server' ? 60 : 10);
