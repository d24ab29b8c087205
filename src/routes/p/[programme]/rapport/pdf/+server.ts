import { json, type RequestHandler } from '@sveltejs/kit';
import type { IncomingMessage } from 'node:http';
import { pageContext } from '$lib/server/auth/page-access';
import { errorBody } from '$lib/server/api/errors';
import { SESSION_COOKIE } from '$lib/server/services/auth.service';
import { reportPdf } from '$lib/server/services/report-pdf.service';
import { categoryFilter } from '$lib/server/services/progress.service';

/**
 * "Download PDF": the report of the page's selection (`?regio=&fase=`) printed by Chromium as the user who
 * asks. A refusal answers JSON `{error}` to the page's button (Accept: application/json) and a short Dutch
 * page to a plain link, never a stack trace.
 */
export const GET: RequestHandler = async (event) => {
	const ctx = await pageContext(event, event.params.programme!);
	const q = event.url.searchParams;
	const category = categoryFilter(ctx.programme, q, ['regio', 'fase']);
	const result = category.ok
		? await reportPdf(
				ctx,
				{ region: q.get('regio') || null, phase: q.get('fase') || null, category: category.value },
				{ serverUrl: ownAddress(event), session: event.cookies.get(SESSION_COOKIE)! }
			)
		: category;
	if (result.ok)
		return new Response(new Uint8Array(result.value.pdf), {
			headers: {
				'content-type': 'application/pdf',
				'content-disposition': `attachment; filename="${result.value.filename}"`,
				'cache-control': 'private, no-store'
			}
		});
	const { refusal } = result;
	const headers: Record<string, string> = refusal.retryAfterSeconds
		? { 'retry-after': String(refusal.retryAfterSeconds) }
		: {};
	if (event.request.headers.get('accept')?.includes('application/json'))
		return json(errorBody(refusal.code, refusal.message, refusal.issues), { status: refusal.status, headers });
	const back = `/p/${ctx.programme.slug}/rapport${event.url.search}`;
	return new Response(
		`<!doctype html><html lang="nl"><meta charset="utf-8"><title>PDF niet gemaakt</title><main><h1>PDF niet gemaakt</h1><p>${escape(refusal.message)}</p><p><a href="${escape(back)}">Terug naar het rapport</a></p></main></html>`,
		{ status: refusal.status, headers: { ...headers, 'content-type': 'text/html; charset=utf-8' } }
	);
};

/**
 * This server as Chromium on the same machine reaches it: the local end of the request's own connection
 * (adapter-node), so it works behind a proxy and whatever ORIGIN says; `vite dev` has none, there the URL.
 */
function ownAddress(event: { platform?: unknown; url: URL }): string {
	const req = (event.platform as { req?: IncomingMessage } | undefined)?.req;
	const address = req?.socket.localAddress;
	const port = req?.socket.localPort;
	if (!address || !port) return event.url.origin;
	const host = address.replace(/^::ffff:/, '');
	return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

const escape = (text: string) =>
	text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
