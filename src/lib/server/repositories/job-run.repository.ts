import type { JobOutcome } from '../db/schema.ts';
import type { Conn } from '../db/types.ts';

type Claimant = { job: string; run_key: string; started_at: string; host: string; pid: number };

/** Claims a run: the unique (job, run_key) lets exactly one caller in; null when the run exists already. */
export const insertRun = async (db: Conn, run: Claimant): Promise<number | null> =>
	(
		await db
			.insertInto('job_runs')
			.values(run)
			.onConflict((oc) => oc.columns(['job', 'run_key']).doNothing())
			.returning('id')
			.executeTakeFirst()
	)?.id ?? null;

/**
 * Takes over a run that failed, or (with `staleBefore`) that started before it and never finished (its
 * process died): one conditional update, so of two callers only one succeeds.
 */
export const takeOverRun = async (db: Conn, run: Claimant, staleBefore: string | null): Promise<number | null> =>
	(
		await db
			.updateTable('job_runs')
			.set({ started_at: run.started_at, host: run.host, pid: run.pid, finished_at: null, outcome: null, counts: null })
			.where('job', '=', run.job)
			.where('run_key', '=', run.run_key)
			.where((eb) =>
				staleBefore === null
					? eb('outcome', '=', 'failed')
					: eb.or([
							eb('outcome', '=', 'failed'),
							eb.and([eb('outcome', 'is', null), eb('started_at', '<', staleBefore)])
						])
			)
			.returning('id')
			.executeTakeFirst()
	)?.id ?? null;

/** Takes a run whatever its state (a deliberate rerun), creating it when missing. */
export const forceRun = async (db: Conn, run: Claimant): Promise<number> =>
	(
		await db
			.insertInto('job_runs')
			.values(run)
			.onConflict((oc) =>
				oc.columns(['job', 'run_key']).doUpdateSet({
					started_at: run.started_at,
					host: run.host,
					pid: run.pid,
					finished_at: null,
					outcome: null,
					counts: null
				})
			)
			.returning('id')
			.executeTakeFirstOrThrow()
	).id;

export const findRun = (db: Conn, job: string, runKey: string) =>
	db.selectFrom('job_runs').selectAll().where('job', '=', job).where('run_key', '=', runKey).executeTakeFirst();

export const finishRun = (db: Conn, id: number, at: string, outcome: JobOutcome, counts: string) =>
	db.updateTable('job_runs').set({ finished_at: at, outcome, counts }).where('id', '=', id).execute();

/** Forgets runs started before `before`, so the table stays small. */
export const pruneRuns = (db: Conn, before: string) =>
	db.deleteFrom('job_runs').where('started_at', '<', before).executeTakeFirst();
