import { createApi, type Api } from './api/app.ts';
import { bootstrap } from './bootstrap.ts';
import type { Db } from './db/create-db.ts';
import { countQuery } from './db/query-stats.ts';
import { env } from './env.ts';
import { startJobs } from './scheduler.ts';

/** The server's database and API, created once at start-up (hooks `init`). */
let current: { db: Db; api: Api; queryStats: boolean; https: boolean } | null = null;

export async function startApp() {
	if (current) return current;
	const config = env();
	const db = await bootstrap(config, { onQuery: countQuery });
	startJobs(db.db); // stopJobs() on shutdown
	current = {
		db,
		api: createApi(db),
		queryStats: config.QUERY_STATS,
		https: config.ORIGIN?.startsWith('https:') ?? false
	};
	return current;
}

export function app() {
	if (!current) throw new Error('App not started: startApp() runs in the server hook init');
	return current;
}
