import { mkdirSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../src/lib/server/api/app.ts';
import { bootstrap } from '../../src/lib/server/bootstrap.ts';
import { exclusiveWriter } from '../../src/lib/server/db/create-db.ts';
import { readEnv } from '../../src/lib/server/env.ts';
import { IMPORT_LIMITS, NUL_REFUSAL } from '../../src/lib/domain/measurement-import.ts';
import { SPOOL_DIR, STALE_SPOOL_MS } from '../../src/lib/server/files/xlsx-first-sheet.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { DIALECTS, emptyDb, migratedDb, type TestDb } from '../helpers/databases.ts';
import { floodCsv, wideHeaderCsv, xlsxWithEmptyRows, xlsxWithHugeCell } from '../helpers/flood-files.ts';
import { loadBothPlans, tableCounts } from '../helpers/plans.ts';
import type { Json } from '../helpers/client.ts';

const VV = '/api/v1/programmes/vleuten-versterkt';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEADER = 'indicator,region,date,value,n,source,note';

describe.each(DIALECTS)('import limits and rights on %s', (dialect) => {
	let db: TestDb;
	let api: ReturnType<typeof createApi>;
	const cookies = { lead: '', aanjager: '', other: '' };
	const upload = async (who: keyof typeof cookies, file: string | Buffer, type = 'text/csv', query = '') => {
		const body = typeof file === 'string' ? file : new Uint8Array(file);
		const res = await api.request(`${VV}/measurements/import${query}`, {
			method: 'POST',
			headers: { cookie: cookies[who], origin: 'http://localhost', 'content-type': type },
			body
		});
		const text = await res.text();
		return { status: res.status, size: Buffer.byteLength(text), body: JSON.parse(text) as Json };
	};
	const refusedWith = async (r: Awaited<ReturnType<typeof upload>>, message: RegExp | string) => {
		expect(r.status).toBe(422);
		expect(r.body.error.code).toBe('import_refused');
		expect(r.body.error.issues.map((i: any) => i.message)).toContainEqual(
			typeof message === 'string' ? message : expect.stringMatching(message)
		);
	};

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db);
		api = createApi(db);
		const fetcher = (p: string, init: RequestInit) => Promise.resolve(api.request(p, init));
		cookies.lead = await signIn(fetcher, await createAccount(db.db, { role: 'lead', programme: 'vleuten-versterkt' }));
		cookies.aanjager = await signIn(
			fetcher,
			await createAccount(db.db, { role: 'aanjager', programme: 'vleuten-versterkt' })
		);
		cookies.other = await signIn(
			fetcher,
			await createAccount(db.db, { role: 'aanjager', programme: 'vleuten-versterkt' })
		);
	});
	afterAll(async () => db?.drop());

	it('should answer 200,000 wrong rows with the first 200 problems and the rest counted per kind, in a small body', async () => {
		const before = await tableCounts(db);
		const r = await upload('lead', floodCsv(IMPORT_LIMITS.rows));
		expect(r.status).toBe(422);
		expect(r.size).toBeLessThan(100_000);
		// each row of "x" misses region, date and value and names an unknown indicator: 4 problems a row
		expect(r.body.error.message).toBe('Het bestand is geweigerd: 800.000 problemen. Er is niets geïmporteerd.');
		const issues = r.body.error.issues as { row: number; column: string; message: string }[];
		expect(issues.filter((i) => i.row > 0)).toHaveLength(IMPORT_LIMITS.listedIssues);
		expect(issues.find((i) => i.row === 0 && i.column === 'date')?.message).toBe(
			'en nog 199.950 rijen met dezelfde fout (rij 52 t/m 200.001), zoals rij 52: datum ontbreekt'
		);
		expect(issues).toHaveLength(IMPORT_LIMITS.listedIssues + 4);
		expect(await tableCounts(db)).toEqual(before);
	});

	it('should stop at the row, line and column limits with a Dutch message', async () => {
		await refusedWith(
			await upload('lead', floodCsv(IMPORT_LIMITS.rows + 1)),
			'het bestand heeft meer dan 200.000 rijen met metingen; splits het in kleinere bestanden'
		);
		const wide = await upload('lead', wideHeaderCsv(2_000_000));
		await refusedWith(wide, 'regel 1 is langer dan 16.000 tekens; zo lang kan een rij met metingen niet zijn');
		expect(wide.size).toBeLessThan(1_000);
		await refusedWith(
			await upload('lead', `${HEADER}${',x'.repeat(IMPORT_LIMITS.columns)}\n`),
			/^rij 1: een rij heeft meer dan 212 kolommen$/
		);
		await refusedWith(
			await upload(
				'lead',
				`${HEADER}\nVV-T1-AANDACHT,obs-haarzicht,2025-02-03,40,,,"${'a'.repeat(IMPORT_LIMITS.cellChars + 1)}"\n`
			),
			'rij 2: een cel is langer dan 5.000 tekens'
		);
	});

	it('should refuse an XLSX with one huge cell or millions of empty rows without unpacking it', async () => {
		const huge = await upload('lead', await xlsxWithHugeCell(50_000_000), XLSX);
		await refusedWith(huge, 'een cel is langer dan 5.000 tekens');
		expect(huge.size).toBeLessThan(1_000);
		await refusedWith(
			await upload('lead', await xlsxWithEmptyRows(1_000_000), XLSX),
			'het bestand heeft meer dan 200.000 rijen met metingen; splits het in kleinere bestanden'
		);
	});

	it('should quote at most 80 characters of a cell in a refusal', async () => {
		const r = await upload('lead', `${HEADER}\n${'Q'.repeat(4000)},obs-haarzicht,2025-02-03,40,,,\n`);
		const message = r.body.error.issues.find((i: any) => i.column === 'indicator').message as string;
		expect(message).toBe(`onbekende indicator ${'Q'.repeat(80)}… in dit programma`);
	});

	it('should refuse a NUL character in any cell and an n beyond the integer column, alike on both databases', async () => {
		const before = await tableCounts(db);
		const nul = await upload('lead', `${HEADER}\nVV-T1-AANDACHT,obs-haarzicht,2025-02-03,40,,,een\u0000notitie\n`);
		expect(nul.status).toBe(422);
		expect(nul.body.error.issues).toEqual([{ path: '2.note', row: 2, column: 'note', message: NUL_REFUSAL }]);
		const big = await upload('lead', `${HEADER}\nVV-T1-AANDACHT,obs-haarzicht,2025-02-03,40,2147483648,,\n`);
		expect(big.body.error.issues).toEqual([
			{ path: '2.n', row: 2, column: 'n', message: 'n is hoogstens 2.147.483.647 (niet 2147483648)' }
		]);
		expect(await tableCounts(db)).toEqual(before);
		const largest = await upload('lead', `${HEADER}\nVV-T1-AANDACHT,obs-haarzicht,2025-02-03,40,2147483647,,\n`);
		expect(largest.body).toEqual({ rows: 1, added: 1, replaced: 0, unchanged: 0 });
	});

	it("should let an aanjager replace only what they could edit: not another person's measurement, not an approved one", async () => {
		const mine = `${HEADER}\nVV-T1-AANDACHT,limus-college,2025-03-04,11,,,eerste\n`;
		expect((await upload('aanjager', mine)).body).toEqual({ rows: 1, added: 1, replaced: 0, unchanged: 0 });
		const theirs = await upload(
			'other',
			`${HEADER}\nVV-T1-AANDACHT,limus-college,2025-03-04,66,,,\n`,
			'text/csv',
			'?replace=true'
		);
		expect(theirs.status).toBe(422);
		expect(theirs.body.error.issues).toEqual([
			{
				path: '2',
				row: 2,
				column: '',
				message:
					'vervangt een meting die iemand anders heeft ingevoerd; alleen die persoon of een projectleider mag haar wijzigen'
			}
		]);
		const kept = await db.db
			.selectFrom('measurements')
			.select(['value', 'note', 'status'])
			.where('date', '=', '2025-03-04')
			.execute();
		expect(kept).toEqual([{ value: 11, note: 'eerste', status: 'submitted' }]);
		// the author may replace their own, unapproved measurement; a lead may replace anything
		expect(
			(
				await upload(
					'aanjager',
					`${HEADER}\nVV-T1-AANDACHT,limus-college,2025-03-04,12,,,tweede\n`,
					'text/csv',
					'?replace=true'
				)
			).body
		).toMatchObject({ replaced: 1 });
		expect(
			(await upload('lead', `${HEADER}\nVV-T1-AANDACHT,limus-college,2025-03-04,13,,,\n`, 'text/csv', '?replace=true'))
				.body
		).toMatchObject({ replaced: 1 });
		// now approved (a lead's import): its author may no longer replace it either
		const approved = await upload(
			'aanjager',
			`${HEADER}\nVV-T1-AANDACHT,limus-college,2025-03-04,14,,,\n`,
			'text/csv',
			'?replace=true'
		);
		expect(approved.body.error.issues[0].message).toBe(
			'vervangt een goedgekeurde meting; dat kan alleen een projectleider'
		);
	});

	it('should answer a chunked upload over the limit with 413 in the JSON error shape', async () => {
		const chunk = new Uint8Array(1024 * 1024).fill(0x78);
		let sent = 0;
		const body = new ReadableStream<Uint8Array>({
			pull(controller) {
				if (sent++ > 65) controller.close();
				else controller.enqueue(chunk);
			}
		});
		const res = await api.request(`${VV}/measurements/import`, {
			method: 'POST',
			headers: {
				cookie: cookies.lead,
				origin: 'http://localhost',
				'content-type': 'text/csv',
				'transfer-encoding': 'chunked'
			},
			body,
			duplex: 'half'
		} as RequestInit);
		expect(res.status).toBe(413);
		expect(await res.json()).toEqual({ error: { code: 'payload_too_large', message: 'Het verzoek is te groot.' } });
	});
});

describe('stale import spools', () => {
	it('should be removed at server start, while a recent one stays', async () => {
		mkdirSync(SPOOL_DIR, { recursive: true });
		const stale = join(SPOOL_DIR, `test-${process.pid}-stale.xlsx.spool`);
		const fresh = join(SPOOL_DIR, `test-${process.pid}-fresh.xlsx.spool`);
		writeFileSync(stale, 'PK');
		writeFileSync(fresh, 'PK');
		const old = new Date(Date.now() - STALE_SPOOL_MS - 60_000);
		utimesSync(stale, old, old);
		const db = await emptyDb('sqlite');
		const lines: string[] = [];
		const started = await bootstrap(readEnv({ DATABASE_URL: db.url, SEED_ON_EMPTY: 'false' }), {
			log: (l) => lines.push(l)
		});
		await started.close();
		await db.drop();
		expect([existsSync(stale), existsSync(fresh)]).toEqual([false, true]);
		expect(lines.some((l) => /achtergebleven importbestand/.test(l))).toBe(true);
	});
});

describe('the SQLite import connection', () => {
	it("should let the server's connection read while an import writes, and hold its writes until the import commits", async () => {
		const db = await migratedDb('sqlite');
		try {
			await loadBothPlans(db);
			const writer = exclusiveWriter(db.db)!;
			const events: string[] = [];
			let write: Promise<unknown> = Promise.resolve();
			await writer(async (tx) => {
				await tx
					.updateTable('programmes')
					.set({ name: 'Tijdens import' })
					.where('slug', '=', 'zkl-onder-druk')
					.execute();
				// a read answers at once, and sees the last commit, not the import's uncommitted change
				const read = await db.db
					.selectFrom('programmes')
					.select('name')
					.where('slug', '=', 'zkl-onder-druk')
					.executeTakeFirstOrThrow();
				events.push(`read ${read.name === 'Tijdens import' ? 'uncommitted' : 'committed'}`);
				write = db.db.transaction().execute(async (t) => {
					await t.updateTable('programmes').set({ name: 'Daarna' }).where('slug', '=', 'vleuten-versterkt').execute();
					events.push('write done');
				});
				await new Promise((r) => setTimeout(r, 100));
				events.push('import commits');
			});
			await write;
			expect(events).toEqual(['read committed', 'import commits', 'write done']);
			const names = await db.db.selectFrom('programmes').select(['slug', 'name']).orderBy('slug').execute();
			expect(names.map((p) => p.name)).toEqual(['Daarna', 'Tijdens import']);
		} finally {
			await db.drop();
		}
	});
});
