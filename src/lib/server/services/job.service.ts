import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Database, JobRun } from '../db/schema.ts';
import * as repo from '../repositories/job-run.repository.ts';

/** A run that started this long ago and never finished is taken to be dead (its process was killed). */
export const STALE_RUN_MS = 60 * 60 * 1000;
/** How long finished runs are remembered (the hourly cleanup forgets older ones). */
export const JOB_RUNS_KEPT_DAYS = 90;

export type JobRunReport<T> = { ran: true; result: T } | { ran: false; previous: JobRun };

/**
 * Runs `fn` once per (job, run key) across every process on the database, and records it: the claim is
 * one unique insert, so of several servers (or cron on several machines) exactly one runs it and the
 * others get the run that was claimed. A failed run, or one that never finished within STALE_RUN_MS,
 * may be claimed again — the latter not with `retakeUnfinished: false`, for work that must not happen twice
 * (an e-mail whose process died after sending it). `force` claims it whatever its state (a deliberate
 * rerun). `fn` runs outside any transaction (it may send e-mail), and should return the counts to record.
 */
export async function runOnce<T extends Record<string, unknown>>(
	db: Kysely<Database>,
	job: string,
	runKey: string,
	fn: () => Promise<T>,
	{
		force = false,
		retakeUnfinished = true,
		now = Date.now()
	}: { force?: boolean; retakeUnfinished?: boolean; now?: number } = {}
): Promise<JobRunReport<T>> {
	const run = { job, run_key: runKey, started_at: new Date(now).toISOString(), host: hostname(), pid: process.pid };
	const id = force
		? await repo.forceRun(db, run)
		: ((await repo.insertRun(db, run)) ??
			(await repo.takeOverRun(db, run, retakeUnfinished ? new Date(now - STALE_RUN_MS).toISOString() : null)));
	if (id === null) {
		const previous = await repo.findRun(db, job, runKey);
		if (previous) return { ran: false, previous };
		return runOnce(db, job, runKey, fn, { force, retakeUnfinished, now }); // forgotten meanwhile: claim again
	}
	try {
		const result = await fn();
		await repo.finishRun(db, id, new Date().toISOString(), 'ok', JSON.stringify(result));
		return { ran: true, result };
	} catch (e) {
		const error = e instanceof Error ? e.message : String(e);
		await repo.finishRun(db, id, new Date().toISOString(), 'failed', JSON.stringify({ error })).catch(() => undefined);
		throw e;
	}
}

const clock = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

/** "… al gedaan door host X om …" (or still running there): why this process skipped a run. */
export const doneElsewhere = (what: string, run: JobRun) =>
	run.outcome === null
		? `${what} al bezig door ${run.host} (pid ${run.pid}) sinds ${clock(run.started_at)}`
		: `${what} al gedaan door ${run.host} om ${clock(run.finished_at ?? run.started_at)}${run.outcome === 'failed' ? ' (mislukt)' : ''}`;

/** Forgets runs older than JOB_RUNS_KEPT_DAYS. */
export const pruneJobRuns = (db: Kysely<Database>, now: number) =>
	repo.pruneRuns(db, new Date(now - JOB_RUNS_KEPT_DAYS * 24 * 60 * 60 * 1000).toISOString());
