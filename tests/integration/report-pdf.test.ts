import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { hasChromium } from '../helpers/browser.ts';
import { DIALECTS, migratedDb, TMP, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { addActivity } from '../helpers/progress-fixture.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const PDF = '/p/vleuten-versterkt/rapport/pdf';
const JSON_FIRST = { accept: 'application/pdf, application/json' };

/**
 * The "Download PDF" route on the built server: the report as the caller reads it, printed by Chromium; a
 * refused selection, a server without Chromium and a server whose renders are all in use answer in Dutch,
 * as JSON to the page's button and as a short page to a plain link, never with a 500.
 */
describe.each(DIALECTS)('the report PDF route on %s', (dialect) => {
	let db: TestDb;
	let server: RunningServer;
	let cookie: string;
	const get = (path: string, headers: Record<string, string> = {}, on = server) =>
		fetch(on.url + path, { headers: { cookie, ...headers } });

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db, { demo: true });
		await addActivity(db.db, 'vleuten-versterkt');
		// one render at a time, so a second request at once is the one too many
		server = await startServer({ DATABASE_URL: db.url, PDF_RENDERS: '1' });
		cookie = await signIn(
			(p, init) => fetch(server.url + p, init),
			await createAccount(db.db, { role: 'funder', programme: 'vleuten-versterkt' })
		);
	}, 120_000);
	afterAll(async () => {
		await server?.stop();
		await db?.drop();
	});

	it('should refuse an unknown phase with 400 and a Dutch message: JSON to the button, a page to a link', async () => {
		const json = await get(`${PDF}?fase=1999-2000`, JSON_FIRST);
		expect(json.status).toBe(400);
		expect(await json.json()).toMatchObject({
			error: { code: 'invalid_input', issues: [{ path: 'phase', message: expect.stringMatching(/^Onbekende fase/) }] }
		});
		const page = await get(`${PDF}?fase=1999-2000`, { accept: 'text/html' });
		expect(page.status).toBe(400);
		expect(page.headers.get('content-type')).toMatch(/^text\/html/);
		expect(await page.text()).toContain('Onbekende fase of onbekend schooljaar');
	});

	it('should say in Dutch, with 503 and no stack trace, that a server without Chromium cannot make the PDF', async () => {
		const bare = await startServer({ DATABASE_URL: db.url, CHROMIUM_PATH: join(TMP, 'no-chromium-here') });
		try {
			const res = await get(`${PDF}?fase=2024-2025`, JSON_FIRST, bare);
			expect(res.status).toBe(503);
			const body = (await res.json()) as { error: { code: string; message: string } };
			expect(body.error.code).toBe('pdf_unavailable');
			expect(body.error.message).toMatch(/^De PDF kan op deze server niet worden gemaakt: Chromium/);
			expect(body.error.message).not.toMatch(/\bat \w+ \(/);
			expect(res.headers.get('retry-after')).toBeNull();
			const page = await get(`${PDF}?fase=2024-2025`, { accept: 'text/html' }, bare);
			expect(page.status).toBe(503);
			expect(await page.text()).toContain('Druk het rapport af vanuit de browser');
		} finally {
			await bare.stop();
		}
	});

	describe.runIf(hasChromium())('with Chromium', () => {
		it("should answer the selection's report as an A4 PDF with the programme, period and page numbers in each footer", async () => {
			const res = await get(`${PDF}?fase=2024-2025`);
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toBe('application/pdf');
			expect(res.headers.get('content-disposition')).toBe(
				'attachment; filename="rapport-vleuten-versterkt-schooljaar-2024-2025.pdf"'
			);
			const pdf = Buffer.from(await res.arrayBuffer());
			expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
			if (!existsSync('/usr/bin/pdftotext')) return;
			const file = join(TMP, `route-${process.pid}.pdf`);
			writeFileSync(file, pdf);
			const text = execFileSync('/usr/bin/pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
			rmSync(file);
			const pages = text.split('\f').filter((p) => p.trim() !== '');
			expect(pages.length).toBeGreaterThan(1);
			pages.forEach((p, n) => expect(p).toContain(`pagina ${n + 1} van ${pages.length}`));
			expect(pages[0]).toContain('Vleuten Versterkt · het hele programma · schooljaar 2024-2025');
			expect(text).toContain('besluit: Voortzetten');
		}, 60_000);

		it('should render one PDF at a time here and ask the next caller to try again shortly (503, Retry-After)', async () => {
			const answers = await Promise.all([get(PDF, JSON_FIRST), get(PDF, JSON_FIRST)]);
			expect(answers.map((a) => a.status).sort()).toEqual([200, 503]);
			const busy = answers.find((a) => a.status === 503)!;
			expect(busy.headers.get('retry-after')).toBe('10');
			expect(((await busy.json()) as { error: { code: string; message: string } }).error).toEqual({
				code: 'busy',
				message: 'De server maakt al 1 PDF tegelijk, het maximum; probeer het zo opnieuw.'
			});
			// the slot is free again afterwards
			await Promise.all(answers.map((a) => a.arrayBuffer().catch(() => null)));
			expect((await get(PDF, JSON_FIRST)).status).toBe(200);
		}, 90_000);
	});
});
