/**
 * `npm run bench:abuse`: replays the hostile imports of issue 11 against the built server (SQLite, and
 * PostgreSQL when TEST_DATABASE_URL is set) and prints per upload: status, answer size, time, the server's
 * peak resident memory and the slowest `GET /api/v1/health` sent meanwhile (one after another, all the
 * time). Budgets: a refusal's body < 100 kB, peak RSS < 400 MB, every health check < 500 ms; exits 1
 * when one is missed. Needs `npm run build` first.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { todayIso } from '../../src/lib/domain/dutch-format.ts';
import { findProgrammeBySlug } from '../../src/lib/server/repositories/kompas.repository.ts';
import { programmeScope } from '../../src/lib/server/services/measurement.service.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb } from '../helpers/databases.ts';
import { floodCsv, validCsv, wideHeaderCsv, xlsxWithEmptyRows, xlsxWithHugeCell } from '../helpers/flood-files.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const BUDGET = { refusalBytes: 100_000, rssBytes: 400 * 1024 * 1024, healthMs: 500 };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const SLUG = 'vleuten-versterkt';

const rssOf = (pid: number) =>
	Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;

interface Case {
	name: string;
	body: () => Promise<Buffer> | Buffer;
	type: string;
	/** the status that is right for it */
	expect: number;
}

/**
 * One request on its own connection: the server closes a connection whose upload it refused before reading
 * it all, and fetch's pooled connections would then fail the next request for reasons of the client.
 */
function send(
	url: string,
	method: string,
	headers: Record<string, string>,
	body?: Buffer
): Promise<{ status: number; body: Buffer }> {
	return new Promise((resolve, reject) => {
		const req = request(
			url,
			{ method, agent: false, headers: body ? { ...headers, 'content-length': String(body.length) } : headers },
			(res) => {
				const parts: Buffer[] = [];
				res.on('data', (d: Buffer) => parts.push(d));
				res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(parts) }));
				res.on('error', reject);
			}
		);
		req.on('error', (e) => (/EPIPE|ECONNRESET/.test(e.message) ? undefined : reject(e)));
		req.end(body);
	});
}

async function runCase(server: RunningServer, cookie: string, c: Case) {
	const body = await c.body();
	let peak = rssOf(server.pid);
	let slowest = 0;
	let healthChecks = 0;
	let running = true;
	const sampler = setInterval(() => (peak = Math.max(peak, rssOf(server.pid))), 10);
	const prober = (async () => {
		while (running) {
			const t0 = performance.now();
			const res = await send(`${server.url}/api/v1/health`, 'GET', {});
			if (res.status !== 200) throw new Error(`health answered ${res.status}`);
			slowest = Math.max(slowest, performance.now() - t0);
			healthChecks++;
			await new Promise((r) => setTimeout(r, 20));
		}
	})();
	const t0 = performance.now();
	const res = await send(
		`${server.url}/api/v1/programmes/${SLUG}/measurements/import`,
		'POST',
		{ cookie, origin: server.url, 'content-type': c.type },
		body
	);
	const answer = res.body;
	const seconds = (performance.now() - t0) / 1000;
	running = false;
	await prober;
	clearInterval(sampler);
	peak = Math.max(peak, rssOf(server.pid));
	const refused = res.status !== 200;
	const misses = [
		res.status !== c.expect && `status ${res.status}, expected ${c.expect}`,
		refused && answer.length >= BUDGET.refusalBytes && `refusal body ${answer.length} B`,
		peak >= BUDGET.rssBytes && `peak RSS ${mb(peak)}`,
		slowest >= BUDGET.healthMs && `health ${slowest.toFixed(0)} ms`
	].filter(Boolean);
	const first = refused
		? ((JSON.parse(answer.toString()) as { error: { issues?: { message: string }[]; message: string } }).error
				.issues?.[0]?.message ?? '')
		: '';
	console.log(
		`  ${c.name.padEnd(34)} ${String(res.status).padEnd(4)} ${`${(answer.length / 1024).toFixed(1)} kB`.padStart(9)} ${`${seconds.toFixed(2)} s`.padStart(8)}  peak ${mb(peak).padStart(7)}  health max ${`${slowest.toFixed(0)} ms`.padStart(7)} (${healthChecks})  upload ${mb(body.length)}${misses.length ? `  MISSED: ${misses.join(', ')}` : ''}`
	);
	if (first) console.log(`      ${first.slice(0, 150)}`);
	return misses.length === 0;
}

let ok = true;
for (const dialect of DIALECTS) {
	const db = await migratedDb(dialect);
	let server: RunningServer | null = null;
	try {
		await loadBothPlans(db);
		const account = await createAccount(db.db, { role: 'lead', programme: SLUG });
		const programme = (await findProgrammeBySlug(db.db, SLUG))!;
		const scope = await programmeScope({ db: db.db, programme });
		const today = todayIso();
		server = await startServer({ DATABASE_URL: db.url, SEED_ON_EMPTY: 'false', BODY_SIZE_LIMIT: '64M' });
		const cookie = await signIn((p, init) => fetch(`${server!.url}${p}`, init), account);
		console.log(`\n${dialect}: server pid ${server.pid}, idle RSS ${mb(rssOf(server.pid))}`);
		const cases: Case[] = [
			{ name: 'CSV header + 200,000 lines of x', body: () => floodCsv(200_000), type: 'text/csv', expect: 422 },
			{ name: 'CSV header + 2,000,000 lines of x', body: () => floodCsv(2_000_000), type: 'text/csv', expect: 422 },
			{ name: 'XLSX with one 400 MB cell', body: () => xlsxWithHugeCell(400_000_000), type: XLSX, expect: 422 },
			{ name: 'XLSX with 30,000,000 empty rows', body: () => xlsxWithEmptyRows(30_000_000), type: XLSX, expect: 422 },
			{ name: 'CSV header of 2,000,000 columns', body: () => wideHeaderCsv(2_000_000), type: 'text/csv', expect: 422 },
			{
				name: 'valid CSV of 100,000 rows',
				body: () => validCsv(100_000, scope.indicators, scope.regions, today),
				type: 'text/csv',
				expect: 200
			}
		];
		for (const c of cases) {
			try {
				ok = (await runCase(server, cookie, c)) && ok;
			} catch (e) {
				console.log(`  ${c.name}: ${(e as Error).message}\n${server.output().slice(-3000)}`);
				throw e;
			}
		}
		console.log(`  idle RSS after the imports: ${mb(rssOf(server.pid))}`);
	} finally {
		await server?.stop();
		await db.drop();
	}
}
console.log(ok ? '\nAll budgets met.' : '\nA budget was missed.');
process.exit(ok ? 0 : 1);
