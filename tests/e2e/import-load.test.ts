import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIso } from '../../src/lib/domain/dutch-format.ts';
import { findProgrammeBySlug } from '../../src/lib/server/repositories/kompas.repository.ts';
import { programmeScope } from '../../src/lib/server/services/measurement.service.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { floodCsv, validCsv } from '../helpers/flood-files.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const SLUG = 'vleuten-versterkt';

/** A chunked POST (no Content-Length) of `megabytes` MB, on its own connection; the status and body. */
function chunkedPost(
	url: string,
	headers: Record<string, string>,
	megabytes: number
): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const req = request(
			url,
			{ method: 'POST', agent: false, headers: { ...headers, 'transfer-encoding': 'chunked' } },
			(res) => {
				let body = '';
				res.setEncoding('utf8');
				res.on('data', (d) => (body += d));
				res.on('end', () => resolve({ status: res.statusCode!, body }));
			}
		);
		// the server may answer and close before all is sent
		req.on('error', (e) => (e.message.includes('EPIPE') || e.message.includes('ECONNRESET') ? undefined : reject(e)));
		const chunk = Buffer.alloc(1024 * 1024, 'x');
		let sent = 0;
		const write = () => {
			while (sent < megabytes) {
				sent++;
				if (!req.write(chunk)) return req.once('drain', write);
			}
			req.end();
		};
		write();
	});
}

describe.each(DIALECTS)('imports against the built server on %s', (dialect) => {
	let db: TestDb;
	let server: RunningServer;
	let cookie = '';
	let body100k: Buffer;

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db);
		const account = await createAccount(db.db, { role: 'lead', programme: SLUG });
		const scope = await programmeScope({ db: db.db, programme: (await findProgrammeBySlug(db.db, SLUG))! });
		body100k = validCsv(100_000, scope.indicators, scope.regions, todayIso());
		server = await startServer({ DATABASE_URL: db.url, SEED_ON_EMPTY: 'false', BODY_SIZE_LIMIT: '64M' });
		cookie = await signIn((p, init) => fetch(`${server.url}${p}`, init), account);
	}, 120_000);
	afterAll(async () => {
		await server?.stop();
		await db?.drop();
	});

	const importCsv = (body: Buffer) =>
		fetch(`${server.url}/api/v1/programmes/${SLUG}/measurements/import`, {
			method: 'POST',
			headers: { cookie, origin: server.url, 'content-type': 'text/csv' },
			body: new Uint8Array(body)
		});

	it('should answer health checks while a 100,000-row import is read and written', async () => {
		let finished = false;
		const imported = importCsv(body100k).then(async (res) => {
			finished = true;
			return { status: res.status, body: await res.json() };
		});
		const answeredDuring: number[] = [];
		while (!finished) {
			const res = await fetch(`${server.url}/api/v1/health`);
			expect(res.status).toBe(200);
			await res.arrayBuffer();
			if (!finished) answeredDuring.push(Date.now());
			await new Promise((r) => setTimeout(r, 50));
		}
		expect(await imported).toEqual({ status: 200, body: { rows: 100_000, added: 100_000, replaced: 0, unchanged: 0 } });
		// more than one: the server answered again and again while the import ran, not once at its start
		expect(answeredDuring.length).toBeGreaterThan(3);
	}, 180_000);

	it('should refuse a flood of 200,000 wrong rows with a body under 100 kB, and keep answering', async () => {
		const res = await importCsv(floodCsv(200_000));
		const text = await res.text();
		expect(res.status).toBe(422);
		expect(Buffer.byteLength(text)).toBeLessThan(100_000);
		expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(200);
	}, 120_000);

	it('should answer a chunked upload over 64 MB with 413: JSON from the API, a Dutch message from the page', async () => {
		const api = await chunkedPost(
			`${server.url}/api/v1/programmes/${SLUG}/measurements/import`,
			{ cookie, origin: server.url, 'content-type': 'text/csv' },
			70
		);
		expect(api.status).toBe(413);
		expect(JSON.parse(api.body)).toEqual({ error: { code: 'payload_too_large', message: 'Het verzoek is te groot.' } });
		const page = await chunkedPost(
			`${server.url}/p/${SLUG}/metingen/import`,
			{
				cookie,
				origin: server.url,
				'content-type': 'multipart/form-data; boundary=x',
				accept: 'application/json',
				'x-sveltejs-action': 'true'
			},
			70
		);
		expect(page.status).toBe(413);
		expect(page.body).toContain('Het bestand is te groot voor deze server (hoogstens 64 MB)');
		expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(200);
	}, 120_000);
});
