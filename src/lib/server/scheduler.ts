import type { Kysely } from 'kysely';
import type { Database } from './db/schema.ts';
import { logError } from './log.ts';
import { runHousekeeping } from './services/housekeeping.service.ts';

const HOUR_MS = 60 * 60 * 1000;
let timer: NodeJS.Timeout | null = null;

/**
 * The server's scheduled jobs: housekeeping now and then every hour. The timer is unref'd (it never keeps
 * the process alive) and `stopJobs` clears it on shutdown. A failed run is logged, never fatal.
 */
export function startJobs(db: Kysely<Database>, log: (line: string) => void = (line) => console.log(line)): void {
	stopJobs();
	const run = () =>
		runHousekeeping(db).then(
			(done) => {
				if (
					done.ran &&
					done.result.sessions + done.result.attempts + done.result.passwordLinks + done.result.jobRuns > 0
				)
					log(
						`Opgeruimd: ${done.result.sessions} verlopen sessies, ${done.result.attempts} oude aanmeldpogingen, ${done.result.passwordLinks} verlopen wachtwoordlinks, ${done.result.jobRuns} oude taakregels`
					);
			},
			(e) => logError(e, 'housekeeping failed')
		);
	void run();
	timer = setInterval(run, HOUR_MS).unref();
}

/** Stops the scheduled jobs (the shutdown handler calls it before closing the database). */
export function stopJobs(): void {
	if (timer) clearInterval(timer);
	timer = null;
}
