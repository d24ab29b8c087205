import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { deleteExpired } from './auth.service.ts';
import { pruneJobRuns, runOnce } from './job.service.ts';
import { deleteExpiredLinks } from './password-link.service.ts';

export const HOUSEKEEPING_JOB = 'housekeeping';

/**
 * The hourly cleanup: expired sessions, sign-in attempts outside the window, expired password links, job runs older than
 * JOB_RUNS_KEPT_DAYS. Claimed per hour (run key `2026-12-03T22`), so N servers do it once an hour.
 */
export async function runHousekeeping(db: Kysely<Database>, now = Date.now()) {
	return runOnce(
		db,
		HOUSEKEEPING_JOB,
		new Date(now).toISOString().slice(0, 13),
		async () => {
			const expired = await deleteExpired(db, now);
			const passwordLinks = await deleteExpiredLinks(db, now);
			const jobRuns = Number((await pruneJobRuns(db, now)).numDeletedRows);
			return { ...expired, passwordLinks, jobRuns };
		},
		{ now }
	);
}
