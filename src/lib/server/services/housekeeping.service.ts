import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { transact } from '../db/types.ts';
import { deleteExpired } from './auth.service.ts';
import { pruneJobRuns, runOnce } from './job.service.ts';
import { deleteExpiredLinks } from './password-link.service.ts';
import * as polls from '../repositories/poll.repository.ts';

export const HOUSEKEEPING_JOB = 'housekeeping';

/** At most this many polls lose their raw answers per run (each at most 2000 answers); the next hour takes the rest. */
export const RETENTION_BATCH = 50;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The hourly cleanup: expired sessions, sign-in attempts outside the window, expired password links, job runs older than
 * JOB_RUNS_KEPT_DAYS, and the raw answers of polls closed longer ago than their programme keeps them
 * (`deleteExpiredPollAnswers`). Claimed per hour (run key `2026-12-03T22`), so N servers do it once an hour.
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
			const retention = await deleteExpiredPollAnswers(db, now);
			return { ...expired, passwordLinks, jobRuns, pollAnswers: retention.answers, polls: retention.polls };
		},
		{ now }
	);
}

/**
 * Privacy (issue 18): the raw answers of a poll — its responses, open answers included — are deleted
 * `programmes.poll_retention_days` days after it closed, and the poll notes when (`answers_deleted_at`). Its
 * counts (`results`) and the measurements its closing made stay. At most RETENTION_BATCH polls a run, in one
 * transaction.
 */
export async function deleteExpiredPollAnswers(db: Kysely<Database>, now = Date.now()) {
	const due: number[] = [];
	for (const p of await polls.retentionDays(db)) {
		if (due.length >= RETENTION_BATCH) break;
		const cutoff = new Date(now - p.poll_retention_days * DAY_MS).toISOString();
		const expired = await polls.pollsWithExpiredAnswers(db, p.id, cutoff, RETENTION_BATCH - due.length);
		due.push(...expired.map((x) => x.id));
	}
	const answers = await transact(db, (tx) => polls.deleteAnswers(tx, due, new Date(now).toISOString()));
	return { polls: due.length, answers };
}
