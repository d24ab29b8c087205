import type { Kysely } from 'kysely';
import type { Database } from './db/schema.ts';
import { logError } from './log.ts';
import { runHousekeeping } from './services/housekeeping.service.ts';
import { closeOverduePolls } from './services/poll-close.service.ts';

const HOUR_MS = 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;
let timers: NodeJS.Timeout[] = [];

/**
 * The server's scheduled jobs: housekeeping now and then every hour; closing the polls past their closing
 * time now and then every minute (unclaimed: of several servers closing one poll at once, one does, the
 * others are refused). The timers are unref'd (they never keep the process alive) and `stopJobs` clears
 * them on shutdown. A failed run is logged, never fatal.
 */
export function startJobs(db: Kysely<Database>, log: (line: string) => void = (line) => console.log(line)): void {
	stopJobs();
	const run = () =>
		runHousekeeping(db).then(
			(done) => {
				if (
					done.ran &&
					done.result.sessions +
						done.result.attempts +
						done.result.passwordLinks +
						done.result.jobRuns +
						done.result.polls >
						0
				)
					log(
						`Opgeruimd: ${done.result.sessions} verlopen sessies, ${done.result.attempts} oude aanmeldpogingen, ${done.result.passwordLinks} verlopen wachtwoordlinks, ${done.result.jobRuns} oude taakregels, ${done.result.pollAnswers} peilingantwoorden van ${done.result.polls} gesloten peilingen`
					);
			},
			(e) => logError(e, 'housekeeping failed')
		);
	const closePolls = () =>
		closeOverduePolls(db).then(
			(closed) => {
				if (closed > 0) log(`Automatisch gesloten: ${closed} ${closed === 1 ? 'peiling' : 'peilingen'}`);
			},
			(e) => logError(e, 'closing overdue polls failed')
		);
	void run();
	void closePolls();
	timers = [setInterval(run, HOUR_MS).unref(), setInterval(closePolls, MINUTE_MS).unref()];
}

/** Stops the scheduled jobs (the shutdown handler calls it before closing the database). */
export function stopJobs(): void {
	for (const t of timers) clearInterval(t);
	timers = [];
}
