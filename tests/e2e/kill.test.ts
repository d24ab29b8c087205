import SQLite from 'better-sqlite3';
import { statSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlitePath } from '../../src/lib/server/db/create-db.ts';
import { thrownCode } from '../../src/lib/server/thrown.ts';
import { findProgrammeBySlug } from '../../src/lib/server/repositories/kompas.repository.ts';
import { programmeScope } from '../../src/lib/server/services/measurement.service.ts';
import { createApiToken } from '../../src/lib/server/services/user.service.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { validCsv } from '../helpers/flood-files.ts';
import { loadBothPlans, tableCounts } from '../helpers/plans.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * A server killed with SIGKILL (a crash, the OOM killer, a pulled plug of the container, not of the disk)
 * loses nothing it acknowledged and leaves nothing half-written: in the middle of a burst of measurement and
 * action posts, and in the middle of an import's write. Wherever the kill lands, the assertions hold; each
 * case checks that it did land mid-way (writes acknowledged and others in flight; the import writing and
 * unanswered) and tries again with a new burst or file when it did not.
 */
const SLUG = 'vleuten-versterkt';
const NOW = '2026-11-20T10:00:00Z';
const ATTEMPTS = 3;
const BURST = { writes: 600, concurrency: 16, killAfterAcknowledged: 40 };
const ENV = { SEED_ON_EMPTY: 'false', BODY_SIZE_LIMIT: '64M' };

/** Polls until `condition` holds; fails after a generous deadline, so a slow machine only waits longer. */
async function until(condition: () => Promise<boolean> | boolean, what: string, ms = 60_000) {
	const deadline = Date.now() + ms;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

/** `PRAGMA integrity_check` and the foreign keys of a SQLite file, on a connection of its own. */
function sqliteChecks(url: string) {
	const file = new SQLite(sqlitePath(url));
	try {
		return {
			integrity: file.pragma('integrity_check', { simple: true }),
			foreignKeyViolations: (file.pragma('foreign_key_check') as unknown[]).length
		};
	} finally {
		file.close();
	}
}

describe.each(DIALECTS)('a server killed mid-write on %s', (dialect) => {
	let db: TestDb;
	let server: RunningServer | null = null;
	let cookie = '';
	let token = '';
	let pairs: { indicator: string; region: string }[] = [];
	let nextSteps: number[] = [];
	let regions: { slug: string }[] = [];
	let scope: Awaited<ReturnType<typeof programmeScope>>;

	const start = async () => (server = await startServer({ DATABASE_URL: db.url, ...ENV }, { now: NOW }));
	const api = (path: string, init: RequestInit = {}) => fetch(`${server!.url}/api/v1/programmes/${SLUG}${path}`, init);
	const asLead = () => ({ authorization: `Bearer ${token}` });
	const asAanjager = () => ({ cookie, origin: server!.url });

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db);
		const programme = (await findProgrammeBySlug(db.db, SLUG))!;
		scope = await programmeScope({ db: db.db, programme });
		regions = scope.regions;
		pairs = scope.indicators
			.filter((i) => !i.derived && (i.unit === 'percent' || i.unit === 'count'))
			.flatMap((i) => regions.map((r) => ({ indicator: i.code, region: r.slug })));
		nextSteps = (
			await db.db.selectFrom('next_steps').select('id').where('programme_id', '=', programme.id).execute()
		).map((n) => n.id);
		const t = await createApiToken({ db: db.db, actor: null }, { programme: SLUG, role: 'lead', name: 'kill-test' });
		if (!t.ok) throw new Error(t.refusal.message);
		token = t.value.token;
		const aanjager = await createAccount(db.db, { role: 'aanjager', programme: SLUG });
		await start();
		cookie = await signIn((p, init) => fetch(`${server!.url}${p}`, init), aanjager);
	}, 120_000);
	afterAll(async () => {
		await server?.stop();
		await db?.drop();
	});

	type Acknowledged = { kind: 'measurement' | 'action'; id: number; key: string };

	/** One write of the burst: a measurement (a lead's token) or an action (an aanjager's session). */
	async function write(attempt: number, i: number): Promise<Acknowledged> {
		const key = `kill-${attempt}-${i}`;
		if (i % 2 === 0) {
			const n = attempt * BURST.writes + i;
			const pair = pairs[n % pairs.length];
			const date = new Date(Date.UTC(2001, 0, 1) + Math.floor(n / pairs.length) * 86_400_000).toISOString();
			const res = await api('/measurements', {
				method: 'POST',
				headers: { ...asLead(), 'content-type': 'application/json' },
				body: JSON.stringify({ ...pair, date: date.slice(0, 10), value: i % 100, source: key })
			});
			if (res.status !== 201) throw new Error(`measurement ${key}: ${res.status} ${await res.text()}`);
			return { kind: 'measurement', id: ((await res.json()) as { id: number }).id, key };
		}
		const res = await api('/actions', {
			method: 'POST',
			headers: { ...asAanjager(), 'content-type': 'application/json', 'idempotency-key': key },
			body: JSON.stringify({
				date: '2026-11-12',
				nextStep: nextSteps[i % nextSteps.length],
				kind: 'gesprek',
				region: regions[i % regions.length].slug,
				reached: { jongeren: i % 30, ouders: 0, professionals: 1 },
				description: `Gesprek ${key}`
			})
		});
		if (res.status !== 201) throw new Error(`action ${key}: ${res.status} ${await res.text()}`);
		return { kind: 'action', id: ((await res.json()) as { id: number }).id, key };
	}

	/** The burst, killed once enough writes are acknowledged; which were acknowledged and how many were in flight. */
	async function killedBurst(attempt: number) {
		const acknowledged: Acknowledged[] = [];
		const failed: string[] = [];
		let next = 0;
		let inFlight = 0;
		let killed = false;
		const worker = async () => {
			while (!killed && next < BURST.writes) {
				const i = next++;
				inFlight++;
				try {
					acknowledged.push(await write(attempt, i));
				} catch (e) {
					failed.push((e as Error).message);
				} finally {
					inFlight--;
				}
			}
		};
		const workers = Array.from({ length: BURST.concurrency }, worker);
		await until(() => acknowledged.length >= BURST.killAfterAcknowledged || next >= BURST.writes, 'writes');
		const killedWithInFlight = inFlight;
		await server!.kill();
		killed = true;
		await Promise.all(workers);
		return { acknowledged, failed, killedWithInFlight, sent: next };
	}

	it('should keep every acknowledged write of a burst killed mid-way, and leave no half-written one', async () => {
		let burst: Awaited<ReturnType<typeof killedBurst>> | null = null;
		for (let attempt = 0; attempt < ATTEMPTS && !burst; attempt++) {
			if (attempt > 0) await start();
			const b = await killedBurst(attempt);
			// every failure is the kill's: the connection ended, never a refusal by the server
			for (const f of b.failed) expect(f).toMatch(/fetch failed|ECONNRESET|socket|other side closed|terminated/i);
			// mid-way: some acknowledged, some sent and unanswered (so cut off by the kill), the burst unfinished
			if (b.acknowledged.length > 0 && b.killedWithInFlight > 0 && b.sent < BURST.writes) burst = b;
		}
		expect(burst, 'the kill never landed in the middle of the burst').not.toBeNull();
		const { acknowledged, failed } = burst!;
		expect(failed.length).toBeGreaterThan(0);

		if (dialect === 'sqlite') expect(sqliteChecks(db.url)).toEqual({ integrity: 'ok', foreignKeyViolations: 0 });
		await start();
		for (const a of acknowledged) {
			const res = await (a.kind === 'measurement'
				? api(`/measurements/${a.id}`, { headers: asLead() })
				: api(`/actions/${a.id}`, { headers: asAanjager() }));
			expect(res.status, `${a.kind} ${a.key}`).toBe(200);
			const body = (await res.json()) as { source?: string; description?: string };
			expect(a.kind === 'measurement' ? body.source : body.description).toBe(
				a.kind === 'measurement' ? a.key : `Gesprek ${a.key}`
			);
		}
		// whatever was stored (acknowledged or cut off before its answer) was stored whole: with its audit entry
		const stored = await db.db
			.selectFrom('measurements')
			.select([sql<string>`'measurement'`.as('entity'), 'id'])
			.where('source', 'like', 'kill-%')
			.unionAll(
				db.db
					.selectFrom('actions')
					.select([sql<string>`'action'`.as('entity'), 'id'])
					.where('idempotency_key', 'like', 'kill-%')
			)
			.execute();
		expect(stored.length).toBeGreaterThanOrEqual(acknowledged.length);
		const audited = await db.db
			.selectFrom('audit_log')
			.select(['entity', 'entity_id'])
			.where('action', '=', 'create')
			.where('entity', 'in', ['measurement', 'action'])
			.execute();
		const auditedKeys = new Set(audited.map((a) => `${a.entity}:${a.entity_id}`));
		for (const row of stored) expect(auditedKeys.has(`${row.entity}:${row.id}`), `${row.entity} ${row.id}`).toBe(true);
		// and the restarted server takes writes again
		const res = await api('/measurements', {
			method: 'POST',
			headers: { ...asLead(), 'content-type': 'application/json' },
			body: JSON.stringify({ ...pairs[0], date: '1999-01-01', value: 1 })
		});
		expect(res.status).toBe(201);
	}, 300_000);

	/** A dialect's own sign that the import has begun writing and holds its open transaction. */
	async function importWriting(): Promise<{ check: () => boolean | Promise<boolean>; close: () => void }> {
		if (dialect === 'sqlite') {
			const file = sqlitePath(db.url);
			const walSize = () => statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
			const walBefore = walSize();
			const probe = new SQLite(file);
			probe.pragma('busy_timeout = 0');
			return {
				check: () => {
					try {
						probe.exec('BEGIN IMMEDIATE');
						probe.exec('ROLLBACK');
						return false;
					} catch (e) {
						if (thrownCode(e) !== 'SQLITE_BUSY') throw e;
						// someone holds the write lock, and uncommitted pages spill into the WAL: well inside the write
						return walSize() > walBefore + 1024 * 1024;
					}
				},
				close: () => probe.close()
			};
		}
		const size = async () =>
			Number((await sql<{ n: number }>`select pg_relation_size('measurements') as n`.execute(db.db)).rows[0].n);
		const before = await size();
		// uncommitted rows already extend the table's file: the import's transaction is well under way
		return { check: async () => (await size()) > before + 1024 * 1024, close: () => undefined };
	}

	it('should leave nothing of an import killed while it writes, and change nothing that was there', async () => {
		if (!server || (await fetch(`${server.url}/api/v1/health`).catch(() => null))?.status !== 200) await start();
		const snapshot = async () => ({
			counts: await tableCounts(db),
			measurements: await db.db
				.selectFrom('measurements')
				.select(['id', 'indicator_id', 'region_id', 'date', 'value', 'status', 'version'])
				.orderBy('id')
				.execute()
		});
		let landed = false;
		let before: Awaited<ReturnType<typeof snapshot>> | null = null;
		for (let attempt = 0; attempt < ATTEMPTS && !landed; attempt++) {
			if (attempt > 0) await start();
			before = await snapshot();
			// dates that no earlier attempt used: a file that got through is not refused as a duplicate next time
			const file = validCsv(100_000, scope.indicators, regions, `20${10 + attempt * 5}-12-31`);
			const writing = await importWriting();
			// set by the upload's callback (a holder: the compiler cannot see a callback assign a local)
			const answer: { answered: { status: number; body: string } | null } = { answered: null };
			const upload = api('/measurements/import', {
				method: 'POST',
				headers: { ...asLead(), 'content-type': 'text/csv' },
				body: new Uint8Array(file)
			}).then(
				async (res) => (answer.answered = { status: res.status, body: await res.text() }),
				() => null // the kill cut the connection
			);
			try {
				await until(async () => answer.answered !== null || (await writing.check()), 'the import to write', 120_000);
			} finally {
				writing.close();
			}
			await server!.kill();
			await upload;
			const { answered } = answer;
			if (answered) expect(answered.status, answered.body).toBe(200); // finished before the kill: try again
			landed = answered === null;
		}
		expect(landed, 'the import finished before every kill').toBe(true);

		if (dialect === 'sqlite') expect(sqliteChecks(db.url)).toEqual({ integrity: 'ok', foreignKeyViolations: 0 });
		await start();
		expect(await snapshot()).toEqual(before);
		// the write lock is free again: the restarted server imports
		const res = await api('/measurements/import', {
			method: 'POST',
			headers: { ...asLead(), 'content-type': 'text/csv' },
			body: new Uint8Array(validCsv(10, scope.indicators, regions, '1998-12-31'))
		});
		expect(await res.json()).toEqual({ rows: 10, added: 10, replaced: 0, unchanged: 0 });
	}, 600_000);
});
