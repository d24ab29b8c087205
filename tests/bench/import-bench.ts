/**
 * `npm run bench:import [-- --rows N] [--categories]`: imports a generated measurement file of N rows (default
 * 100,000) — Dutch Excel CSV, plain CSV and XLSX — into a fresh database through the import service (as the CLI
 * and the API do), and prints time, rows per second and peak memory. With TEST_DATABASE_URL set it also
 * runs on PostgreSQL; with a built server ($BUILD_DIR or build/) it also uploads over HTTP. With
 * `--categories` every fifth measured indicator is split by gender and its rows carry two categories (value and
 * n columns, consistent with the total): breakdowns on about 20 % of the rows.
 */
import { createReadStream, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { todayIso } from '../../src/lib/domain/dutch-format.ts';
import { csvStream, xlsxStream, type ExportRow } from '../../src/lib/server/files/measurement-writer.ts';
import { findProgrammeBySlug } from '../../src/lib/server/repositories/kompas.repository.ts';
import { importMeasurements } from '../../src/lib/server/services/measurement-import.service.ts';
import { programmeScope } from '../../src/lib/server/services/measurement.service.ts';
import { DIALECTS, migratedDb, TMP, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans, VLEUTEN } from '../helpers/plans.ts';
import { readPlanFile } from '../../src/lib/server/plan-files.ts';
import { loadPlan } from '../../src/lib/server/services/plan-loader.service.ts';
import type { Dimension } from '../../src/lib/domain/breakdown.ts';
import { categoryHeaders, type ExportCategoryCell } from '../../src/lib/domain/measurement-file-categories.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { startServer } from '../helpers/server.ts';

const { values } = parseArgs({
	options: { rows: { type: 'string', default: '100000' }, categories: { type: 'boolean', default: false } }
});
const ROWS = Number(values.rows);
const CATEGORIES = values.categories;
const GESLACHT: Dimension = {
	key: 'geslacht',
	name: 'Geslacht',
	values: [
		{ key: 'meisje', name: 'Meisje' },
		{ key: 'jongen', name: 'Jongen' },
		{ key: 'anders-onbekend', name: 'Anders/onbekend' }
	]
};
const HEADERS = CATEGORIES ? categoryHeaders([GESLACHT]) : [];

/** Both seed plans; with --categories, Vleuten gains the gender dimension on every fifth measured indicator. */
async function loadPlans(db: TestDb) {
	await loadBothPlans(db);
	if (!CATEGORIES) return;
	const { plan, library } = readPlanFile(VLEUTEN);
	plan.dimensions = [...(plan.dimensions ?? []).filter((d) => d.key !== GESLACHT.key), GESLACHT];
	const programme = (await findProgrammeBySlug(db.db, SLUG))!;
	const split = new Set(
		(await programmeScope({ db: db.db, programme })).indicators
			.filter((i) => !i.derived && i.unit !== 'text')
			.filter((_, i) => i % 5 === 0)
			.map((i) => i.code)
	);
	const walk = (node: unknown): void => {
		if (Array.isArray(node)) node.forEach(walk);
		else if (node && typeof node === 'object') {
			const o = node as Record<string, unknown>;
			if (typeof o.code === 'string' && split.has(o.code)) o.dimensions = [GESLACHT.key];
			Object.values(o).forEach(walk);
		}
	};
	walk(plan);
	await loadPlan(db.db, plan, library);
}

/** Two categories that agree with the total: the same figure on half the respondents each, or a count split in two. */
function categoriesOf(unit: string, value: number, n: number): ExportCategoryCell[] {
	const half = Math.floor(n / 2);
	if (unit === 'count')
		return [{ value: Math.floor(value / 2), n: null }, { value: value - Math.floor(value / 2), n: null }, null];
	return [{ value, n: half }, { value, n: n - half }, null];
}
const SLUG = 'vleuten-versterkt';
mkdirSync(TMP, { recursive: true });

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Peak resident memory while `task` runs, sampled every 20 ms. */
async function measured<T>(
	task: () => Promise<T>
): Promise<{ result: T; seconds: number; peakRss: number; startRss: number }> {
	global.gc?.();
	const startRss = process.memoryUsage().rss;
	let peakRss = startRss;
	const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
	const t0 = performance.now();
	try {
		const result = await task();
		peakRss = Math.max(peakRss, process.memoryUsage().rss);
		return { result, seconds: (performance.now() - t0) / 1000, peakRss, startRss };
	} finally {
		clearInterval(timer);
	}
}

/** N distinct (indicator, region, date) rows over the programme's measured indicators and regions, dated up to today. */
async function* rowsFor(db: TestDb, shift = 0): AsyncGenerator<ExportRow> {
	const programme = (await findProgrammeBySlug(db.db, SLUG))!;
	const scope = await programmeScope({ db: db.db, programme });
	const indicators = scope.indicators.filter((i) => !i.derived);
	const split = new Set((await splitIndicators(db)).map((r) => r.id));
	const regions = scope.regions;
	const today = new Date(`${todayIso()}T00:00:00Z`).getTime();
	let made = 0;
	for (let day = 1; made < ROWS; day++) {
		const date = new Date(today - day * 86_400_000).toISOString().slice(0, 10);
		for (const ind of indicators)
			for (const r of regions) {
				if (made++ >= ROWS) return;
				const v = (made * 7 + shift) % 100;
				const raw = ind.unit === 'percent' ? v + (made % 10) / 10 : ind.unit === 'count' ? v * 3 : v / 10;
				// within the plan's allowed range (value-rules.ts), which an import refuses outside of
				const value = Math.min(ind.rules?.max ?? raw, Math.max(ind.rules?.min ?? raw, raw));
				const n = 20 + (made % 200);
				yield {
					indicator: ind.code,
					region: r.slug,
					date,
					value: ind.unit === 'text' ? null : value,
					text: ind.unit === 'text' ? `Verhaal ${made}: "het helpt; echt"` : null,
					n,
					source: 'Benchmark: gegenereerde rij',
					note: made % 5 === 0 ? 'toelichting met ; en "aanhalingstekens"' : null,
					unit: ind.unit,
					status: 'goedgekeurd',
					staleAfter: null,
					demo: false,
					categories: split.has(ind.id) ? categoriesOf(ind.unit, value, n) : undefined
				};
			}
	}
}

/** The indicators split by a dimension (with --categories). */
const splitIndicators = async (db: TestDb) =>
	(await db.db.selectFrom('indicators').select(['id', 'dimensions']).execute()).filter((r) => r.dimensions !== null);

async function writeFile(db: TestDb, file: string, kind: 'excel-nl' | 'plain' | 'xlsx', shift = 0) {
	const stream =
		kind === 'xlsx' ? xlsxStream(rowsFor(db, shift), HEADERS) : csvStream(rowsFor(db, shift), kind, HEADERS);
	await pipeline(stream, createWriteStream(file));
	return statSync(file).size;
}

function report(
	label: string,
	r: Awaited<ReturnType<typeof measured<Awaited<ReturnType<typeof importMeasurements>>>>>,
	size: number
) {
	if (!r.result.ok) throw new Error(`${label}: refused: ${JSON.stringify(r.result.refusal.issues?.slice(0, 5))}`);
	const res = r.result.value;
	console.log(
		`  ${label.padEnd(34)} ${String(res.rows).padStart(7)} rows  ${r.seconds.toFixed(2).padStart(6)} s  ${Math.round(
			res.rows / r.seconds
		)
			.toString()
			.padStart(
				7
			)} rows/s  file ${mb(size).padStart(8)}  peak RSS ${mb(r.peakRss)} (+${mb(r.peakRss - r.startRss)})  added ${res.added}, replaced ${res.replaced}, unchanged ${res.unchanged}`
	);
}

console.log(
	`bench:import — ${ROWS.toLocaleString('en')} rows${CATEGORIES ? ', gender categories on every fifth measured indicator' : ''}, Node ${process.version}`
);
for (const dialect of DIALECTS) {
	console.log(`\n${dialect}`);
	for (const kind of ['excel-nl', 'plain', 'xlsx'] as const) {
		const db = await migratedDb(dialect);
		const file = join(TMP, `bench-import-${process.pid}.${kind === 'xlsx' ? 'xlsx' : 'csv'}`);
		try {
			await loadPlans(db);
			const programme = (await findProgrammeBySlug(db.db, SLUG))!;
			const size = await writeFile(db, file, kind);
			const run = (replace: boolean) => () =>
				importMeasurements({ db: db.db, programme, operator: true }, createReadStream(file), {
					fileName: file,
					replace
				});
			report(`${kind}: new rows`, await measured(run(false)), size);
			if (kind === 'excel-nl') {
				report(`${kind}: same file again, replace`, await measured(run(true)), size);
				const changed = await writeFile(db, file, kind, 13);
				report(`${kind}: every value changed, replace`, await measured(run(true)), changed);
				const refused = await measured(run(false));
				const r = refused.result;
				const rows = r.ok ? r.value.rows : (r.refusal.counts?.rows ?? 0);
				console.log(
					`  ${'excel-nl: without replace (refused)'.padEnd(34)} ${String(rows).padStart(7)} rows  ${refused.seconds.toFixed(2).padStart(6)} s  ${r.ok ? 'UNEXPECTEDLY ACCEPTED' : `${r.refusal.issues?.length ?? 0} issues listed`}  peak RSS ${mb(refused.peakRss)}`
				);
			}
		} finally {
			await db.drop();
			rmSync(file, { force: true });
		}
	}
}

const entry = `${process.env.BUILD_DIR ?? 'build'}/index.js`;
if (existsSync(entry)) {
	console.log(`\nover HTTP (${entry}, SQLite, BODY_SIZE_LIMIT=64M as in npm start)`);
	const dbFile = join(TMP, `bench-import-http-${process.pid}.db`);
	const file = join(TMP, `bench-import-http-${process.pid}.csv`);
	const server = await startServer({ DATABASE_URL: dbFile, SEED_ON_EMPTY: 'true', BODY_SIZE_LIMIT: '64M' });
	try {
		const db = {
			...(await import('../../src/lib/server/db/create-db.ts')).createDb(dbFile),
			url: dbFile,
			drop: async () => {}
		};
		const cookie = await signIn(
			(p, init) => fetch(server.url + p, init),
			await createAccount(db.db, { role: 'lead', programme: SLUG })
		);
		const size = await writeFile(db, file, 'excel-nl');
		await db.close();
		const t0 = performance.now();
		const res = await fetch(`${server.url}/api/v1/programmes/${SLUG}/measurements/import?replace=true`, {
			method: 'POST',
			headers: { cookie, origin: server.url, 'content-type': 'text/csv' },
			body: createReadStream(file) as unknown as BodyInit,
			duplex: 'half'
		} as RequestInit);
		const body = await res.json();
		console.log(
			`  POST …/measurements/import: HTTP ${res.status}, ${mb(size)} in ${((performance.now() - t0) / 1000).toFixed(2)} s → ${JSON.stringify(body).slice(0, 200)}`
		);
	} finally {
		await server.stop();
		for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`, file]) rmSync(f, { force: true });
	}
} else console.log(`\n(no built server at ${entry}: skipped the HTTP upload; run npm run build first)`);
writeFileSync(join(TMP, '.bench-import-done'), new Date().toISOString());
