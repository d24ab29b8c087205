/**
 * `npm run bench [-- --fresh] [--requests N] [--database postgres]`: builds a synthetic national-scale
 * SQLite database (or PostgreSQL database `kompas_bench` on TEST_DATABASE_URL's server), starts
 * the built server against it and measures the dashboard page, the report page and the progress API over
 * HTTP (p50/p95, SQL queries per request), the same selections' bare SQL, the JavaScript the dashboard
 * sends, and the report PDF of the largest programme (`npm run bench:report` measures only that). Checks the
 * budgets of issues 7, 14 and 15 (also the overview of all programmes) and exits non-zero when one is missed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CompiledQuery, sql } from 'kysely';
import pg from 'pg';
import { migrations } from '../../db/migrations/index.ts';
import { createDb } from '../../src/lib/server/db/create-db.ts';
import { QUERY_COUNT_HEADER } from '../../src/lib/server/db/query-stats.ts';
import { migrateToLatest } from '../../src/lib/server/db/migrate.ts';
import { dashboard } from '../../src/lib/server/services/dashboard.service.ts';
import { loadProgress } from '../../src/lib/server/services/progress.service.ts';
import { report } from '../../src/lib/server/services/report.service.ts';
import { printReportPdf } from '../../src/lib/server/services/report-pdf.service.ts';
import { createAccount, funderOf, signIn } from '../helpers/accounts.ts';
import { CHROMIUM, launchBrowser } from '../helpers/browser.ts';
import { startServer } from '../helpers/server.ts';
import { BENCH_SIZE, syntheticSlug, syntheticTables } from './synthetic-data.ts';
import { writePostgres, writeSqliteFile } from './write-synthetic.ts';

const BUDGET = { queries: 10, p95ms: 150, jsKb: 150, pdfMs: 10_000, overviewQueries: 10, overviewP95ms: 300 };
const PDF_RUNS = 3;
const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const REQUESTS = Number(option('--requests')) || 200;
const DATABASE = option('--database') ?? 'sqlite';
if (DATABASE !== 'sqlite' && DATABASE !== 'postgres')
	throw new Error(`--database ${DATABASE}: expected sqlite or postgres`);
const dir = process.env.BENCH_DIR ?? join(tmpdir(), 'kompas-bench');
const file = join(dir, 'bench.db');
const PG_NAME = 'kompas_bench';
/** the database the bench runs on: the SQLite file, or kompas_bench on TEST_DATABASE_URL's server */
const url = DATABASE === 'sqlite' ? file : postgresUrl(PG_NAME);
// `data` names the synthetic data's shape: a change to it rebuilds a reused database
const fingerprint = JSON.stringify({ size: BENCH_SIZE, migrations: Object.keys(migrations), data: 'breakdowns' });
const log = (line = '') => console.log(line);

function postgresUrl(name: string) {
	const server = process.env.TEST_DATABASE_URL;
	if (!server)
		throw new Error('--database postgres needs TEST_DATABASE_URL=postgres://… (its server gets kompas_bench)');
	const u = new URL(server);
	u.pathname = `/${name}`;
	return u.toString();
}

/** kompas_bench, reused while its comment holds the fingerprint (written last, so a half-built one is rebuilt). */
async function ensurePostgres() {
	const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
	await admin.connect();
	try {
		const found = await admin.query(
			`SELECT shobj_description(oid, 'pg_database') AS fingerprint FROM pg_database WHERE datname = $1`,
			[PG_NAME]
		);
		if (!args.includes('--fresh') && found.rows[0]?.fingerprint === fingerprint) {
			log(`database: PostgreSQL ${PG_NAME} (reused; --fresh rebuilds it)`);
			return;
		}
		const t0 = performance.now();
		await admin.query(`DROP DATABASE IF EXISTS ${PG_NAME} WITH (FORCE)`);
		await admin.query(`CREATE DATABASE ${PG_NAME}`);
		const db = createDb(url);
		await migrateToLatest(db);
		await db.close();
		const tables = syntheticTables(BENCH_SIZE);
		await writePostgres(url, tables);
		await admin.query(`COMMENT ON DATABASE ${PG_NAME} IS ${pg.escapeLiteral(fingerprint)}`);
		logBuilt(`PostgreSQL ${PG_NAME}`, t0, tables);
	} finally {
		await admin.end();
	}
}

function logBuilt(what: string, t0: number, tables: ReturnType<typeof syntheticTables>) {
	const counts = tables.filter((t) =>
		['programmes', 'regions', 'indicators', 'measurements', 'actions', 'school_years'].includes(t.table)
	);
	log(
		`database: ${what} built in ${((performance.now() - t0) / 1000).toFixed(1)} s — ${counts.map((t) => `${t.rows.length.toLocaleString('en')} ${t.table}`).join(', ')}`
	);
}

async function ensureDatabase() {
	if (DATABASE === 'postgres') return ensurePostgres();
	const marker = join(dir, 'fingerprint.json');
	if (
		!args.includes('--fresh') &&
		existsSync(file) &&
		existsSync(marker) &&
		readFileSync(marker, 'utf8') === fingerprint
	) {
		log(`database: ${file} (reused; --fresh rebuilds it)`);
		return;
	}
	mkdirSync(dir, { recursive: true });
	for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
	const t0 = performance.now();
	const db = createDb(file);
	await migrateToLatest(db);
	await db.close();
	const tables = syntheticTables(BENCH_SIZE);
	writeSqliteFile(file, tables);
	writeFileSync(marker, fingerprint);
	logBuilt(file, t0, tables);
}

const percentile = (xs: number[], p: number) => {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

type Selection = { programme: string; region?: string; phase?: string };
function selections(n: number): Selection[] {
	return Array.from({ length: n }, (_, i) => {
		const programme = syntheticSlug(i % BENCH_SIZE.programmes);
		const variant = Math.floor(i / BENCH_SIZE.programmes) % 4;
		return variant === 0
			? { programme }
			: variant === 1
				? { programme, region: 'wijk-1' }
				: variant === 2
					? { programme, phase: '2024-2025' }
					: { programme, region: 'school-3', phase: '2023-2024' };
	});
}

const pageQuery = (s: Selection) =>
	new URLSearchParams([...(s.region ? [['regio', s.region]] : []), ...(s.phase ? [['fase', s.phase]] : [])]).toString();
const apiQuery = (s: Selection) =>
	new URLSearchParams([
		...(s.region ? [['region', s.region]] : []),
		...(s.phase ? [['phase', s.phase]] : [])
	]).toString();
const ENDPOINTS = {
	dashboard: (s: Selection) => `/p/${s.programme}/dashboard?${pageQuery(s)}`,
	rapport: (s: Selection) => `/p/${s.programme}/rapport?${pageQuery(s)}`,
	'progress API': (s: Selection) => `/api/v1/programmes/${s.programme}/progress?${apiQuery(s)}`
} as const;
type Endpoint = keyof typeof ENDPOINTS;
const OVERVIEW_REQUESTS = 30;
/** the category the dashboard is also timed for (issue 17): a filter by one dimension value, no budget */
const FILTER = 'geslacht=meisje';

type Get = (path: string) => Promise<Response>;
type Filtered = { pending: string } | { p50: number; p95: number; minQueries: number; maxQueries: number };

/**
 * The dashboard filtered by one category, timed over the same selections. Pending while the programme's
 * filter is not built (issue 17, part D): the progress API refuses it, or answers as without it.
 */
async function filteredDashboard(get: Get, sels: Selection[]): Promise<Filtered> {
	const api = ENDPOINTS['progress API'](sels[0]);
	const [plain, filtered] = [await get(api), await get(`${api}&${FILTER}`)];
	const [plainBody, filteredBody] = [await plain.text(), await filtered.text()];
	if (filtered.status !== 200) return { pending: `the progress API refuses ?${FILTER} (HTTP ${filtered.status})` };
	if (plainBody === filteredBody) return { pending: `the progress API answers ?${FILTER} as without it` };
	const path = (s: Selection) => `${ENDPOINTS.dashboard(s)}&${FILTER}`;
	for (const s of sels.slice(0, 20)) await get(path(s)).then((r) => r.arrayBuffer());
	const times: number[] = [];
	const queries: number[] = [];
	for (const s of sels) {
		const t = performance.now();
		const res = await get(path(s));
		await res.arrayBuffer();
		times.push(performance.now() - t);
		if (res.status !== 200) return { pending: `${path(s)} answered ${res.status}` };
		queries.push(Number(res.headers.get(QUERY_COUNT_HEADER)));
	}
	return {
		p50: percentile(times, 50),
		p95: percentile(times, 95),
		minQueries: Math.min(...queries),
		maxQueries: Math.max(...queries)
	};
}

/** How much of the synthetic data is split (issue 17: breakdowns on about 20 % of the indicators). */
async function breakdownShare() {
	const db = createDb(url);
	try {
		const count = (table: 'indicators' | 'measurements', column: 'dimensions' | 'categories') =>
			db.db
				.selectFrom(table)
				.select((eb) => [eb.fn.countAll<number>().as('all'), eb.fn.count<number>(column).as('split')])
				.executeTakeFirstOrThrow();
		const [indicators, measurements] = [
			await count('indicators', 'dimensions'),
			await count('measurements', 'categories')
		];
		const share = (r: { all: number; split: number }) =>
			`${Number(r.split).toLocaleString('en')} of ${Number(r.all).toLocaleString('en')} (${((100 * Number(r.split)) / Number(r.all)).toFixed(1)} %)`;
		return `Breakdowns: ${share(indicators)} indicators split (by gender, derived reach by target group); ${share(measurements)} measurements with categories`;
	} finally {
		await db.close();
	}
}

/** The SQL each endpoint's data costs, replayed alone: the queries the service runs for that selection. */
async function bareSql(endpoint: Endpoint, sels: Selection[]) {
	const captured: CompiledQuery[] = [];
	const db = createDb(url, { onQuery: (e) => captured.push(e.query) });
	const programmes = new Map((await db.db.selectFrom('programmes').selectAll().execute()).map((p) => [p.slug, p]));
	const times: number[] = [];
	for (const s of sels) {
		captured.length = 0;
		const p = programmes.get(s.programme)!;
		const q = { region: s.region, phase: s.phase };
		const funder = funderOf(p.id);
		if (endpoint === 'dashboard') await dashboard({ db: db.db, programme: p, actor: funder }, q);
		else if (endpoint === 'rapport') await report({ db: db.db, programme: p }, q);
		else await loadProgress({ db: db.db, programme: p }, q);
		const queries = [...captured];
		const t = performance.now();
		for (const c of queries) await db.db.executeQuery(CompiledQuery.raw(c.sql, [...c.parameters]));
		times.push(performance.now() - t);
	}
	await db.close();
	return times;
}

async function dashboardJs(url: string, cookie: string): Promise<number | null> {
	if (!existsSync(CHROMIUM)) return null;
	const browser = await launchBrowser();
	const context = await browser.newContext();
	await context.addCookies([{ name: cookie.split('=')[0], value: cookie.split('=')[1], url }]);
	const page = await context.newPage();
	const scripts = new Map<string, Promise<Buffer>>();
	page.on('response', (r) => {
		if (r.request().resourceType() === 'script' || r.url().endsWith('.js')) scripts.set(r.url(), r.body());
	});
	await page.goto(`${url}/p/${syntheticSlug(0)}/dashboard`);
	await page.locator('canvas[data-ready="true"]').first().waitFor();
	let bytes = 0;
	for (const body of scripts.values()) bytes += gzipSync(await body).length;
	await browser.close();
	return bytes / 1024;
}

/**
 * The report PDF of the programme with the most measurements, printed as `npm run report -- --url` does
 * (printReportPdf against the running server), PDF_RUNS times: the times in ms and the pages.
 */
async function reportPdfTimes(serverUrl: string): Promise<{ slug: string; times: number[]; pages: number } | null> {
	if (!existsSync(CHROMIUM)) return null;
	const db = createDb(url);
	try {
		const largest = await db.db
			.selectFrom('measurements as m')
			.innerJoin('indicators as i', 'i.id', 'm.indicator_id')
			.innerJoin('programmes as p', 'p.id', 'i.programme_id')
			.select(['p.slug', db.db.fn.countAll<number>().as('n')])
			.groupBy('p.slug')
			.orderBy('n', 'desc')
			.executeTakeFirstOrThrow();
		const times: number[] = [];
		let pages = 0;
		const out = join(dir, 'report.pdf');
		for (let i = 0; i < PDF_RUNS; i++) {
			const t = performance.now();
			pages = await printReportPdf(db.db, {
				databaseUrl: url,
				programme: largest.slug,
				out,
				baseUrl: serverUrl,
				chromium: CHROMIUM,
				buildDir: 'build'
			});
			times.push(performance.now() - t);
		}
		rmSync(out, { force: true });
		return { slug: `${largest.slug} (${Number(largest.n).toLocaleString('en')} measurements)`, times, pages };
	} finally {
		await db.close();
	}
}

async function main() {
	await ensureDatabase();
	const buildDir = process.env.BUILD_DIR ?? 'build';
	if (!existsSync(join(buildDir, 'index.js'))) {
		log(`${buildDir}/index.js missing: building …`);
		execFileSync('npx', ['vite', 'build'], { stdio: 'inherit', env: process.env });
	}
	const db = createDb(url);
	await db.db.deleteFrom('sessions').execute();
	const admin = await createAccount(db.db, 'admin');
	await db.close();

	const server = await startServer({ DATABASE_URL: url, SEED_ON_EMPTY: 'false', QUERY_STATS: 'true' });
	try {
		if (args.includes('--report-only')) {
			const pdf = await reportPdfTimes(server.url);
			if (!pdf) throw new Error(`Chromium missing (${CHROMIUM}): the report PDF cannot be measured`);
			const ok = Math.max(...pdf.times) < BUDGET.pdfMs;
			log(
				`Report PDF of ${pdf.slug}: ${pdf.pages} pages; ${pdf.times.map((t) => `${(t / 1000).toFixed(2)} s`).join(', ')}`
			);
			log(
				`${ok ? 'PASS' : 'FAIL'}  report PDF < ${BUDGET.pdfMs / 1000} s (slowest ${(Math.max(...pdf.times) / 1000).toFixed(2)} s)`
			);
			process.exitCode = ok ? 0 : 1;
			return;
		}
		const cookie = await signIn((p, init) => fetch(server.url + p, init), admin);
		const sels = selections(REQUESTS);
		// a pooled connection the server closed while idle fails once; ask again on a fresh one
		const get = (path: string) =>
			fetch(server.url + path, { headers: { cookie } }).catch(() =>
				fetch(server.url + path, { headers: { cookie, connection: 'close' } })
			);
		const http = new Map<Endpoint, { times: number[]; queries: number[] }>();
		for (const endpoint of Object.keys(ENDPOINTS) as Endpoint[]) {
			for (const s of sels.slice(0, 20)) await get(ENDPOINTS[endpoint](s)).then((r) => r.arrayBuffer());
			const times: number[] = [];
			const queries: number[] = [];
			for (const s of sels) {
				const t = performance.now();
				const res = await get(ENDPOINTS[endpoint](s));
				await res.arrayBuffer();
				times.push(performance.now() - t);
				if (res.status !== 200) throw new Error(`${ENDPOINTS[endpoint](s)} answered ${res.status}`);
				queries.push(Number(res.headers.get(QUERY_COUNT_HEADER)));
			}
			http.set(endpoint, { times, queries });
		}
		const rows: {
			endpoint: Endpoint;
			p50: number;
			p95: number;
			maxQueries: number;
			minQueries: number;
			sqlP50: number;
			sqlP95: number;
		}[] = [];
		for (const [endpoint, { times, queries }] of http) {
			const sql = await bareSql(endpoint, sels);
			rows.push({
				endpoint,
				p50: percentile(times, 50),
				p95: percentile(times, 95),
				maxQueries: Math.max(...queries),
				minQueries: Math.min(...queries),
				sqlP50: percentile(sql, 50),
				sqlP95: percentile(sql, 95)
			});
		}
		const filtered = await filteredDashboard(get, sels);
		const js = await dashboardJs(server.url, cookie);
		// the overview of all programmes: one page for an admin who sees every programme. The first request
		// computes every programme (cold); before each later one another connection changes one programme
		// (a no-op update, which raises its data version), so each request recomputes one programme and
		// serves the others from the server's cache, as under steady writes.
		const overview: { times: number[]; queries: number[]; cold: number } = { times: [], queries: [], cold: 0 };
		const writer = createDb(url);
		const programmeIds = (await writer.db.selectFrom('programmes').select('id').orderBy('id').execute()).map(
			(p) => p.id
		);
		for (let i = 0; i < OVERVIEW_REQUESTS + 1; i++) {
			if (i > 0) {
				const id = programmeIds[i % programmeIds.length];
				await writer.db
					.updateTable('programmes')
					.set({ name: sql`name` })
					.where('id', '=', id)
					.execute();
			}
			const t = performance.now();
			const res = await get('/overzicht');
			await res.arrayBuffer();
			if (res.status !== 200) throw new Error(`/overzicht answered ${res.status}`);
			if (i === 0) {
				overview.cold = performance.now() - t;
				continue;
			}
			overview.times.push(performance.now() - t);
			overview.queries.push(Number(res.headers.get(QUERY_COUNT_HEADER)));
		}
		await writer.close();

		const pdf = await reportPdfTimes(server.url);
		const share = await breakdownShare();

		const ms = (x: number) => `${x.toFixed(1)} ms`;
		log();
		log(
			`${REQUESTS} requests per endpoint, one client, over HTTP on the built server (${buildDir}); selections rotate over programmes, regions and periods.`
		);
		log('| endpoint | p50 | p95 | SQL queries / request | bare SQL p50 | bare SQL p95 | HTTP ÷ SQL (p50) |');
		log('|---|---|---|---|---|---|---|');
		for (const r of rows)
			log(
				`| ${r.endpoint} | ${ms(r.p50)} | ${ms(r.p95)} | ${r.minQueries === r.maxQueries ? r.maxQueries : `${r.minQueries}–${r.maxQueries}`} | ${ms(r.sqlP50)} | ${ms(r.sqlP95)} | ${(r.p50 / r.sqlP50).toFixed(1)} |`
			);
		log(
			'pending' in filtered
				? `Dashboard filtered by ?${FILTER} (no budget): pending — ${filtered.pending}`
				: `Dashboard filtered by ?${FILTER} (no budget): p50 ${ms(filtered.p50)}, p95 ${ms(filtered.p95)}, ${filtered.minQueries === filtered.maxQueries ? filtered.maxQueries : `${filtered.minQueries}–${filtered.maxQueries}`} SQL queries / request`
		);
		log(share);
		const overviewP95 = percentile(overview.times, 95);
		const overviewQueries = Math.max(...overview.queries);
		log(
			`Overview /overzicht as an admin (${BENCH_SIZE.programmes} programmes, ${OVERVIEW_REQUESTS} requests, one programme changed before each): p50 ${ms(percentile(overview.times, 50))}, p95 ${ms(overviewP95)}, ${overviewQueries} SQL queries; the first request (every programme computed, nothing cached) ${ms(overview.cold)}`
		);
		log(
			`JavaScript for the dashboard (gzipped, charts included): ${js === null ? 'not measured: Chromium missing' : `${js.toFixed(1)} kB`}`
		);
		log(
			pdf === null
				? 'Report PDF: not measured: Chromium missing'
				: `Report PDF of ${pdf.slug}: ${pdf.pages} pages; ${pdf.times.map((t) => `${(t / 1000).toFixed(2)} s`).join(', ')}`
		);
		log();
		const checks = [
			...rows.map((r) => ({
				name: `≤ ${BUDGET.queries} SQL queries per request: ${r.endpoint}`,
				ok: r.maxQueries <= BUDGET.queries,
				value: `${r.maxQueries}`
			})),
			...rows.map((r) => ({
				name: `p95 < ${BUDGET.p95ms} ms: ${r.endpoint}`,
				ok: r.p95 < BUDGET.p95ms,
				value: ms(r.p95)
			})),
			{
				name: `≤ ${BUDGET.overviewQueries} SQL queries: overview of all programmes`,
				ok: overviewQueries <= BUDGET.overviewQueries,
				value: `${overviewQueries}`
			},
			{
				name: `p95 < ${BUDGET.overviewP95ms} ms: overview of all programmes`,
				ok: overviewP95 < BUDGET.overviewP95ms,
				value: ms(overviewP95)
			},
			{
				name: `dashboard JavaScript < ${BUDGET.jsKb} kB gzipped`,
				ok: js !== null && js < BUDGET.jsKb,
				value: js === null ? 'not measured' : `${js.toFixed(1)} kB`
			},
			{
				name: `report PDF of the largest programme < ${BUDGET.pdfMs / 1000} s`,
				ok: pdf !== null && Math.max(...pdf.times) < BUDGET.pdfMs,
				value: pdf === null ? 'not measured' : `slowest ${(Math.max(...pdf.times) / 1000).toFixed(2)} s`
			}
		];
		for (const c of checks) log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name} (${c.value})`);
		process.exitCode = checks.every((c) => c.ok) ? 0 : 1;
	} catch (e) {
		console.error(`server output (last lines):\n${server.output().split('\n').slice(-30).join('\n')}`);
		throw e;
	} finally {
		await server.stop();
	}
}

await main();
