/**
 * Which pages the service worker (src/service-worker.ts) keeps for use without a connection. Plain
 * functions of the path, so the rules are tested without a browser.
 */

/** Shown for a page opened offline that this device never opened online. */
export const SHELL_FALLBACK = '/offline.html';

/**
 * Never kept: the API and metrics (no pages), signing in and out, the admin's and account pages, and a
 * poll's public page (per device, on phones that may be shared; issue 18).
 */
const NEVER = ['/api', '/login', '/logout', '/metrics', '/admin', '/account', '/peiling'];

/** Whether a page (a navigation to `pathname`) may be kept on this device once opened online. */
export function cacheablePage(pathname: string): boolean {
	return !NEVER.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

/** The pages an aanjager needs in the field: home, the programme, the action list and the action form. */
const ESSENTIAL = /^\/(p\/[^/]+(\/acties(\/nieuw)?)?)?$/;

/** Whether a page is kept even when it was reached inside the app (client-side), not opened directly. */
export function offlineEssential(pathname: string): boolean {
	return ESSENTIAL.test(pathname) && cacheablePage(pathname);
}

/** The pages that open from their kept copy when the network hangs: home and the action form. */
export function quickFallback(pathname: string): boolean {
	return pathname === '/' || /^\/p\/[^/]+\/acties\/nieuw$/.test(pathname);
}
