/**
 * `npm run bench:load [-- --seconds N] [--clients N] [--think-ms N] [--database sqlite|postgres]`: the built server under concurrent use,
 * as issue 15 asks. Scenario "postgres": two servers on one fresh PostgreSQL database (TEST_DATABASE_URL's
 * server), the clients spread over both; scenario "sqlite": one server on a fresh SQLite file. Each starts on
 * an empty database with SEED_ON_EMPTY (the demo plans and data), then N clients (default 50) run for the
 * given time (default 60 s), each repeating a mix: the dashboard page as a signed-in funder (half),
 * a measurement posted with a lead's API token (a quarter), an action posted by a signed-in aanjager with an
 * Idempotency-Key (a quarter; one in five is sent again after its answer, like a phone that lost the
 * answer, and one in twenty is sent twice at once, to two servers where there are two). Between requests a
 * client waits `--think-ms` × 0.5–1.5 (default 1000, a load tester's usual one second; 0 sends the next
 * request as soon as the answer is in, which measures saturation rather than 50 people at work).
 *
 * Prints per scenario throughput, p50/p95/max per kind and errors (an unexpected status or a network error),
 * then counts the rows stored by the run and compares them with the writes acknowledged (a resent action
 * counts once). It also prints what the times depend on besides the code: the load average, each server's
 * CPU use and the share of the time it was ready to run but waited for a CPU, and the clients' own
 * event-loop delay. Budgets: 0 errors, stored = acknowledged, dashboard p95 < 300 ms; exits 1 when one is missed.
 * Needs `npm run build` first.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { findProgrammeBySlug } from '../../src/lib/server/repositories/kompas.repository.ts';
import { programmeScope } from '../../src/lib/server/services/measurement.service.ts';
import { createApiToken } from '../../src/lib/server/services/user.service.ts';
import type { DialectName } from '../../src/lib/server/db/create-db.ts';
import { createAccount, signIn, type Account } from '../helpers/accounts.ts';
import { DIALECTS, emptyDb, type TestDb } from '../helpers/databases.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const BUDGET = { dashboardP95ms: 300 };
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
	const i = args.indexOf(`--${name}`);
	const v = i >= 0 ? Number(args[i + 1]) : NaN;
	return Number.isFinite(v) && v >= 0 ? v : fallback;
};
const SECONDS = option('seconds', 60);
const CLIENTS = Math.max(1, Math.floor(option('clients', 50)));
/** a person reads an answer before the next click; 0 sends the next request at once (the servers' saturation) */
const THINK_MS = option('think-ms', 1000);
const SLUGS = ['vleuten-versterkt', 'zkl-onder-druk'];
/** accounts per role and programme; each client signs in as one of them, so a session serves a few clients */
const ACCOUNTS_PER_ROLE = 5;
const KINDS = ['dashboard', 'measurement', 'action', 'action resent', 'action twice at once'] as const;
type Kind = (typeof KINDS)[number];

interface Fixture {
	slug: string;
	funders: string[];
	aanjagers: string[];
	token: string;
	/** numeric, measured indicators × regions: every measurement posted takes the next pair and day */
	pairs: { indicator: string; region: string }[];
	nextSteps: number[];
	regions: string[];
}

/** CPU time a process has used (user + system), from /proc: how busy a server was, whatever else the machine ran. */
const cpuSeconds = (pid: number) => {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
};

/** Time a process was ready to run but waited for a CPU (the scheduler's run-queue wait), from /proc. */
const runQueueSeconds = (pid: number) => Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e9;

const percentile = (xs: number[], p: number) => {
	if (!xs.length) return NaN;
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const ms = (x: number) => (Number.isNaN(x) ? '—' : `${x.toFixed(1)} ms`);
const isoDay = (base: string, days: number) =>
	new Date(new Date(`${base}T00:00:00Z`).getTime() + days * 86_400_000).toISOString().slice(0, 10);

async function fixture(db: TestDb, server: RunningServer, slug: string): Promise<Fixture> {
	const programme = (await findProgrammeBySlug(db.db, slug))!;
	const scope = await programmeScope({ db: db.db, programme });
	const nextSteps = await db.db
		.selectFrom('next_steps')
		.select('id')
		.where('programme_id', '=', programme.id)
		.where('archived_at', 'is', null)
		.orderBy('id')
		.execute();
	const fetcher = (p: string, init: RequestInit) => fetch(`${server.url}${p}`, init);
	const signed = async (role: 'funder' | 'aanjager') => {
		const cookies: string[] = [];
		for (let i = 0; i < ACCOUNTS_PER_ROLE; i++) {
			const account: Account = await createAccount(db.db, { role, programme: slug });
			cookies.push(await signIn(fetcher, account));
		}
		return cookies;
	};
	const token = await createApiToken({ db: db.db, actor: null }, { programme: slug, role: 'lead', name: 'bench-load' });
	if (!token.ok) throw new Error(token.refusal.message);
	const numeric = scope.indicators.filter((i) => !i.derived && (i.unit === 'percent' || i.unit === 'count'));
	return {
		slug,
		funders: await signed('funder'),
		aanjagers: await signed('aanjager'),
		token: token.value.token,
		pairs: numeric.flatMap((i) => scope.regions.map((r) => ({ indicator: i.code, region: r.slug }))),
		nextSteps: nextSteps.map((n) => n.id),
		regions: scope.regions.map((r) => r.slug)
	};
}

interface Run {
	latencies: Record<Kind, number[]>;
	errors: string[];
	/** ids the server acknowledged (2xx with the stored row) */
	measurementIds: Set<number>;
	actionIds: Map<string, number>;
	requests: number;
}

async function drive(servers: RunningServer[], fixtures: Fixture[], runId: string): Promise<Run> {
	const run: Run = {
		latencies: Object.fromEntries(KINDS.map((k) => [k, []])) as unknown as Record<Kind, number[]>,
		errors: [],
		measurementIds: new Set(),
		actionIds: new Map(),
		requests: 0
	};
	// measurements: each (indicator, region, day) once — days before any demo data, so no post is a duplicate
	const measurementSeq = new Map<string, number>();
	let actionSeq = 0;
	const today = new Date().toISOString().slice(0, 10);
	const deadline = Date.now() + SECONDS * 1000;

	const timed = async (kind: Kind, server: RunningServer, path: string, init: RequestInit, ok: number[]) => {
		const t0 = performance.now();
		run.requests++;
		try {
			const res = await fetch(`${server.url}${path}`, init);
			const body = await res.text();
			run.latencies[kind].push(performance.now() - t0);
			if (!ok.includes(res.status)) {
				run.errors.push(`${kind} ${path}: ${res.status} ${body.slice(0, 200)}`);
				return null;
			}
			return { status: res.status, body };
		} catch (e) {
			run.errors.push(`${kind} ${path}: ${(e as Error).message}`);
			return null;
		}
	};

	const client = async (c: number) => {
		const server = servers[c % servers.length];
		const other = servers[(c + 1) % servers.length];
		const fx = fixtures[Math.floor(c / servers.length) % fixtures.length];
		const funder = fx.funders[c % fx.funders.length];
		const aanjager = fx.aanjagers[c % fx.aanjagers.length];
		for (let k = 0; Date.now() < deadline; k++) {
			const pick = (c * 7 + k) % 8;
			if (pick < 4) {
				const region = k % 2 ? `?regio=${fx.regions[k % fx.regions.length]}` : '';
				await timed('dashboard', server, `/p/${fx.slug}/dashboard${region}`, { headers: { cookie: funder } }, [200]);
			} else if (pick < 6) {
				const seq = measurementSeq.get(fx.slug) ?? 0;
				measurementSeq.set(fx.slug, seq + 1);
				const pair = fx.pairs[seq % fx.pairs.length];
				const body = {
					...pair,
					date: isoDay('2000-01-01', Math.floor(seq / fx.pairs.length)),
					value: 10 + (seq % 50),
					source: runId
				};
				const res = await timed(
					'measurement',
					server,
					`/api/v1/programmes/${fx.slug}/measurements`,
					{
						method: 'POST',
						headers: { authorization: `Bearer ${fx.token}`, 'content-type': 'application/json' },
						body: JSON.stringify(body)
					},
					[201]
				);
				if (res) run.measurementIds.add((JSON.parse(res.body) as { id: number }).id);
			} else {
				const key = `${runId}-${c}-${k}`;
				const init = (target: RunningServer): RequestInit => ({
					method: 'POST',
					headers: {
						cookie: aanjager,
						origin: target.url,
						'content-type': 'application/json',
						'idempotency-key': key
					},
					body: JSON.stringify({
						date: isoDay(today, -(k % 28)),
						nextStep: fx.nextSteps[k % fx.nextSteps.length],
						kind: 'gesprek',
						region: fx.regions[(c + k) % fx.regions.length],
						reached: { jongeren: k % 30, ouders: 0, professionals: 1 },
						description: `Belastingtest ${key}`
					})
				});
				const path = `/api/v1/programmes/${fx.slug}/actions`;
				const idOf = (r: { body: string } | null) => (r ? (JSON.parse(r.body) as { id: number }).id : null);
				let id: number | null;
				const nth = actionSeq++;
				if (nth % 20 === 19) {
					const both = await Promise.all([
						timed('action twice at once', server, path, init(server), [200, 201]),
						timed('action twice at once', other, path, init(other), [200, 201])
					]);
					const statuses = both.map((r) => r?.status).sort();
					const ids = both.map(idOf);
					id = ids[0];
					if (both.every(Boolean) && (statuses.join() !== '200,201' || ids[0] !== ids[1]))
						run.errors.push(`action twice at once ${key}: statuses ${statuses}, ids ${ids}`);
				} else {
					id = idOf(await timed('action', server, path, init(server), [201]));
					if (id !== null && nth % 5 === 1) {
						const again = idOf(await timed('action resent', server, path, init(server), [200]));
						if (again !== null && again !== id) run.errors.push(`action resent ${key}: id ${again}, first ${id}`);
					}
				}
				if (id !== null) run.actionIds.set(key, id);
			}
			if (THINK_MS) await new Promise((r) => setTimeout(r, THINK_MS * (0.5 + Math.random())));
		}
	};
	await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
	return run;
}

async function scenario(dialect: DialectName, serverCount: number): Promise<boolean> {
	const name = `${dialect}, ${serverCount} server${serverCount > 1 ? 's' : ''}`;
	const db = await emptyDb(dialect);
	const servers: RunningServer[] = [];
	try {
		const env = { DATABASE_URL: db.url, SEED_ON_EMPTY: 'true' };
		// one after the other: the first seeds the empty database, the next finds it seeded
		for (let i = 0; i < serverCount; i++) servers.push(await startServer(env));
		const fixtures: Fixture[] = [];
		for (const slug of SLUGS) fixtures.push(await fixture(db, servers[0], slug));
		// warm-up, not measured: the first requests of a fresh process compile its code
		for (const s of servers)
			for (const fx of fixtures)
				for (let i = 0; i < 3; i++)
					await (await fetch(`${s.url}/p/${fx.slug}/dashboard`, { headers: { cookie: fx.funders[0] } })).text();
		const runId = `bench-load-${Date.now().toString(36)}`;
		console.log(`\n${name}: ${CLIENTS} clients for ${SECONDS} s${THINK_MS ? `, thinking ~${THINK_MS} ms` : ''}`);
		const cpuBefore = servers.map((s) => cpuSeconds(s.pid));
		const waitBefore = servers.map((s) => runQueueSeconds(s.pid));
		// the clients' own delay: when it is large, the times below include the benchmark waiting for a CPU
		const lag = monitorEventLoopDelay({ resolution: 10 });
		lag.enable();
		const t0 = performance.now();
		const run = await drive(servers, fixtures, runId);
		const seconds = (performance.now() - t0) / 1000;
		lag.disable();
		const busy = servers.map((s, i) => `${((100 * (cpuSeconds(s.pid) - cpuBefore[i])) / seconds).toFixed(0)}%`);
		const waited = servers.map((s, i) => `${((100 * (runQueueSeconds(s.pid) - waitBefore[i])) / seconds).toFixed(0)}%`);

		const storedMeasurements = await db.db
			.selectFrom('measurements')
			.select('id')
			.where('source', '=', runId)
			.execute();
		const storedActions = await db.db
			.selectFrom('actions')
			.select(['id', 'idempotency_key'])
			.where('idempotency_key', 'like', `${runId}-%`)
			.execute();
		const sameIds = (acked: Iterable<number>, stored: { id: number }[]) => {
			const a = [...acked].sort((x, y) => x - y).join();
			return (
				a ===
				stored
					.map((r) => r.id)
					.sort((x, y) => x - y)
					.join()
			);
		};
		const measurementsMatch = sameIds(run.measurementIds, storedMeasurements);
		const actionsMatch = sameIds(run.actionIds.values(), storedActions);

		console.log(
			`  ${run.requests} requests in ${seconds.toFixed(1)} s: ${(run.requests / seconds).toFixed(1)} req/s; server CPU ${busy.join(' + ')} of a core, waiting for a CPU ${waited.join(' + ')} of the time; client event-loop delay p99 ${ms(lag.percentile(99) / 1e6)}`
		);
		for (const kind of KINDS) {
			const xs = run.latencies[kind];
			console.log(
				`  ${kind.padEnd(22)} ${String(xs.length).padStart(6)}  p50 ${ms(percentile(xs, 50)).padStart(9)}  p95 ${ms(percentile(xs, 95)).padStart(9)}  max ${ms(xs.length ? Math.max(...xs) : NaN).padStart(9)}`
			);
		}
		console.log(`  errors: ${run.errors.length}`);
		for (const e of run.errors.slice(0, 10)) console.log(`    ${e}`);
		console.log(
			`  measurements: acknowledged ${run.measurementIds.size}, stored ${storedMeasurements.length}${measurementsMatch ? '' : ' — MISMATCH'}`
		);
		console.log(
			`  actions: acknowledged ${run.actionIds.size} (distinct keys), stored ${storedActions.length}${actionsMatch ? '' : ' — MISMATCH'}`
		);
		const dashboardP95 = percentile(run.latencies.dashboard, 95);
		const misses = [
			run.errors.length > 0 && `${run.errors.length} errors`,
			!measurementsMatch && 'measurements stored ≠ acknowledged',
			!actionsMatch && 'actions stored ≠ acknowledged',
			!(dashboardP95 < BUDGET.dashboardP95ms) && `dashboard p95 ${ms(dashboardP95)} ≥ ${BUDGET.dashboardP95ms} ms`,
			run.measurementIds.size === 0 && 'no measurement acknowledged',
			run.actionIds.size === 0 && 'no action acknowledged'
		].filter(Boolean);
		console.log(misses.length ? `  MISSED: ${misses.join('; ')}` : '  budgets met');
		return misses.length === 0;
	} catch (e) {
		for (const s of servers) console.log(s.output().slice(-3000));
		throw e;
	} finally {
		for (const s of servers) await s.stop();
		await db.drop();
	}
}

const only = args.includes('--database') ? args[args.indexOf('--database') + 1] : null;
if (only !== null && only !== 'sqlite' && only !== 'postgres') throw new Error('--database sqlite|postgres');
if (!DIALECTS.includes('postgres')) console.log('TEST_DATABASE_URL is not set: only the SQLite scenario runs');
const load = () =>
	loadavg()
		.map((x) => x.toFixed(1))
		.join(' ');
console.log(`${cpus().length} cores, load average ${load()} (the machine's other work counts in every figure)`);
let ok = true;
if (DIALECTS.includes('postgres') && only !== 'sqlite') ok = (await scenario('postgres', 2)) && ok;
if (only !== 'postgres') ok = (await scenario('sqlite', 1)) && ok;
console.log(`load average ${load()}`);
console.log(ok ? '\nAll budgets met.' : '\nA budget was missed.');
process.exit(ok ? 0 : 1);
