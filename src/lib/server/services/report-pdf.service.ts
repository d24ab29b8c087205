import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { hashToken, newToken } from '../auth/tokens.ts';
import { findProgrammeBySlug } from '../repositories/kompas.repository.ts';
import { deleteSession, insertSession } from '../repositories/session.repository.ts';
import { listUsers } from '../repositories/user.repository.ts';
import { SESSION_COOKIE } from './auth.service.ts';
import { report } from './report.service.ts';

/**
 * The funder report as a PDF: the report page printed by Chromium (A4, the page's print stylesheet).
 * Reads through a short-lived session of an active admin, removed afterwards; uses a running server
 * (`baseUrl`) or starts the built one against the same database.
 */
export interface PdfRequest {
	databaseUrl: string;
	programme: string;
	region?: string;
	phase?: string;
	out: string;
	baseUrl?: string;
	chromium: string;
	buildDir: string;
}

export class PdfError extends Error {}

const freePort = () =>
	new Promise<number>((ok, fail) => {
		const srv = createServer();
		srv.listen(0, '127.0.0.1', () => {
			const address = srv.address();
			// listening on a TCP port, the address is never a pipe's name
			if (address === null || typeof address === 'string') return fail(new Error('geen poort gekregen'));
			srv.close(() => ok(address.port));
		});
		srv.on('error', fail);
	});

async function startBuiltServer(req: PdfRequest): Promise<{ url: string; stop: () => void }> {
	const entry = resolve(req.buildDir, 'index.js');
	if (!existsSync(entry))
		throw new PdfError(
			`De gebouwde server ontbreekt (${entry}): draai eerst npm run build, of geef --url van een draaiende server.`
		);
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	let output = '';
	const child: ChildProcess = spawn(process.execPath, [entry], {
		env: {
			...process.env,
			DATABASE_URL: req.databaseUrl,
			SEED_ON_EMPTY: 'false',
			HOST: '127.0.0.1',
			PORT: String(port),
			ORIGIN: url
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout!.on('data', (d) => (output += d));
	child.stderr!.on('data', (d) => (output += d));
	for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
		if (child.exitCode !== null) throw new PdfError(`De server stopte meteen:\n${output}`);
		if (
			await fetch(`${url}/api/v1/health`)
				.then((r) => r.ok)
				.catch(() => false)
		)
			return { url, stop: () => child.kill('SIGTERM') };
		await new Promise((r) => setTimeout(r, 100));
	}
	child.kill('SIGTERM');
	throw new PdfError(`De server startte niet binnen een minuut:\n${output}`);
}

/** Writes the PDF; returns the number of pages. Everything missing is said in a PdfError. */
export async function printReportPdf(db: Kysely<Database>, req: PdfRequest): Promise<number> {
	if (!existsSync(req.chromium))
		throw new PdfError(
			`Chromium ontbreekt (gezocht: ${req.chromium}). Installeer het (bijv. apt-get install -y chromium) of wijs het aan met CHROMIUM_PATH. Zonder Chromium kan het rapport ook vanuit de browser als PDF worden afgedrukt.`
		);
	const playwright = await import('playwright-core').catch(() => null);
	if (!playwright)
		throw new PdfError(
			'Het pakket playwright-core ontbreekt: installeer de ontwikkelpakketten (npm install) om PDF’s te maken.'
		);

	const programme = await findProgrammeBySlug(db, req.programme);
	if (!programme) throw new PdfError(`Onbekend programma: ${req.programme}`);
	const check = await report({ db, programme }, { region: req.region, phase: req.phase });
	if (!check.ok) throw new PdfError(check.refusal.message);
	const admin = (await listUsers(db)).find((u) => u.is_admin === 1 && !u.disabled_at);
	if (!admin)
		throw new PdfError(
			'Er is geen actieve beheerder om het rapport mee te lezen: maak er een met npm run user:add -- --admin …'
		);

	const token = newToken();
	const now = Date.now();
	await insertSession(db, {
		user_id: admin.id,
		token_hash: hashToken(token),
		created_at: new Date(now).toISOString(),
		last_seen_at: new Date(now).toISOString(),
		expires_at: new Date(now + 10 * 60_000).toISOString()
	});
	const server = req.baseUrl ? { url: req.baseUrl.replace(/\/$/, ''), stop: () => {} } : await startBuiltServer(req);
	const browser = await playwright.chromium.launch({
		executablePath: req.chromium,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run']
	});
	try {
		const context = await browser.newContext();
		await context.addCookies([{ name: SESSION_COOKIE, value: token, url: server.url }]);
		const page = await context.newPage();
		const query = new URLSearchParams([
			...(req.region ? [['regio', req.region]] : []),
			...(req.phase ? [['fase', req.phase]] : [])
		]);
		const res = await page.goto(`${server.url}/p/${programme.slug}/rapport?${query}`, { waitUntil: 'networkidle' });
		if (!res || res.status() !== 200) throw new PdfError(`Het rapport gaf status ${res?.status()} (${page.url()})`);
		await page.emulateMedia({ media: 'print' });
		const pdf = await page.pdf({
			path: join(req.out),
			format: 'A4',
			printBackground: true,
			preferCSSPageSize: true,
			displayHeaderFooter: true,
			headerTemplate: '<span></span>',
			footerTemplate: `<div style="font-size:8px;width:100%;text-align:center;color:#555">${programme.name.replace(/[<>&]/g, '')} · pagina <span class="pageNumber"></span> van <span class="totalPages"></span></div>`
		});
		return (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
	} finally {
		await browser.close();
		server.stop();
		await deleteSession(db, hashToken(token));
	}
}
