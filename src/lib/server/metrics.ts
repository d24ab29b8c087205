import { timingSafeEqual, createHash } from 'node:crypto';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PoolStats } from './db/create-db.ts';

/**
 * The one Prometheus registry of a server process (`GET /metrics`). Labels are bounded: route patterns,
 * known methods, status codes and fixed reasons, never a raw path or a value from a request.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

const httpDuration = new Histogram({
	name: 'kompas_http_request_duration_seconds',
	help: 'Time to answer a request, by method, route pattern and status',
	labelNames: ['method', 'route', 'status'] as const,
	buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 30],
	registers: [registry]
});

const queriesPerRequest = new Histogram({
	name: 'kompas_http_request_sql_queries',
	help: 'SQL queries one request ran, by route pattern',
	labelNames: ['route'] as const,
	buckets: [0, 1, 2, 3, 5, 8, 10, 15, 20, 30, 50, 100],
	registers: [registry]
});

export type SignInRefusal = 'wrong_credentials' | 'rate_limited';
const signInRefusals = new Counter({
	name: 'kompas_sign_in_refusals_total',
	help: 'Refused sign-ins: wrong credentials (or a blocked account), or the attempt limit reached',
	labelNames: ['reason'] as const,
	registers: [registry]
});

const importRows = new Counter({
	name: 'kompas_import_rows_total',
	help: 'Rows of measurement files: imported, or read in a file that was refused',
	labelNames: ['outcome'] as const,
	registers: [registry]
});

let poolStats: (() => PoolStats) | undefined;
new Gauge({
	name: 'kompas_pg_pool_connections',
	help: 'PostgreSQL connections of this server: total, idle, and requests waiting for one (0 on SQLite)',
	labelNames: ['state'] as const,
	registers: [registry],
	collect() {
		const s = poolStats?.() ?? { total: 0, idle: 0, waiting: 0 };
		this.set({ state: 'total' }, s.total);
		this.set({ state: 'idle' }, s.idle);
		this.set({ state: 'waiting' }, s.waiting);
	}
});

/** The server's pool, read at each scrape. */
export function watchPool(stats: (() => PoolStats) | undefined): void {
	poolStats = stats;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export function observeRequest(method: string, route: string, status: number, seconds: number, queries: number): void {
	const m = METHODS.has(method) ? method : 'OTHER';
	httpDuration.observe({ method: m, route, status: String(status) }, seconds);
	queriesPerRequest.observe({ route }, queries);
}

export const countSignInRefusal = (reason: SignInRefusal) => signInRefusals.inc({ reason });

export function countImportRows(outcome: 'imported' | 'refused', rows: number): void {
	if (rows > 0) importRows.inc({ outcome }, rows);
}

/** Whether an `Authorization` header carries the metrics token; compared in constant time (over hashes of equal length). */
export function metricsAuthorized(header: string | null, token: string): boolean {
	const given = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1] ?? '';
	const digest = (v: string) => createHash('sha256').update(v).digest();
	return timingSafeEqual(digest(given), digest(token)) && given.length > 0;
}

/** The scrape: the metrics in Prometheus' text format for the token's bearer, 401 for anyone else. */
export async function scrape(
	authorization: string | null,
	token: string
): Promise<{ status: 200 | 401; body: string; headers: Record<string, string> }> {
	if (!metricsAuthorized(authorization, token))
		return {
			status: 401,
			body: 'Metrics: Authorization: Bearer <METRICS_TOKEN> vereist\n',
			headers: { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' }
		};
	return { status: 200, body: await registry.metrics(), headers: { 'content-type': registry.contentType } };
}
