/**
 * The permission matrix: every API route (read from the OpenAPI document) and every page and form action (read
 * from src/routes) is requested over real HTTP by each kind of caller, and the status is checked.
 * A route without an entry in EXPECTED fails the test: add one when you add a route.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/lib/server/db/create-db.ts';
import { CALLERS, signIn, signInAll, type Caller } from '../helpers/accounts.ts';
import { TMP } from '../helpers/environment.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { documentedRoutes } from '../helpers/openapi.ts';

/**
 * Who may call a route:
 * public — anyone; signedIn — any account; read — members of the programme (and admins);
 * contribute — aanjagers and leads of the programme (log actions, submit measurements);
 * lead — leads of the programme; admin — admins only.
 * `last` marks routes that end the caller's session, requested after all others.
 */
type Access = 'public' | 'signedIn' | 'read' | 'contribute' | 'lead' | 'admin';
type Entry = Access | { access: Access; last?: true };

const EXPECTED: Record<string, Entry> = {
	// API
	'GET /api/v1/health': 'public',
	'GET /api/v1/openapi.json': 'signedIn',
	'POST /api/v1/session': 'public',
	'GET /api/v1/session': 'signedIn',
	'DELETE /api/v1/session': { access: 'signedIn', last: true },
	'GET /api/v1/programmes': 'signedIn',
	'GET /api/v1/programmes/:slug/kompas': 'read',
	'GET /api/v1/programmes/:slug/indicators/:code/measurements': 'read',
	'GET /api/v1/admin/users': 'admin',
	'POST /api/v1/admin/users': 'admin',
	'PATCH /api/v1/admin/users/:id': 'admin',
	'POST /api/v1/admin/users/:id/password-reset': 'admin',
	'PUT /api/v1/admin/users/:id/memberships/:programme': 'admin',
	'DELETE /api/v1/admin/memberships/:id': 'admin',
	'POST /api/v1/admin/plans': 'admin',
	'GET /api/v1/admin/tokens': 'admin',
	'POST /api/v1/admin/tokens': 'admin',
	'DELETE /api/v1/admin/tokens/:id': 'admin',
	'GET /api/v1/programmes/:slug/audit': 'lead',
	'GET /api/v1/programmes/:slug/phases': 'read',
	'GET /api/v1/programmes/:slug/evaluations': 'read',
	'PUT /api/v1/programmes/:slug/evaluations/:nextStepId/:phaseId': 'lead',
	'POST /api/v1/programmes/:slug/evaluations/:id/finalise': 'lead',
	'POST /api/v1/programmes/:slug/evaluations/:id/reopen': 'lead',
	'GET /api/v1/programmes/:slug/progress': 'read',
	'GET /api/v1/programmes/:slug/report.csv': 'read',
	'GET /api/v1/programmes/:slug/report.xlsx': 'read',
	'GET /api/v1/programmes/:slug/actions': 'read',
	'POST /api/v1/programmes/:slug/actions': 'contribute',
	'GET /api/v1/programmes/:slug/actions/:id': 'read',
	'PATCH /api/v1/programmes/:slug/actions/:id': 'contribute',
	'DELETE /api/v1/programmes/:slug/actions/:id': 'contribute',
	'GET /api/v1/programmes/:slug/organisations': 'read',
	'POST /api/v1/programmes/:slug/organisations': 'lead',
	'PATCH /api/v1/programmes/:slug/organisations/:id': 'lead',
	'GET /api/v1/programmes/:slug/measurements.csv': 'read',
	'GET /api/v1/programmes/:slug/measurements.xlsx': 'read',
	'GET /api/v1/programmes/:slug/measurements': 'read',
	'POST /api/v1/programmes/:slug/measurements': 'contribute',
	'POST /api/v1/programmes/:slug/measurements/import': 'contribute',
	'GET /api/v1/programmes/:slug/measurements/:id': 'read',
	'PATCH /api/v1/programmes/:slug/measurements/:id': 'contribute',
	'POST /api/v1/programmes/:slug/measurements/:id/approve': 'lead',
	'POST /api/v1/programmes/:slug/measurements/:id/return': 'lead',
	'GET /api/v1/programmes/:slug/plan.yaml': 'read',
	// pages
	'PAGE /': 'signedIn',
	'PAGE /login': 'public',
	'PAGE /logout': 'signedIn',
	'PAGE /account': 'signedIn',
	'PAGE /overzicht': 'signedIn',
	'PAGE /admin': 'admin',
	'PAGE /admin/gebruikers': 'admin',
	'PAGE /admin/sleutels': 'admin',
	'PAGE /admin/plannen': 'admin',
	'PAGE /admin/audit': 'admin',
	'PAGE /api/docs': 'signedIn',
	'PAGE /p/[programme]': 'read',
	'PAGE /p/[programme]/dashboard': 'read',
	'PAGE /p/[programme]/rapport': 'read',
	'PAGE /p/[programme]/indicatoren/[code]': 'read',
	'PAGE /p/[programme]/audit': 'lead',
	'PAGE /p/[programme]/acties': 'read',
	'PAGE /p/[programme]/acties/nieuw': 'contribute',
	'PAGE /p/[programme]/acties/[id]': 'contribute',
	'PAGE /p/[programme]/organisaties': 'lead',
	'PAGE /p/[programme]/thema/[number]': 'read',
	'PAGE /p/[programme]/vervolgstappen/[nextStepId]': 'read',
	'PAGE /p/[programme]/fasen': 'read',
	'PAGE /p/[programme]/evaluaties': 'read',
	'PAGE /p/[programme]/evaluaties/open': 'lead',
	'PAGE /p/[programme]/evaluaties/[nextStepId]/[phaseId]': 'read',
	'PAGE /p/[programme]/meetplan': 'lead',
	'PAGE /p/[programme]/meetplan/knooppunten/nieuw': 'lead',
	'PAGE /p/[programme]/meetplan/knooppunten/[node]': 'lead',
	'PAGE /p/[programme]/meetplan/indicatoren/nieuw': 'lead',
	'PAGE /p/[programme]/meetplan/indicatoren/[code]': 'lead',
	'PAGE /p/[programme]/metingen': 'read',
	'PAGE /p/[programme]/metingen/nieuw': 'contribute',
	'PAGE /p/[programme]/metingen/[id]': 'contribute',
	'PAGE /p/[programme]/metingen/beoordelen': 'lead',
	'PAGE /p/[programme]/metingen/import': 'contribute',
	// form actions
	'ACTION /login default': 'public',
	'ACTION /logout default': { access: 'signedIn', last: true },
	'ACTION /account default': 'signedIn',
	'ACTION /p/[programme]/fasen saveYear': 'lead',
	'ACTION /p/[programme]/fasen addYear': 'lead',
	'ACTION /p/[programme]/evaluaties/open followUpDone': 'lead',
	'ACTION /p/[programme]/evaluaties/[nextStepId]/[phaseId] save': 'lead',
	'ACTION /p/[programme]/evaluaties/[nextStepId]/[phaseId] finalise': 'lead',
	'ACTION /p/[programme]/evaluaties/[nextStepId]/[phaseId] reopen': 'lead',
	'ACTION /p/[programme]/evaluaties/[nextStepId]/[phaseId] followUp': 'lead',
	'ACTION /admin/gebruikers createUser': 'admin',
	'ACTION /admin/gebruikers disableUser': 'admin',
	'ACTION /admin/gebruikers enableUser': 'admin',
	'ACTION /admin/gebruikers resetPassword': 'admin',
	'ACTION /admin/gebruikers setMembership': 'admin',
	'ACTION /admin/gebruikers removeMembership': 'admin',
	'ACTION /admin/sleutels create': 'admin',
	'ACTION /admin/sleutels revoke': 'admin',
	'ACTION /admin/plannen default': 'admin',
	'ACTION /p/[programme]/acties/nieuw default': 'contribute',
	'ACTION /p/[programme]/acties/[id] update': 'contribute',
	'ACTION /p/[programme]/acties/[id] delete': 'contribute',
	'ACTION /p/[programme]/organisaties create': 'lead',
	'ACTION /p/[programme]/organisaties update': 'lead',
	'ACTION /p/[programme]/meetplan move': 'lead',
	'ACTION /p/[programme]/meetplan archive': 'lead',
	'ACTION /p/[programme]/meetplan delete': 'lead',
	'ACTION /p/[programme]/meetplan/knooppunten/nieuw default': 'lead',
	'ACTION /p/[programme]/meetplan/knooppunten/[node] default': 'lead',
	'ACTION /p/[programme]/meetplan/indicatoren/nieuw default': 'lead',
	'ACTION /p/[programme]/meetplan/indicatoren/[code] default': 'lead',
	'ACTION /p/[programme]/metingen/nieuw default': 'contribute',
	'ACTION /p/[programme]/metingen/[id] save': 'contribute',
	'ACTION /p/[programme]/metingen/[id] approve': 'lead',
	'ACTION /p/[programme]/metingen/[id] return': 'lead',
	'ACTION /p/[programme]/metingen/beoordelen approve': 'lead',
	'ACTION /p/[programme]/metingen/beoordelen return': 'lead',
	'ACTION /p/[programme]/metingen/import default': 'contribute'
};

/** Real values for route parameters, so an allowed caller reaches a real object. */
const PARAMS: Record<string, string> = {
	slug: 'vleuten-versterkt',
	programme: 'vleuten-versterkt',
	code: 'VV-T1-AANDACHT',
	node: 'VV-T1',
	id: '1',
	nextStepId: '1',
	phaseId: '1',
	number: '1'
};
const OTHER = 'zkl-onder-druk';
/**
 * Objects created in beforeAll, filled in at request time: an action the aanjager logged (the demo actions
 * belong to nobody) and an evaluation a lead drafted, so allowed callers reach real objects.
 */
const LIVE = { action: '{live-action}', evaluation: '{live-evaluation}' };
const live: Record<string, string> = {};
function paramFor(path: string, name: string): string {
	if (name === 'id' && /\/(actions|acties)\//.test(path)) return LIVE.action;
	if (name === 'id' && /\/evaluations\//.test(path)) return LIVE.evaluation;
	return PARAMS[name] ?? 'x';
}
const withLive = (url: string) => Object.entries(LIVE).reduce((u, [k, token]) => u.replace(token, live[k]), url);

const MAY: Record<Access, readonly Caller[]> = {
	public: CALLERS,
	signedIn: ['funder', 'aanjager', 'otherLead', 'lead', 'admin'],
	read: ['funder', 'aanjager', 'lead', 'admin'],
	contribute: ['aanjager', 'lead', 'admin'],
	lead: ['lead', 'admin'],
	admin: ['admin']
};

/** What a refused caller gets: 401 anonymous, 404 when the programme is invisible to them, else 403. */
function refusal(access: Access, caller: Caller): 401 | 403 | 404 {
	if (caller === 'anonymous') return 401;
	if (caller === 'otherLead' && ['read', 'contribute', 'lead'].includes(access)) return 404;
	return 403;
}

interface Route {
	key: string;
	kind: 'api' | 'page' | 'action';
	method: string;
	url: string;
}

/** The API's routes as its OpenAPI document lists them (openapi.test.ts checks that the app serves exactly these). */
function apiRoutes(): Route[] {
	return documentedRoutes().map(({ method, path }) => {
		const hono = path.replace(/\{(\w+)\}/g, ':$1');
		return { key: `${method} ${hono}`, kind: 'api', method, url: hono.replace(/:(\w+)/g, (_, name: string) => paramFor(hono, name)) };
	});
}

/** Every `+page.svelte` under a folder (Node 20 has no fs.globSync). */
function pageFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
		d.isDirectory() ? pageFiles(join(dir, d.name)) : d.name === '+page.svelte' ? [join(dir, d.name)] : []
	);
}

function pageRoutes(): Route[] {
	const root = 'src/routes';
	const routes: Route[] = [];
	const fill = (id: string) => id.replace(/\[(?:\.\.\.)?(\w+)\]/g, (_, name) => paramFor(id, name));
	for (const file of pageFiles(root)) {
		const id = file.slice(root.length).replace(/\/\+page\.svelte$/, '').replace(/\/\([^)]+\)/g, '') || '/';
		routes.push({ key: `PAGE ${id}`, kind: 'page', method: 'GET', url: fill(id) });
		const server = join(file, '..', '+page.server.ts');
		let text: string;
		try {
			text = readFileSync(server, 'utf8');
		} catch {
			continue;
		}
		const actions = text.split('export const actions')[1];
		if (!actions) continue;
		for (const [, name] of actions.matchAll(/^\t(\w+):\s*async/gm))
			routes.push({ key: `ACTION ${id} ${name}`, kind: 'action', method: 'POST', url: `${fill(id)}${name === 'default' ? '' : `?/${name}`}` });
	}
	return routes;
}

const accessOf = (e: Entry): Access => (typeof e === 'string' ? e : e.access);
const isLast = (e: Entry | undefined) => typeof e === 'object' && e.last === true;

describe('permission matrix (every route × every caller)', () => {
	const routes = [...apiRoutes(), ...pageRoutes()].sort((a, b) => Number(isLast(EXPECTED[a.key])) - Number(isLast(EXPECTED[b.key])));
	let server: RunningServer;
	let callers: Awaited<ReturnType<typeof signInAll>>;
	const dbFile = join(TMP, `matrix-${process.pid}.db`);

	beforeAll(async () => {
		rmSync(dbFile, { force: true });
		server = await startServer({ DATABASE_URL: dbFile });
		const db = createDb(dbFile);
		callers = await signInAll(db.db, (p, init) => fetch(server.url + p, init), PARAMS.slug, OTHER);
		const step = await db.db.selectFrom('next_steps').select('id').where('code', '=', 'VV-T1-VS1').executeTakeFirstOrThrow();
		const logged = await fetch(`${server.url}/api/v1/programmes/${PARAMS.slug}/actions`, {
			method: 'POST',
			headers: { cookie: callers.aanjager.cookie!, origin: server.url, 'content-type': 'application/json' },
			body: JSON.stringify({ date: '2024-10-01', nextStep: step.id, kind: 'les', region: 'obs-haarzicht', reached: { jongeren: 20, ouders: 0, professionals: 1 }, description: 'Matrix' })
		});
		expect(logged.status, await logged.clone().text()).toBe(201);
		live.action = String(((await logged.json()) as { id: number }).id);
		const drafted = await fetch(`${server.url}/api/v1/programmes/${PARAMS.slug}/evaluations/${PARAMS.nextStepId}/${PARAMS.phaseId}`, {
			method: 'PUT',
			headers: { cookie: callers.lead.cookie!, origin: server.url, 'content-type': 'application/json' },
			body: JSON.stringify({ status: 'op koers', done: 'Matrix' })
		});
		expect(drafted.status, await drafted.clone().text()).toBe(200);
		live.evaluation = String(((await drafted.json()) as { id: number }).id);
		await db.close();
	});
	afterAll(async () => server?.stop());

	it('should have an expectation for every route, and a route for every expectation', () => {
		const keys = routes.map((r) => r.key);
		expect(keys.filter((k) => !(k in EXPECTED)), 'routes without an entry in EXPECTED').toEqual([]);
		expect(Object.keys(EXPECTED).filter((k) => !keys.includes(k)), 'entries for routes that do not exist').toEqual([]);
	});

	it('should give each caller exactly its rights on every route', async () => {
		const wrong: string[] = [];
		for (const route of routes) {
			const entry = EXPECTED[route.key];
			if (!entry) continue;
			const access = accessOf(entry);
			if (isLast(entry))
				// the previous session-ending route signed everyone out: fresh sessions for this one
				for (const caller of CALLERS) {
					const account = callers[caller].account;
					if (account) callers[caller].cookie = await signIn((p, init) => fetch(server.url + p, init), account);
				}
			for (const caller of CALLERS) {
				// pages and form actions are requested as a browser does (a plain fetch would get action JSON)
				const headers: Record<string, string> = { origin: server.url, accept: route.kind === 'api' ? 'application/json' : 'text/html' };
				const cookie = callers[caller].cookie;
				if (cookie) headers.cookie = cookie;
				let body: BodyInit | undefined;
				if (route.kind === 'action') {
					headers['content-type'] = 'application/x-www-form-urlencoded';
					body = '';
				} else if (route.method !== 'GET' && route.method !== 'HEAD') {
					headers['content-type'] = 'application/json';
					body = '{}';
				}
				const res = await fetch(server.url + withLive(route.url), { method: route.method, headers, body, redirect: 'manual' });
				await res.arrayBuffer();
				// the hook sends anonymous visitors to /login?next=…; logging out itself ends on plain /login
				const toLogin = res.status === 303 && (res.headers.get('location') ?? '').startsWith('/login?next=');
				const allowed = MAY[access].includes(caller);
				if (res.status >= 500) wrong.push(`${route.key} as ${caller}: server error ${res.status}`);
				else if (allowed) {
					if ([401, 403].includes(res.status) || toLogin || (res.status === 404 && !/:id|\[id\]/.test(route.key)))
						wrong.push(`${route.key} as ${caller}: expected access, got ${res.status}`);
				} else {
					const expected = refusal(access, caller);
					const ok = expected === 401 && route.kind !== 'api' ? toLogin : res.status === expected;
					if (!ok) wrong.push(`${route.key} as ${caller}: expected ${expected === 401 && route.kind !== 'api' ? 'redirect to /login' : expected}, got ${res.status}`);
				}
			}
		}
		expect(wrong).toEqual([]);
	});
});
