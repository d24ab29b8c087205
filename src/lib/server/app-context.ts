import { createApi, type Api } from './api/app.ts';
import { bootstrap } from './bootstrap.ts';
import type { Db } from './db/create-db.ts';
import { countQuery } from './db/query-stats.ts';
import { env } from './env.ts';
import { log, logError } from './log.ts';
import { watchPool } from './metrics.ts';
import { startJobs, stopJobs } from './scheduler.ts';

/** The server's database and API, created once at start-up (hooks `init`). */
let current: {
	db: Db;
	api: Api;
	queryStats: boolean;
	https: boolean;
	origin: string | null;
	metricsToken: string | null;
} | null = null;

export async function startApp() {
	if (current) return current;
	const config = env();
	const db = await bootstrap(config, {
		onQuery: countQuery,
		pool: { max: config.PG_POOL_MAX, statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS }
	});
	watchPool(db.poolStats);
	startJobs(db.db);
	onShutdown(stopJobs);
	current = {
		db,
		api: createApi(db),
		queryStats: config.QUERY_STATS,
		https: config.ORIGIN?.startsWith('https:') ?? false,
		origin: config.ORIGIN ? new URL(config.ORIGIN).origin : null,
		metricsToken: config.METRICS_TOKEN ?? null
	};
	process.once('sveltekit:shutdown' as 'beforeExit', (reason: unknown) => void shutdown(String(reason)));
	return current;
}

export function app() {
	if (!current) throw new Error('App not started: startApp() runs in the server hook init');
	return current;
}

/** What stops with the server, before its database closes: timers of scheduled jobs and the like. */
const stoppers: (() => void | Promise<void>)[] = [];

export function onShutdown(stop: () => void | Promise<void>): void {
	stoppers.push(stop);
}

/** A stopper or the pool that never ends must not keep a stopping server alive. */
const SHUTDOWN_LIMIT_MS = 10_000;

/**
 * adapter-node emits `sveltekit:shutdown` on SIGTERM/SIGINT once the HTTP server has stopped accepting and
 * the requests in flight have finished (at most SHUTDOWN_TIMEOUT seconds). Then: stop the jobs, close the
 * database (an open PostgreSQL pool alone kept the process alive for its 10 s idle timeout), log, exit.
 */
async function shutdown(reason: string): Promise<void> {
	const started = Date.now();
	setTimeout(() => {
		log().error({ reason }, `shutdown did not finish within ${SHUTDOWN_LIMIT_MS} ms; exiting`);
		process.exit(1);
	}, SHUTDOWN_LIMIT_MS).unref();
	let code = 0;
	for (const stop of stoppers.splice(0))
		try {
			await stop();
		} catch (e) {
			code = 1;
			logError(e, 'shutdown: a job did not stop cleanly');
		}
	try {
		await current?.db.close();
	} catch (e) {
		code = 1;
		logError(e, 'shutdown: closing the database failed');
	}
	log().info({ reason, ms: Date.now() - started }, 'server stopped');
	log().flush();
	process.exit(code);
}
