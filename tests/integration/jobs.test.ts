import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/lib/server/auth/tokens.ts';
import {
	actorFromSession,
	LOGIN_WINDOW_MS,
	SESSION_ABSOLUTE_MS,
	SESSION_IDLE_MS
} from '../../src/lib/server/services/auth.service.ts';
import { HOUSEKEEPING_JOB, runHousekeeping } from '../../src/lib/server/services/housekeeping.service.ts';
import { doneElsewhere, JOB_RUNS_KEPT_DAYS, runOnce, STALE_RUN_MS } from '../../src/lib/server/services/job.service.ts';
import { createAccount } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';

const NOW = Date.parse('2026-12-03T22:30:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe.each(DIALECTS)('scheduled jobs on %s', (dialect) => {
	let db: TestDb;
	beforeAll(async () => {
		db = await migratedDb(dialect);
	});
	afterAll(async () => db?.drop());
	beforeEach(async () => {
		await db.db.deleteFrom('job_runs').execute();
	});

	describe(runOnce.name, () => {
		it('should run a job once per run key however many callers claim it at once, and record it', async () => {
			let calls = 0;
			const results = await Promise.all(
				Array.from({ length: 10 }, () =>
					runOnce(db.db, 'test-job', '2026-12-03', async () => {
						calls++;
						await new Promise((resolve) => setTimeout(resolve, 50));
						return { done: 1 };
					})
				)
			);
			expect(calls).toBe(1);
			expect(results.filter((r) => r.ran)).toHaveLength(1);
			const skipped = results.filter((r) => !r.ran);
			expect(skipped).toHaveLength(9);
			const runs = await db.db.selectFrom('job_runs').selectAll().execute();
			expect(runs).toHaveLength(1);
			expect(runs[0]).toMatchObject({ job: 'test-job', run_key: '2026-12-03', outcome: 'ok', counts: '{"done":1}' });
			expect(runs[0].finished_at).not.toBeNull();
			expect(runs[0].pid).toBe(process.pid);
			// afterwards: skipped, saying by whom and when
			const again = await runOnce(db.db, 'test-job', '2026-12-03', async () => ({ done: 2 }));
			expect(again.ran).toBe(false);
			if (!again.ran)
				expect(doneElsewhere('test-job voor 2026-12-03', again.previous)).toMatch(
					/^test-job voor 2026-12-03 al gedaan door \S+ om 2\d{3}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/
				);
			// another run key is another run
			expect((await runOnce(db.db, 'test-job', '2026-12-04', async () => ({ done: 3 }))).ran).toBe(true);
		});

		it('should let a failed run be claimed again, and record the failure', async () => {
			await expect(
				runOnce(db.db, 'test-job', 'k', async () => {
					throw new Error('SMTP weg');
				})
			).rejects.toThrow('SMTP weg');
			const failed = await db.db.selectFrom('job_runs').selectAll().executeTakeFirstOrThrow();
			expect(failed).toMatchObject({ outcome: 'failed', counts: '{"error":"SMTP weg"}' });
			const retry = await runOnce(db.db, 'test-job', 'k', async () => ({ ok: 1 }));
			expect(retry.ran).toBe(true);
			expect(await db.db.selectFrom('job_runs').select(['outcome', 'counts']).execute()).toEqual([
				{ outcome: 'ok', counts: '{"ok":1}' }
			]);
		});

		it('should take over a run that never finished only once it is stale, and run it anyway when forced', async () => {
			const started = NOW - 10 * 60 * 1000;
			await db.db
				.insertInto('job_runs')
				.values({ job: 'test-job', run_key: 'k', started_at: iso(started), host: 'elders', pid: 42 })
				.execute();
			const busy = await runOnce(db.db, 'test-job', 'k', async () => ({ n: 1 }), { now: NOW });
			expect(busy.ran).toBe(false);
			if (!busy.ran)
				expect(doneElsewhere('x', busy.previous)).toBe('x al bezig door elders (pid 42) sinds 2026-12-03 22:20:00 UTC');
			const atMostOnce = await runOnce(db.db, 'test-job', 'k', async () => ({ n: 2 }), {
				now: started + STALE_RUN_MS + 1,
				retakeUnfinished: false
			});
			expect(atMostOnce.ran).toBe(false);
			const later = await runOnce(db.db, 'test-job', 'k', async () => ({ n: 2 }), { now: started + STALE_RUN_MS + 1 });
			expect(later.ran).toBe(true);
			const forced = await runOnce(db.db, 'test-job', 'k', async () => ({ n: 3 }), { force: true });
			expect(forced.ran).toBe(true);
			expect(await db.db.selectFrom('job_runs').select(['outcome', 'counts']).execute()).toEqual([
				{ outcome: 'ok', counts: '{"n":3}' }
			]);
		});
	});

	describe(runHousekeeping.name, () => {
		it('should delete exactly the expired sessions, old sign-in attempts, expired password links and old job runs, once per hour', async () => {
			const user = await createAccount(db.db, 'admin');
			const sessions = {
				fresh: { last: NOW - 60_000, end: NOW + SESSION_ABSOLUTE_MS - 60_000 },
				idleAtLimit: { last: NOW - SESSION_IDLE_MS, end: NOW + 24 * 3600_000 },
				idle: { last: NOW - SESSION_IDLE_MS - 1, end: NOW + 24 * 3600_000 },
				endsNow: { last: NOW - 60_000, end: NOW },
				ended: { last: NOW - 60_000, end: NOW - 1 }
			};
			for (const [token, s] of Object.entries(sessions))
				await db.db
					.insertInto('sessions')
					.values({
						user_id: user.id,
						token_hash: hashToken(`${dialect}-${token}`),
						created_at: iso(s.end - SESSION_ABSOLUTE_MS),
						last_seen_at: iso(s.last),
						expires_at: iso(s.end)
					})
					.execute();
			await db.db
				.insertInto('login_attempts')
				.values([
					{ key: 'account:a@b.nl', at: iso(NOW - LOGIN_WINDOW_MS) },
					{ key: 'account:a@b.nl', at: iso(NOW - LOGIN_WINDOW_MS + 1) }
				])
				.execute();
			const day = 24 * 3600_000;
			await db.db
				.insertInto('job_runs')
				.values([
					{ job: 'old', run_key: 'a', started_at: iso(NOW - JOB_RUNS_KEPT_DAYS * day - 1), host: 'h', pid: 1 },
					{ job: 'old', run_key: 'b', started_at: iso(NOW - JOB_RUNS_KEPT_DAYS * day + day), host: 'h', pid: 1 }
				])
				.execute();

			const link = (name: string, end: number) => ({
				user_id: user.id,
				token_hash: hashToken(`${dialect}-link-${name}`),
				purpose: 'invite' as const,
				created_at: iso(end - 3600_000),
				expires_at: iso(end)
			});
			await db.db
				.insertInto('password_tokens')
				.values([link('ended', NOW), link('open', NOW + 1)])
				.execute();

			const done = await runHousekeeping(db.db, NOW);
			expect(done).toEqual({
				ran: true,
				result: { sessions: 2, attempts: 1, passwordLinks: 1, jobRuns: 1, pollAnswers: 0, polls: 0 }
			});
			const links = await db.db.selectFrom('password_tokens').select('token_hash').execute();
			expect(links.map((l) => l.token_hash)).toEqual([hashToken(`${dialect}-link-open`)]);
			const kept = await db.db.selectFrom('sessions').select('token_hash').execute();
			const keptTokens = Object.keys(sessions).filter((t) =>
				kept.some((k) => k.token_hash === hashToken(`${dialect}-${t}`))
			);
			expect(keptTokens.sort()).toEqual(['endsNow', 'fresh', 'idleAtLimit']);
			// what is kept is exactly what sign-in still accepts at that moment
			for (const t of keptTokens) expect(await actorFromSession(db.db, `${dialect}-${t}`, NOW)).not.toBeNull();
			expect(await db.db.selectFrom('login_attempts').select('at').execute()).toEqual([
				{ at: iso(NOW - LOGIN_WINDOW_MS + 1) }
			]);
			expect(
				(await db.db.selectFrom('job_runs').select('run_key').where('job', '=', 'old').execute()).map((r) => r.run_key)
			).toEqual(['b']);
			expect(
				await db.db.selectFrom('job_runs').select(['run_key', 'outcome']).where('job', '=', HOUSEKEEPING_JOB).execute()
			).toEqual([{ run_key: '2026-12-03T22', outcome: 'ok' }]);

			// the same hour from another server: nothing; the next hour runs again
			expect((await runHousekeeping(db.db, NOW + 60_000)).ran).toBe(false);
			expect((await runHousekeeping(db.db, NOW + 3600_000)).ran).toBe(true);
		});
	});
});
