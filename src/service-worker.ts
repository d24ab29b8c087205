/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';
import { cacheablePage, offlineEssential, quickFallback, SHELL_FALLBACK } from '$lib/offline/cache-rules';

/**
 * The offline shell. The app's code and static files are kept per build (`version`); pages the person
 * opened online are kept as they last came from the server and shown when the connection is gone, so the
 * action form opens and saves (into the outbox) without a network. A new build replaces both caches:
 * a cached page refers to the code of its own build.
 */
const sw = self as unknown as ServiceWorkerGlobalScope;
const SHELL = `kompas-shell-${version}`;
const PAGES = `kompas-pages-${version}`;
const ASSETS = new Set([...build, ...files]);
/** Pages kept at most; the oldest goes first. */
const MAX_PAGES = 60;
/** A field page opened through the app (data only) gets its HTML fetched again after this long. */
const WARM_AFTER_MS = 60 * 60 * 1000;
/** How long home or the action form waits for a network that neither answers nor fails before its kept copy shows. */
const SLOW_NAVIGATION_MS = 4000;

sw.addEventListener('install', (event) => {
	// a new build takes over at once: the old one's code is gone from the server after a deploy
	event.waitUntil(
		caches
			.open(SHELL)
			.then((cache) => cache.addAll([...ASSETS]))
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) => Promise.all(keys.filter((k) => k !== SHELL && k !== PAGES).map((k) => caches.delete(k))))
			.then(() => sw.clients.claim())
	);
});

sw.addEventListener('fetch', (event) => {
	const { request } = event;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	// signing in or out: nothing of the previous person may be shown to the next one
	if (url.pathname === '/login' || url.pathname === '/logout') {
		if (request.method === 'POST') event.waitUntil(caches.delete(PAGES));
		return;
	}
	if (request.method !== 'GET') return;
	if (ASSETS.has(url.pathname)) {
		event.respondWith(caches.match(request).then((hit) => hit ?? fetch(request)));
		return;
	}
	if (request.mode === 'navigate' && cacheablePage(url.pathname)) {
		event.respondWith(navigate(event, url.pathname));
		return;
	}
	// SvelteKit's client-side navigation reads a page's data; offline it fails, and SvelteKit falls
	// back to a full navigation, which the cached page answers
	const page = url.pathname.endsWith('/__data.json') ? url.pathname.slice(0, -'/__data.json'.length) || '/' : null;
	if (page && offlineEssential(page)) {
		const pageUrl = new URL(page + url.search, url);
		for (const p of [...pageUrl.searchParams.keys()]) if (p.startsWith('x-sveltekit-')) pageUrl.searchParams.delete(p);
		event.waitUntil(warm(pageUrl));
	}
});

/**
 * Network first; a page that came back whole is kept. Without a network: the kept copy, else the offline
 * page. Home and the action form also fall back to their kept copy when the network hangs (a weak signal
 * that neither answers nor fails); the answer, when it comes, is still kept.
 */
function navigate(event: FetchEvent, pathname: string): Promise<Response> {
	const { request } = event;
	const network = fetch(request).then(async (response) => {
		// a navigation does not follow redirects itself: learn apart where this address leads
		if (response.type === 'opaqueredirect') event.waitUntil(warm(new URL(request.url)));
		else await keepAnswer(request.url, response.clone());
		return response;
	});
	const answer = network.catch(
		async () => (await kept(request.url)) ?? (await caches.match(SHELL_FALLBACK)) ?? Response.error()
	);
	event.waitUntil(answer);
	if (!quickFallback(pathname)) return answer;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const early = new Promise<Response>((resolve) => {
		timer = setTimeout(async () => {
			const hit = await kept(request.url);
			if (hit) resolve(hit);
		}, SLOW_NAVIGATION_MS);
	});
	return Promise.race([answer, early]).finally(() => clearTimeout(timer));
}

/** The kept copy of a page: this very address, else the same page with other search parameters. */
async function kept(url: string): Promise<Response | undefined> {
	const cache = await caches.open(PAGES);
	const hit = (await cache.match(url)) ?? (await cache.match(url, { ignoreSearch: true }));
	const landing = hit?.headers.get(LANDING_HEADER);
	return landing ? Response.redirect(new URL(landing, sw.location.origin).href, 302) : hit;
}

/**
 * Keeps a page that came back whole. Home sends a person on to their own page (an aanjager's action form):
 * then that page is kept (as a plain answer: a browser refuses a redirected one for a navigation), and that
 * this address led there, so opening the app offline lands in the same place.
 */
async function keepAnswer(url: string, response: Response) {
	if (keepable(response)) await keep(url, response);
	else if (keepableLanding(response)) {
		const { status, statusText, headers } = response;
		await keep(response.url, new Response(await response.blob(), { status, statusText, headers }));
		await keep(url, landingMarker(response.url));
	}
}

/** Kept in place of a page that redirected: where it led. */
const LANDING_HEADER = 'x-kompas-landing';

function landingMarker(finalUrl: string): Response {
	const { pathname, search } = new URL(finalUrl);
	return new Response('', { headers: { [LANDING_HEADER]: pathname + search, date: new Date().toUTCString() } });
}

/** A page answer that arrived through a redirect to another page of this app that may be kept. */
function keepableLanding(response: Response): boolean {
	if (!response.redirected || response.status !== 200 || response.type !== 'basic') return false;
	const final = new URL(response.url);
	return (
		final.origin === sw.location.origin &&
		cacheablePage(final.pathname) &&
		(response.headers.get('content-type') ?? '').startsWith('text/html')
	);
}

/** A plain page answer of this app (no redirect to the login page, no download, no error). */
function keepable(response: Response): boolean {
	return (
		response.status === 200 &&
		response.type === 'basic' &&
		!response.redirected &&
		(response.headers.get('content-type') ?? '').startsWith('text/html')
	);
}

async function keep(url: string, response: Response) {
	const cache = await caches.open(PAGES);
	await cache.delete(url);
	await cache.put(url, response);
	const keys = await cache.keys();
	await Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_PAGES)).map((k) => cache.delete(k)));
}

/**
 * Fetches the HTML of a page when no recent copy is kept, so it opens offline: a field page opened through
 * the app, or a page that redirected (following the redirect, to keep where it led).
 */
async function warm(url: URL) {
	const cache = await caches.open(PAGES);
	const kept = await cache.match(url.href);
	const age = kept ? Date.now() - Date.parse(kept.headers.get('date') ?? '') : Infinity;
	if (age < WARM_AFTER_MS) return;
	try {
		const response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'text/html' } });
		await keepAnswer(url.href, response);
	} catch {
		/* offline now: the next visit tries again */
	}
}
