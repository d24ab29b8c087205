import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { hashToken, newToken } from '../auth/tokens.ts';
import { findProgrammeBySlug } from '../repositories/kompas.repository.ts';
import { deleteSession, insertSession } from '../repositories/session.repository.ts';
import { listUsers } from '../repositories/user.repository.ts';
import { SESSION_COOKIE } from './auth.service.ts';
import { report, type ReportView } from './report.service.ts';
import { env } from '../env.ts';
import { plural } from '../../domain/dutch-format.ts';
import type { ProgrammeContext } from '../request-context.ts';
import { ok, refuse, type Refused, type Result } from '../../domain/result.ts';
import { logError } from '../log.ts';

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

export class PdfError extends Error {
	/** something the server lacks (Chromium, playwright-core): trying again does not help */
	constructor(
		message: string,
		readonly missing = false
	) {
		super(message);
	}
}

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

/** What is missing to print with Chromium, in Dutch; null when it is there. */
export function chromiumMissing(chromium: string): string | null {
	return existsSync(chromium)
		? null
		: `Chromium ontbreekt op de server (gezocht: ${chromium}). Installeer het (bijv. apt-get install -y chromium) of wijs het aan met CHROMIUM_PATH.`;
}

/**
 * playwright-core, an optional dependency, required at run time: a bundler would fold even `import(name)` into
 * a chunk of its own (the built server then failed to load it), and a require through createRequire it leaves alone.
 */
async function playwrightCore(): Promise<typeof import('playwright-core') | null> {
	try {
		return createRequire(import.meta.url)('playwright-core') as typeof import('playwright-core');
	} catch {
		return null;
	}
}

/** "Vleuten Versterkt · Vleuten-De Meern · Oktober 2026-2027": what the footer of every page names. */
export const reportFooterTitle = (view: ReportView) =>
	[view.programme.name, view.heading.where, view.heading.when, view.heading.category]
		.filter((x) => x !== null)
		.join(' · ');

const escapeHtml = (text: string) =>
	text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** How long one render may take before it is given up. */
export const RENDER_TIMEOUT_MS = 60_000;

/**
 * The one print of the report page as a PDF, for `npm run report` and the "Download PDF" route alike: A4, the
 * page's print stylesheet, the programme, region and period and "pagina X van Y" in every page's footer. Reads
 * the page at `url` with the given session cookie.
 */
export async function renderReportPdf(opts: {
	chromium: string;
	url: string;
	session: string;
	footer: string;
}): Promise<{ pdf: Buffer; pages: number }> {
	const missing = chromiumMissing(opts.chromium);
	if (missing) throw new PdfError(missing, true);
	const playwright = await playwrightCore();
	if (!playwright)
		throw new PdfError(
			'De PDF kan op deze server niet worden gemaakt: het pakket playwright-core ontbreekt (npm install). Druk het rapport af vanuit de browser (Ctrl+P / ⌘P, "Opslaan als PDF").',
			true
		);
	const browser = await playwright.chromium.launch({
		executablePath: opts.chromium,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
		timeout: RENDER_TIMEOUT_MS
	});
	try {
		const context = await browser.newContext();
		await context.addCookies([{ name: SESSION_COOKIE, value: opts.session, url: new URL(opts.url).origin }]);
		const page = await context.newPage();
		page.setDefaultTimeout(RENDER_TIMEOUT_MS);
		// the report is drawn on the server: its HTML and CSS are all the PDF needs, not its JavaScript
		const res = await page.goto(opts.url, { waitUntil: 'load' });
		if (!res || res.status() !== 200) throw new PdfError(`Het rapport gaf status ${res?.status()} (${page.url()})`);
		await page.emulateMedia({ media: 'print' });
		const pdf = await page.pdf({
			format: 'A4',
			printBackground: true,
			preferCSSPageSize: true,
			displayHeaderFooter: true,
			headerTemplate: '<span></span>',
			// user text (the programme's and region's names) goes in escaped; the page numbers are Chromium's own
			footerTemplate: `<div style="font-size:8px;width:100%;padding:0 14mm;display:flex;justify-content:space-between;color:#555"><span>${escapeHtml(opts.footer)}</span><span>pagina <span class="pageNumber"></span> van <span class="totalPages"></span></span></div>`
		});
		return { pdf, pages: (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length };
	} finally {
		await browser.close();
	}
}

/** Writes the PDF; returns the number of pages. Everything missing is said in a PdfError. */
export async function printReportPdf(db: Kysely<Database>, req: PdfRequest): Promise<number> {
	const missing = chromiumMissing(req.chromium);
	if (missing)
		throw new PdfError(`${missing} Zonder Chromium kan het rapport ook vanuit de browser als PDF worden afgedrukt.`);
	if (!(await playwrightCore()))
		throw new PdfError(
			'Het pakket playwright-core ontbreekt: installeer de ontwikkelpakketten (npm install) om PDF’s te maken.'
		);

	const programme = await findProgrammeBySlug(db, req.programme);
	if (!programme) throw new PdfError(`Onbekend programma: ${req.programme}`);
	const check = await report({ db, programme }, { region: req.region, phase: req.phase }, { charts: false });
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
	let server: { url: string; stop: () => void } | null = null;
	try {
		server = req.baseUrl ? { url: req.baseUrl.replace(/\/$/, ''), stop: () => {} } : await startBuiltServer(req);
		const query = new URLSearchParams([
			...(req.region ? [['regio', req.region]] : []),
			...(req.phase ? [['fase', req.phase]] : [])
		]);
		const { pdf, pages } = await renderReportPdf({
			chromium: req.chromium,
			url: `${server.url}/p/${programme.slug}/rapport?${query}`,
			session: token,
			footer: reportFooterTitle(check.value)
		});
		await writeFile(req.out, pdf);
		return pages;
	} finally {
		server?.stop();
		await deleteSession(db, hashToken(token));
	}
}

/**
 * A bounded number of renders at once on this server (each is a Chromium of ~150 MB and a CPU core for a
 * second or more); beyond it the caller is asked to try again. Per process on purpose: it bounds this
 * machine's load, so several servers each keep their own.
 */
export class RenderSlots {
	#busy = 0;
	constructor(readonly max: number) {}
	get busy() {
		return this.#busy;
	}
	/** a slot's release, or null when all are taken */
	take(): (() => void) | null {
		if (this.#busy >= this.max) return null;
		this.#busy++;
		let released = false;
		return () => {
			if (!released) {
				released = true;
				this.#busy--;
			}
		};
	}
}

/** Seconds a caller waits before trying again when every render slot is taken. */
export const RETRY_AFTER_SECONDS = 10;

let slots: RenderSlots | undefined;
const renderSlots = () => (slots ??= new RenderSlots(env().PDF_RENDERS));

const unavailable = (code: string, message: string, retryAfterSeconds?: number): Refused =>
	refuse({ code, status: 503, message, retryAfterSeconds });

/**
 * The report PDF for the "Download PDF" route, read as the requesting user (their own session) from this very
 * server at `serverUrl`: the same print as `npm run report`. Refused with 400 for an unknown region or phase,
 * 503 with a Dutch message when Chromium is missing, when every render slot is taken or when Chromium fails.
 */
export async function reportPdf(
	ctx: ProgrammeContext,
	q: { region?: string | null; phase?: string | null; category?: string | null },
	via: { serverUrl: string; session: string }
): Promise<Result<{ pdf: Buffer; filename: string }>> {
	const view = await report(ctx, q);
	if (!view.ok) return view;
	const { chromium, missing } = { chromium: env().CHROMIUM_PATH, missing: chromiumMissing(env().CHROMIUM_PATH) };
	if (missing)
		return unavailable(
			'pdf_unavailable',
			'De PDF kan op deze server niet worden gemaakt: Chromium is er niet geïnstalleerd. Druk het rapport af vanuit de browser (Ctrl+P / ⌘P, "Opslaan als PDF"), of vraag de beheerder Chromium te installeren.'
		);
	const release = renderSlots().take();
	if (!release)
		return unavailable(
			'busy',
			`De server maakt al ${plural(renderSlots().max, 'PDF', 'PDF’s')} tegelijk, het maximum; probeer het zo opnieuw.`,
			RETRY_AFTER_SECONDS
		);
	try {
		const query = new URLSearchParams([
			...(q.region ? [['regio', q.region]] : []),
			...(q.phase ? [['fase', q.phase]] : []),
			...Object.entries(view.value.selection.category?.param ?? {})
		]);
		const { pdf } = await renderReportPdf({
			chromium,
			url: `${via.serverUrl}/p/${ctx.programme.slug}/rapport?${query}`,
			session: via.session,
			footer: reportFooterTitle(view.value)
		});
		return ok({ pdf, filename: pdfFilename(view.value) });
	} catch (e) {
		// what is missing is said as such; any other failure's details go to the server's log
		if (e instanceof PdfError && e.missing) return unavailable('pdf_unavailable', e.message);
		logError(e, 'report PDF failed');
		return unavailable(
			'pdf_failed',
			'De PDF kon niet worden gemaakt; probeer het zo opnieuw, of druk het rapport af vanuit de browser.',
			RETRY_AFTER_SECONDS
		);
	} finally {
		release();
	}
}

/** "rapport-vleuten-versterkt-oktober-2026-2027.pdf": ASCII only, safe in Content-Disposition. */
export function pdfFilename(view: ReportView): string {
	const slug = (s: string) =>
		s
			.normalize('NFKD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-|-$/g, '');
	const only = view.selection.category ? `-${slug(view.selection.category.key)}` : '';
	return `rapport-${view.programme.slug}-${slug(view.heading.when) || 'alles'}${only}.pdf`;
}
