/**
 * Issue 15, observability: the built server's JSON request log (one line per request, request id, route pattern,
 * user, never a secret or a query value), errors logged once with their request id, Prometheus metrics behind
 * METRICS_TOKEN, and readiness (database answers, migrations current).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, signIn, type Account } from '../helpers/accounts.ts';
import { DIALECTS, emptyDb, migratedDb, type TestDb } from '../helpers/databases.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { createApi } from '../../src/lib/server/api/app.ts';

const SLUG = 'vleuten-versterkt';
const METRICS_TOKEN = 'metrics-token-for-the-observability-test';
/** Values a request carries that the log must never show. */
const SECRET_QUERY = 'geheime-zoekwaarde-4711';
const WRONG_PASSWORD = 'a wrong password 9c1e7f';

interface LogLine {
	level: string;
	time: string;
	msg: string;
	reqId?: string;
	method?: string;
	route?: string;
	status?: number;
	ms?: number;
	userId?: number | null;
	apiTokenId?: number;
	err?: { message: string; stack: string };
}

/** The server's stdout lines that are JSON (startup lines for operators are plain text). */
const logLines = (server: RunningServer): LogLine[] =>
	server
		.output()
		.split('\n')
		.filter((l) => l.startsWith('{'))
		.map((l) => JSON.parse(l) as LogLine);

const requestLine = (server: RunningServer, reqId: string) =>
	logLines(server).find((l) => l.msg === 'request' && l.reqId === reqId);

describe.each(DIALECTS)('request log, errors and metrics of the built server on %s', (dialect) => {
	let db: TestDb;
	let server: RunningServer;
	let lead: Account;
	let leadCookie: string;
	let adminCookie: string;
	let apiToken: string;
	const get = (path: string, headers: Record<string, string> = {}) =>
		fetch(server.url + path, { headers, redirect: 'manual' });
	const fetcher = (p: string, init: RequestInit) => fetch(server.url + p, init);

	beforeAll(async () => {
		db = await emptyDb(dialect);
		server = await startServer({ DATABASE_URL: db.url, METRICS_TOKEN, LOG_LEVEL: 'info' });
		lead = await createAccount(db.db, { role: 'lead', programme: SLUG });
		leadCookie = await signIn(fetcher, lead);
		adminCookie = await signIn(fetcher, await createAccount(db.db, 'admin'));
		const created = await fetch(`${server.url}/api/v1/admin/tokens`, {
			method: 'POST',
			headers: { cookie: adminCookie, origin: server.url, 'content-type': 'application/json' },
			body: JSON.stringify({ programme: SLUG, role: 'lead', name: 'observability' })
		});
		expect(created.status).toBe(201);
		apiToken = ((await created.json()) as { token: string }).token;
	}, 120_000);
	afterAll(async () => {
		await server?.stop();
		await db?.drop();
	});

	it('should log one JSON line per request with its id, route pattern, status, duration and user', async () => {
		const page = await get(`/p/${SLUG}/dashboard?regio=${SECRET_QUERY}`, { cookie: leadCookie });
		await page.arrayBuffer();
		const pageId = page.headers.get('x-request-id')!;
		const api = await get(`/api/v1/programmes/${SLUG}/progress?region=${SECRET_QUERY}`, {
			authorization: `Bearer ${apiToken}`
		});
		await api.arrayBuffer();
		const apiId = api.headers.get('x-request-id')!;
		// a proxy's safe id is kept; an unsafe one is replaced
		const kept = await get('/api/v1/programmes', { 'x-request-id': 'proxy-id_1.2' });
		expect(kept.headers.get('x-request-id')).toBe('proxy-id_1.2');
		const unsafe = await get('/api/v1/programmes', { 'x-request-id': 'bad id <script>' });
		expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
		// a successful probe is logged at debug only (LOG_LEVEL=info here)
		const probe = (await get('/api/v1/ready')).headers.get('x-request-id')!;
		const last = (await get('/api/v1/programmes')).headers.get('x-request-id')!;
		await expect.poll(() => requestLine(server, last), { timeout: 5_000 }).toBeDefined();
		expect(requestLine(server, probe)).toBeUndefined();

		const pageLine = requestLine(server, pageId)!;
		expect(pageLine).toMatchObject({
			level: 'info',
			method: 'GET',
			route: '/p/[programme]/dashboard',
			userId: lead.id
		});
		expect(pageLine.status).toBe(page.status);
		expect(Date.parse(pageLine.time)).not.toBeNaN();
		expect(pageLine.ms).toBeGreaterThan(0);
		const apiLine = requestLine(server, apiId)!;
		expect(apiLine).toMatchObject({
			method: 'GET',
			route: '/api/v1/programmes/:slug/progress',
			status: api.status
		});
		expect(apiLine.apiTokenId).toBeGreaterThan(0);
		expect(requestLine(server, 'proxy-id_1.2')).toMatchObject({ route: '/api/v1/programmes', status: 401 });
	});

	it('should never log a password, token, cookie or query value', async () => {
		const wrong = await fetch(`${server.url}/api/v1/session`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email: lead.email, password: WRONG_PASSWORD })
		});
		expect(wrong.status).toBe(401);
		const form = await fetch(`${server.url}/login?next=/p/${SECRET_QUERY}`, {
			method: 'POST',
			headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
			body: new URLSearchParams({ email: lead.email, password: lead.password }),
			redirect: 'manual'
		});
		expect(form.status).toBe(303);
		const id = wrong.headers.get('x-request-id')!;
		await expect
			.poll(() => requestLine(server, id), { timeout: 5_000 })
			.toMatchObject({
				route: '/api/v1/session',
				status: 401
			});
		const logged = logLines(server)
			.map((l) => JSON.stringify(l))
			.join('\n');
		for (const secret of [
			WRONG_PASSWORD,
			lead.password,
			apiToken,
			SECRET_QUERY,
			leadCookie.split('=')[1],
			adminCookie.split('=')[1]
		])
			expect(logged).not.toContain(secret);
	});

	it('should answer /metrics only to the bearer of METRICS_TOKEN, with the request, query, pool, sign-in and import metrics', async () => {
		expect((await get('/metrics')).status).toBe(401);
		expect((await get('/metrics', { authorization: 'Bearer not-the-metrics-token-at-all' })).status).toBe(401);
		// a session is not the token
		expect((await get('/metrics', { cookie: adminCookie })).status).toBe(401);
		const imported = await fetch(`${server.url}/api/v1/programmes/${SLUG}/measurements/import`, {
			method: 'POST',
			headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'text/csv' },
			body: 'indicator,region,date,value\nVV-T1-AANDACHT,obs-haarzicht,2023-02-01,41\nVV-T1-AANDACHT,obs-haarzicht,2023-02-02,42\n'
		});
		expect(imported.status).toBe(200);
		const refused = await fetch(`${server.url}/api/v1/programmes/${SLUG}/measurements/import`, {
			method: 'POST',
			headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'text/csv' },
			body: 'indicator,region,date,value\nVV-ONBEKEND,obs-haarzicht,2023-02-01,41\n'
		});
		expect(refused.status).toBe(422);

		const res = await get('/metrics', { authorization: `Bearer ${METRICS_TOKEN}` });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toContain('text/plain');
		const text = await res.text();
		const value = (series: string) => {
			const line = text.split('\n').find((l) => l.startsWith(series + ' '));
			return line === undefined ? undefined : Number(line.slice(series.length + 1));
		};
		expect(
			value('kompas_http_request_duration_seconds_count{method="GET",route="/api/v1/health",status="200"}')
		).toBeGreaterThanOrEqual(1);
		// the route pattern, whatever the status of the test's progress request with an unknown region
		expect(text).toMatch(
			/^kompas_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/programmes\/:slug\/progress",status="\d+"\} 1$/m
		);
		expect(value('kompas_http_request_sql_queries_count{route="/p/[programme]/dashboard"}')).toBeGreaterThanOrEqual(1);
		expect(value('kompas_sign_in_refusals_total{reason="wrong_credentials"}')).toBeGreaterThanOrEqual(1);
		expect(value('kompas_import_rows_total{outcome="imported"}')).toBe(2);
		expect(value('kompas_import_rows_total{outcome="refused"}')).toBe(1);
		const total = value('kompas_pg_pool_connections{state="total"}');
		if (dialect === 'postgres') expect(total).toBeGreaterThanOrEqual(1);
		else expect(total).toBe(0);
		expect(value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
		// no raw path or query value becomes a label
		expect(text).not.toContain(SECRET_QUERY);
	});

	// last: it breaks the database under the running server
	it('should log an unexpected error once, with its request id and stack, and still answer the friendly error', async () => {
		await sql`alter table organisations rename to organisations_gone`.execute(db.db);
		const api = await get(`/api/v1/programmes/${SLUG}/organisations`, { cookie: leadCookie });
		expect(api.status).toBe(500);
		expect(await api.json()).toEqual({ error: { code: 'internal', message: 'Er ging iets mis op de server' } });
		const page = await get(`/p/${SLUG}/organisaties`, { cookie: leadCookie, accept: 'text/html' });
		expect(page.status).toBe(500);
		expect(await page.text()).toContain('Er ging iets mis');
		for (const [res, route] of [
			[api, '/api/v1/programmes/:slug/organisations'],
			[page, '/p/[programme]/organisaties']
		] as const) {
			const id = res.headers.get('x-request-id')!;
			await expect.poll(() => requestLine(server, id), { timeout: 5_000 }).toMatchObject({ route, status: 500 });
			const errors = logLines(server).filter((l) => l.level === 'error' && l.reqId === id);
			expect(errors).toHaveLength(1);
			expect(errors[0].err?.stack).toMatch(/organisations/);
		}
		await sql`alter table organisations_gone rename to organisations`.execute(db.db);
	});
});

describe('/metrics without METRICS_TOKEN', () => {
	let db: TestDb;
	let server: RunningServer;
	beforeAll(async () => {
		db = await emptyDb('sqlite');
		server = await startServer({ DATABASE_URL: db.url, SEED_ON_EMPTY: 'false' });
	}, 120_000);
	afterAll(async () => {
		await server?.stop();
		await db?.drop();
	});

	it('should not exist: 404, also with a bearer token', async () => {
		expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
		expect(
			(await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer anything-at-all' } })).status
		).toBe(404);
	});
});

describe.each(DIALECTS)('GET /api/v1/ready on %s', (dialect) => {
	it('should answer ready when the database answers and every migration ran', async () => {
		const db = await migratedDb(dialect);
		try {
			const res = await createApi(db).request('/api/v1/ready');
			expect([res.status, await res.json()]).toEqual([200, { status: 'ready' }]);
		} finally {
			await db.drop();
		}
	});

	it('should answer 503 when a migration of this version has not run', async () => {
		const db = await migratedDb(dialect);
		try {
			const last = await db.db
				.selectFrom('kysely_migration' as never)
				.select(sql<string>`name`.as('name'))
				.orderBy(sql`name`, 'desc')
				.executeTakeFirstOrThrow();
			await db.db
				.deleteFrom('kysely_migration' as never)
				.where(sql`name`, '=', last.name)
				.execute();
			const res = await createApi(db).request('/api/v1/ready');
			expect(res.status).toBe(503);
			const body = (await res.json()) as { error: { code: string; message: string } };
			expect(body.error.code).toBe('not_ready');
			expect(body.error.message).toContain(last.name);
		} finally {
			await db.drop();
		}
	});

	it('should answer 503 when the database does not answer', async () => {
		const db = await migratedDb(dialect);
		const api = createApi(db);
		await db.close();
		try {
			const res = await api.request('/api/v1/ready');
			expect(res.status).toBe(503);
			expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_ready');
		} finally {
			await db.drop().catch(() => undefined);
		}
	});
});

describe.runIf(DIALECTS.includes('postgres'))('PostgreSQL pool settings', () => {
	it('should set the statement timeout on every connection and end a statement that runs longer', async () => {
		const db = await emptyDb('postgres', { pool: { max: 2, statementTimeoutMs: 300 } });
		try {
			const shown = await sql<{ statement_timeout: string }>`show statement_timeout`.execute(db.db);
			expect(shown.rows[0].statement_timeout).toBe('300ms');
			await expect(sql`select pg_sleep(2)`.execute(db.db)).rejects.toThrow(/statement timeout/);
		} finally {
			await db.drop();
		}
	});
});
