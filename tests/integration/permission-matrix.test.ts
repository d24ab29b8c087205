/**
 * The permission matrix: every API route (read from the OpenAPI document) and every page and form action (read
 * from src/routes) is requested over real HTTP by each kind of caller with a valid request (FIXTURES), and the
 * status is checked: an allowed caller gets the route's success status (for the API: the one its OpenAPI
 * document lists), a refused one 401/403/404, nobody a 5xx.
 * A route without an entry in EXPECTED or FIXTURES fails the test: add both when you add a route.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLERS, signIn, signInAll, type Caller } from '../helpers/accounts.ts';
import { DIALECTS, emptyDb, type TestDb } from '../helpers/databases.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { apiDocument } from '../../src/lib/server/api/app.ts';
import { HTTP_METHODS } from '../../src/lib/domain/api-reference.ts';
import { indicatorEditor } from '../../src/lib/server/services/indicator-edit.service.ts';
import { nodeEditor } from '../../src/lib/server/services/plan-edit.service.ts';
import { createAccount, type Account } from '../helpers/accounts.ts';
import { offlineApi } from '../helpers/openapi.ts';
import { issueLink } from '../../src/lib/server/services/password-link.service.ts';
import { parseDimensions, storeDimensions } from '../../src/lib/domain/breakdown.ts';
import { ANSWER, createTestPoll } from '../helpers/poll-respondents.ts';

/**
 * Who may call a route:
 * public — anyone; signedIn — any account; read — members of the programme (and admins);
 * contribute — aanjagers and leads of the programme (log actions, submit measurements);
 * lead — leads of the programme; admin — admins only; metricsToken — no session at all, only the bearer of
 * METRICS_TOKEN (answered 401 to every caller here; the token's own check follows the matrix).
 * `last` marks routes that end the caller's session, requested after all others.
 */
type Access = 'public' | 'signedIn' | 'read' | 'contribute' | 'lead' | 'admin' | 'metricsToken';
type Entry = Access | { access: Access; last?: true };

const EXPECTED: Record<string, Entry> = {
	// API
	'GET /api/v1/health': 'public',
	'GET /api/v1/ready': 'public',
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
	'POST /api/v1/programmes/:slug/measurements/review': 'lead',
	'GET /api/v1/programmes/:slug/plan.yaml': 'read',
	'GET /api/v1/programmes/:slug/polls': 'read',
	'POST /api/v1/programmes/:slug/polls': 'contribute',
	'GET /api/v1/programmes/:slug/polls/:id': 'read',
	'GET /api/v1/programmes/:slug/polls/:id/results': 'contribute',
	'POST /api/v1/programmes/:slug/polls/:id/close': 'contribute',
	// pages
	'PAGE /': 'signedIn',
	'PAGE /login': 'public',
	'PAGE /wachtwoord-vergeten': 'public',
	'PAGE /wachtwoord/[token]': 'public',
	'PAGE /peiling/[code]': 'public',
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
	'ENDPOINT /p/[programme]/rapport/pdf': 'read',
	'ENDPOINT /metrics': 'metricsToken',
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
	'PAGE /p/[programme]/meetplan/uitsplitsing': 'lead',
	'PAGE /p/[programme]/metingen': 'read',
	'PAGE /p/[programme]/metingen/nieuw': 'contribute',
	'PAGE /p/[programme]/metingen/[id]': 'contribute',
	'PAGE /p/[programme]/metingen/beoordelen': 'lead',
	'PAGE /p/[programme]/metingen/import': 'contribute',
	'PAGE /p/[programme]/peilingen': 'read',
	'PAGE /p/[programme]/peilingen/[id]': 'read',
	'PAGE /p/[programme]/peilingen/[id]/scherm': 'contribute',
	'PAGE /p/[programme]/peilingen/[id]/live': 'contribute',
	'ENDPOINT /p/[programme]/peilingen/[id]/qr.svg': 'contribute',
	// form actions
	'ACTION /login default': 'public',
	'ACTION /wachtwoord-vergeten default': 'public',
	'ACTION /wachtwoord/[token] default': 'public',
	'ACTION /peiling/[code] default': 'public',
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
	'ACTION /admin/gebruikers sendLink': 'admin',
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
	'ACTION /p/[programme]/meetplan/uitsplitsing add': 'lead',
	'ACTION /p/[programme]/meetplan/uitsplitsing update': 'lead',
	'ACTION /p/[programme]/meetplan/uitsplitsing remove': 'lead',
	'ACTION /p/[programme]/meetplan/uitsplitsing minGroupSize': 'lead',
	'ACTION /p/[programme]/metingen/nieuw default': 'contribute',
	'ACTION /p/[programme]/metingen/[id] save': 'contribute',
	'ACTION /p/[programme]/metingen/[id] approve': 'lead',
	'ACTION /p/[programme]/metingen/[id] return': 'lead',
	'ACTION /p/[programme]/metingen/beoordelen approve': 'lead',
	'ACTION /p/[programme]/metingen/beoordelen return': 'lead',
	'ACTION /p/[programme]/metingen/beoordelen bulkApprove': 'lead',
	'ACTION /p/[programme]/metingen/beoordelen bulkReturn': 'lead',
	'ACTION /p/[programme]/metingen/import default': 'contribute',
	'ACTION /p/[programme]/peilingen create': 'contribute',
	'ACTION /p/[programme]/peilingen/[id] close': 'contribute'
};

const SLUG = 'vleuten-versterkt';
const OTHER = 'zkl-onder-druk';
const VV = `/api/v1/programmes/${SLUG}`;
const PAGE = `/p/${SLUG}`;

/** A valid request: path parameters (filled into `:name` / `[name]`), query, JSON or form body, expected success status. */
interface Req {
	params?: Record<string, string | number>;
	query?: string;
	json?: unknown;
	/** a list is sent as the same field repeated (checkboxes) */
	form?: Record<string, string | string[] | Blob>;
	raw?: { type: string; data: BodyInit };
	/** the success status; API default: the one its OpenAPI document lists; pages 200; form actions 303 */
	status?: number;
	/** the request ends the caller's sessions: sign in again after it */
	resign?: true;
}
/** A route's valid request for a caller; a function makes fresh objects per caller, so changes never collide. */
type Fixture = Req | ((caller: Caller) => Promise<Req>);

/** Set up in beforeAll: the server, a database connection, sessions and ids of the loaded plans. */
let server: RunningServer;
let db: TestDb;
let callers: Record<Caller, { account: Account | null; cookie: string | null }>;
let spare: Account;
let setup: { lead: string; admin: string };
const ids = {
	step: 0,
	phase: 0,
	schoolYear: 0,
	approved: 0,
	indicator: 0,
	started: [] as [number, number][],
	later: [] as [number, number][]
};
const live = { action: 0, measurement: 0, poll: 0 };
let fresh = 0;
const unique = (prefix: string) => `${prefix}${process.pid}-${fresh++}`;
/** One open poll per database (dialect), for the public poll page. */
const matrixPolls = new Map<string, string>();
const matrixPoll = async () => {
	if (!matrixPolls.has(db.url)) matrixPolls.set(db.url, (await createTestPoll(db.db)).code);
	return matrixPolls.get(db.url)!;
};
/** A date no measurement of the fixtures has yet: one indicator, region and date hold one measurement. */
const freshDate = () => new Date(Date.UTC(2023, 0, 1) + fresh++ * 86_400_000).toISOString().slice(0, 10);
const csv = () => `indicator,region,date,value\nVV-T1-AANDACHT,obs-haarzicht,${freshDate()},42\n`;

/** A setup call over HTTP that must succeed; answers the JSON body. */
async function call(cookie: string, method: string, path: string, json?: unknown): Promise<any> {
	const res = await fetch(server.url + path, {
		method,
		headers: { cookie, origin: server.url, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
		body: json === undefined ? undefined : JSON.stringify(json)
	});
	const text = await res.text();
	if (res.status >= 300) throw new Error(`setup ${method} ${path}: ${res.status} ${text}`);
	return text ? JSON.parse(text) : null;
}
/** Actions and measurements belong to the matrix's aanjager, whom only own objects are open to. */
const aanjager = () => callers.aanjager.cookie!;
const actionBody = () => ({
	date: '2024-10-01',
	nextStep: ids.step,
	kind: 'les',
	region: 'obs-haarzicht',
	reached: { jongeren: 20, ouders: 0, professionals: 1 },
	description: 'Matrix'
});
const measurementBody = () => ({ indicator: 'VV-T1-AANDACHT', region: 'obs-haarzicht', date: freshDate(), value: 40 });
const newAction = (): Promise<{ id: number; version: number }> =>
	call(aanjager(), 'POST', `${VV}/actions`, actionBody());
const newMeasurement = (): Promise<{ id: number; version: number }> =>
	call(aanjager(), 'POST', `${VV}/measurements`, measurementBody());
// the seed plan's own template: the plan upload fixture reloads the plan, which replaces its templates
const pollBody = () => ({
	template: 'na-de-les-tegenslag',
	name: unique('Matrix '),
	region: 'obs-haarzicht',
	date: '2024-10-01'
});
const newPoll = (): Promise<{ id: number }> => call(setup.lead, 'POST', `${VV}/polls`, pollBody());
const newOrganisation = (): Promise<{ id: number; version: number }> =>
	call(setup.lead, 'POST', `${VV}/organisations`, { name: unique('Matrix '), kind: 'school' });
const newUser = async (): Promise<number> =>
	(
		await call(setup.admin, 'POST', '/api/v1/admin/users', {
			email: `${unique('matrix')}@test.nl`,
			name: 'Matrix',
			password: 'correct horse battery staple'
		})
	).id;
const newToken = async (): Promise<number> =>
	(await call(setup.admin, 'POST', '/api/v1/admin/tokens', { programme: SLUG, role: 'funder', name: unique('matrix') }))
		.id;
const newMembership = async (): Promise<number> => {
	const user = await newUser();
	await call(setup.admin, 'PUT', `/api/v1/admin/users/${user}/memberships/${SLUG}`, { role: 'funder' });
	return (await db.db.selectFrom('memberships').select('id').where('user_id', '=', user).executeTakeFirstOrThrow()).id;
};
/** A (next step, phase) nobody evaluated yet; only a phase that has started can have a final evaluation. */
const freshPair = (started = false) => {
	const pair = (started ? ids.started : ids.later).shift() ?? ids.started.shift();
	if (!pair) throw new Error('out of (next step, phase) pairs');
	return pair;
};
const complete = {
	status: 'op_koers',
	done: 'Twee ouderavonden.',
	story: 'Ouders herkennen de druk.',
	learnings: 'Vroeg plannen.',
	decision: 'voortzetten',
	followUps: [{ description: 'Tweede ouderavond plannen', owner: 'Projectleider', deadline: '2024-11-15' }]
};
const draft = async (body: object = complete, started = false) => {
	const [nextStepId, phaseId] = freshPair(started);
	const e = await call(setup.lead, 'PUT', `${VV}/evaluations/${nextStepId}/${phaseId}`, body);
	return {
		nextStepId,
		phaseId,
		id: e.id as number,
		version: e.version as number,
		followUp: e.followUps?.[0]?.id as number | undefined
	};
};
const final = async () => {
	const d = await draft(complete, true);
	const e = await call(setup.lead, 'POST', `${VV}/evaluations/${d.id}/finalise`, {});
	return { ...d, version: e.version as number };
};
const evaluationForm = {
	status: 'op_koers',
	done: 'Twee ouderavonden.',
	story: 'Ouders herkennen de druk.',
	learnings: 'Vroeg plannen.',
	decision: 'voortzetten'
};
const actionForm = () => ({
	date: '2024-10-01',
	kind: 'les',
	target: `step:${ids.step}`,
	region: 'obs-haarzicht',
	jongeren: '20',
	ouders: '0',
	professionals: '1',
	description: 'Matrix'
});
const programme = () => db.db.selectFrom('programmes').selectAll().where('slug', '=', SLUG).executeTakeFirstOrThrow();
const plan = () => readFileSync(`indicators/${SLUG}.yaml`);
/** Sign-in as the caller itself (anonymous: a spare account), so each caller's own budget is used. */
const credentials = (caller: Caller) => {
	const a = callers[caller].account ?? spare;
	return { email: a.email, password: a.password };
};

const FIXTURES: Record<string, Fixture> = {
	// API
	'GET /api/v1/health': {},
	'GET /api/v1/ready': {},
	'GET /api/v1/openapi.json': {},
	'POST /api/v1/session': async (caller) => ({ json: credentials(caller) }),
	'GET /api/v1/session': {},
	'DELETE /api/v1/session': {},
	'GET /api/v1/programmes': {},
	'GET /api/v1/programmes/:slug/kompas': {},
	'GET /api/v1/programmes/:slug/indicators/:code/measurements': { query: 'region=obs-haarzicht' },
	'GET /api/v1/admin/users': {},
	'POST /api/v1/admin/users': async () => ({
		json: { email: `${unique('matrix')}@test.nl`, name: 'Matrix', password: 'correct horse battery staple' }
	}),
	'PATCH /api/v1/admin/users/:id': async () => ({ params: { id: await newUser() }, json: { disabled: true } }),
	'POST /api/v1/admin/users/:id/password-reset': async () => ({ params: { id: await newUser() } }),
	'PUT /api/v1/admin/users/:id/memberships/:programme': async () => ({
		params: { id: await newUser(), programme: SLUG },
		json: { role: 'funder' }
	}),
	'DELETE /api/v1/admin/memberships/:id': async () => ({ params: { id: await newMembership() } }),
	'POST /api/v1/admin/plans': { raw: { type: 'application/yaml', data: plan() } },
	'GET /api/v1/admin/tokens': {},
	'POST /api/v1/admin/tokens': async () => ({ json: { programme: SLUG, role: 'funder', name: unique('matrix') } }),
	'DELETE /api/v1/admin/tokens/:id': async () => ({ params: { id: await newToken() } }),
	'GET /api/v1/programmes/:slug/audit': {},
	'GET /api/v1/programmes/:slug/phases': {},
	'GET /api/v1/programmes/:slug/evaluations': {},
	'PUT /api/v1/programmes/:slug/evaluations/:nextStepId/:phaseId': async () => {
		const [nextStepId, phaseId] = freshPair();
		return { params: { nextStepId, phaseId }, json: { status: 'op koers', done: 'Matrix' } };
	},
	'POST /api/v1/programmes/:slug/evaluations/:id/finalise': async () => {
		const d = await draft(complete, true);
		return { params: { id: d.id }, json: { version: d.version } };
	},
	'POST /api/v1/programmes/:slug/evaluations/:id/reopen': async () => {
		const f = await final();
		return { params: { id: f.id }, json: { version: f.version, reason: 'Matrix' } };
	},
	'GET /api/v1/programmes/:slug/progress': {},
	'GET /api/v1/programmes/:slug/report.csv': {},
	'GET /api/v1/programmes/:slug/report.xlsx': {},
	'GET /api/v1/programmes/:slug/actions': {},
	'POST /api/v1/programmes/:slug/actions': async () => ({ json: actionBody(), status: 201 }),
	'GET /api/v1/programmes/:slug/actions/:id': async () => ({ params: { id: live.action } }),
	'PATCH /api/v1/programmes/:slug/actions/:id': async () => {
		const a = await newAction();
		return { params: { id: a.id }, json: { description: 'Matrix, gewijzigd', version: a.version } };
	},
	'DELETE /api/v1/programmes/:slug/actions/:id': async () => ({ params: { id: (await newAction()).id } }),
	'GET /api/v1/programmes/:slug/organisations': {},
	'POST /api/v1/programmes/:slug/organisations': async () => ({ json: { name: unique('Matrix '), kind: 'school' } }),
	'PATCH /api/v1/programmes/:slug/organisations/:id': async () => {
		const o = await newOrganisation();
		return { params: { id: o.id }, json: { name: unique('Matrix '), version: o.version } };
	},
	'GET /api/v1/programmes/:slug/measurements.csv': {},
	'GET /api/v1/programmes/:slug/measurements.xlsx': {},
	'GET /api/v1/programmes/:slug/measurements': {},
	'POST /api/v1/programmes/:slug/measurements': async () => ({ json: measurementBody() }),
	'POST /api/v1/programmes/:slug/measurements/import': async () => ({ raw: { type: 'text/csv', data: csv() } }),
	'GET /api/v1/programmes/:slug/measurements/:id': () => Promise.resolve({ params: { id: ids.approved } }),
	'PATCH /api/v1/programmes/:slug/measurements/:id': async () => {
		const m = await newMeasurement();
		return { params: { id: m.id }, json: { value: 42, version: m.version } };
	},
	'POST /api/v1/programmes/:slug/measurements/:id/approve': async () => {
		const m = await newMeasurement();
		return { params: { id: m.id }, json: { version: m.version } };
	},
	'POST /api/v1/programmes/:slug/measurements/:id/return': async () => {
		const m = await newMeasurement();
		return { params: { id: m.id }, json: { version: m.version, comment: 'Bron ontbreekt' } };
	},
	'POST /api/v1/programmes/:slug/measurements/review': async () => {
		const [a, b] = [await newMeasurement(), await newMeasurement()];
		return { json: { items: [a, b].map(({ id, version }) => ({ id, version })), decision: 'approve' } };
	},
	'GET /api/v1/programmes/:slug/plan.yaml': {},
	'GET /api/v1/programmes/:slug/polls': {},
	'POST /api/v1/programmes/:slug/polls': async () => ({ json: pollBody() }),
	'GET /api/v1/programmes/:slug/polls/:id': async () => ({ params: { id: live.poll } }),
	'GET /api/v1/programmes/:slug/polls/:id/results': async () => ({ params: { id: live.poll } }),
	'POST /api/v1/programmes/:slug/polls/:id/close': async () => ({ params: { id: (await newPoll()).id } }),
	// pages
	// one programme each: on to the role's landing page (landing.ts); the admin sees every programme, so the list
	'PAGE /': async (caller) => ({ status: caller === 'admin' ? 200 : 303 }),
	'PAGE /login': async (caller) => ({ status: caller === 'anonymous' ? 200 : 303 }),
	'PAGE /wachtwoord-vergeten': {},
	'PAGE /wachtwoord/[token]': async () => ({ params: { token: await issueLink(db.db, await newUser(), 'invite') } }),
	'PAGE /peiling/[code]': async () => ({ params: { code: await matrixPoll() } }),
	'PAGE /logout': {},
	'PAGE /account': {},
	'PAGE /overzicht': {},
	'PAGE /admin': {},
	'PAGE /admin/gebruikers': {},
	'PAGE /admin/sleutels': {},
	'PAGE /admin/plannen': {},
	'PAGE /admin/audit': {},
	'PAGE /api/docs': {},
	'PAGE /p/[programme]': {},
	'PAGE /p/[programme]/dashboard': {},
	'PAGE /p/[programme]/rapport': {},
	// renders the report through Chromium as the caller: the PDF of the default period
	'ENDPOINT /p/[programme]/rapport/pdf': {},
	'ENDPOINT /metrics': {},
	'PAGE /p/[programme]/indicatoren/[code]': {},
	'PAGE /p/[programme]/audit': {},
	'PAGE /p/[programme]/acties': {},
	'PAGE /p/[programme]/acties/nieuw': {},
	'PAGE /p/[programme]/acties/[id]': async () => ({ params: { id: live.action } }),
	'PAGE /p/[programme]/organisaties': {},
	'PAGE /p/[programme]/thema/[number]': {},
	'PAGE /p/[programme]/vervolgstappen/[nextStepId]': async () => ({ params: { nextStepId: ids.step } }),
	'PAGE /p/[programme]/fasen': {},
	'PAGE /p/[programme]/evaluaties': {},
	'PAGE /p/[programme]/evaluaties/open': {},
	'PAGE /p/[programme]/evaluaties/[nextStepId]/[phaseId]': async () => ({
		params: { nextStepId: ids.step, phaseId: ids.phase }
	}),
	'PAGE /p/[programme]/meetplan': {},
	'PAGE /p/[programme]/meetplan/knooppunten/nieuw': { query: 'niveau=vervolgstap' },
	'PAGE /p/[programme]/meetplan/knooppunten/[node]': {},
	'PAGE /p/[programme]/meetplan/indicatoren/nieuw': {},
	'PAGE /p/[programme]/meetplan/indicatoren/[code]': {},
	'PAGE /p/[programme]/meetplan/uitsplitsing': {},
	'PAGE /p/[programme]/metingen': {},
	'PAGE /p/[programme]/metingen/nieuw': {},
	'PAGE /p/[programme]/metingen/[id]': async () => ({ params: { id: live.measurement } }),
	'PAGE /p/[programme]/metingen/beoordelen': {},
	'PAGE /p/[programme]/metingen/import': {},
	'PAGE /p/[programme]/peilingen': {},
	'PAGE /p/[programme]/peilingen/[id]': async () => ({ params: { id: live.poll } }),
	'PAGE /p/[programme]/peilingen/[id]/scherm': async () => ({ params: { id: live.poll } }),
	'PAGE /p/[programme]/peilingen/[id]/live': async () => ({ params: { id: live.poll } }),
	'ENDPOINT /p/[programme]/peilingen/[id]/qr.svg': async () => ({ params: { id: live.poll } }),
	// form actions
	'ACTION /login default': async (caller) => ({ form: credentials(caller) }),
	'ACTION /wachtwoord-vergeten default': async () => ({ form: { email: `${unique('matrix')}@test.nl` } }),
	'ACTION /wachtwoord/[token] default': async () => ({
		params: { token: await issueLink(db.db, await newUser(), 'invite') },
		form: { password: 'a password of my own', repeat: 'a password of my own' }
	}),
	// a poll's public page: each caller answers as a new device (no device cookie sent)
	'ACTION /peiling/[code] default': async () => ({ params: { code: await matrixPoll() }, form: ANSWER }),
	'ACTION /logout default': {},
	'ACTION /account default': async (caller) => {
		const account = callers[caller].account;
		if (!account) return { form: { current: 'x', next: 'y', repeat: 'y' } };
		const next = unique('a new password ');
		const current = account.password;
		account.password = next; // the sessions end: the loop signs the caller in again with it
		return { form: { current, next, repeat: next }, resign: true };
	},
	'ACTION /p/[programme]/fasen saveYear': async () => {
		const year = await db.db
			.selectFrom('school_years')
			.select(['id', 'version'])
			.where('id', '=', ids.schoolYear)
			.executeTakeFirstOrThrow();
		const phases = await db.db
			.selectFrom('phases')
			.selectAll()
			.where('school_year_id', '=', year.id)
			.orderBy('start_date')
			.execute();
		const form: Record<string, string> = { schoolYear: String(year.id), version: String(year.version) };
		phases.forEach((p, i) =>
			Object.assign(form, {
				[`phases.${i}.id`]: String(p.id),
				[`phases.${i}.name`]: p.name,
				[`phases.${i}.start`]: p.start_date,
				[`phases.${i}.end`]: p.end_date,
				[`phases.${i}.evaluationDate`]: p.evaluation_date
			})
		);
		return { form };
	},
	'ACTION /p/[programme]/fasen addYear': { form: {} },
	'ACTION /p/[programme]/evaluaties/open followUpDone': async () => {
		const d = await draft();
		return { form: { followUp: String(d.followUp), version: String(d.version) } };
	},
	'ACTION /p/[programme]/evaluaties/[nextStepId]/[phaseId] save': async () => {
		const [nextStepId, phaseId] = freshPair();
		return { params: { nextStepId, phaseId }, form: evaluationForm };
	},
	'ACTION /p/[programme]/evaluaties/[nextStepId]/[phaseId] finalise': async () => {
		const [nextStepId, phaseId] = freshPair(true);
		return { params: { nextStepId, phaseId }, form: evaluationForm };
	},
	'ACTION /p/[programme]/evaluaties/[nextStepId]/[phaseId] reopen': async () => {
		const f = await final();
		return {
			params: { nextStepId: f.nextStepId, phaseId: f.phaseId },
			form: { version: String(f.version), reason: 'Matrix' }
		};
	},
	'ACTION /p/[programme]/evaluaties/[nextStepId]/[phaseId] followUp': async () => {
		const d = await draft();
		return {
			params: { nextStepId: d.nextStepId, phaseId: d.phaseId },
			form: { followUp: String(d.followUp), version: String(d.version), done: '1' }
		};
	},
	'ACTION /admin/gebruikers createUser': async () => ({
		form: {
			email: `${unique('matrix')}@test.nl`,
			name: 'Matrix',
			programme: SLUG,
			role: 'funder'
		}
	}),
	'ACTION /admin/gebruikers disableUser': async () => ({ form: { user: String(await newUser()) } }),
	'ACTION /admin/gebruikers enableUser': async () => {
		const user = await newUser();
		await call(setup.admin, 'PATCH', `/api/v1/admin/users/${user}`, { disabled: true });
		return { form: { user: String(user) } };
	},
	'ACTION /admin/gebruikers resetPassword': async () => ({ form: { user: String(await newUser()) } }),
	'ACTION /admin/gebruikers sendLink': async () => ({ form: { user: String(await newUser()) } }),
	'ACTION /admin/gebruikers setMembership': async () => ({
		form: { user: String(await newUser()), programme: SLUG, role: 'aanjager' }
	}),
	'ACTION /admin/gebruikers removeMembership': async () => ({ form: { membership: String(await newMembership()) } }),
	'ACTION /admin/sleutels create': async () => ({ form: { programme: SLUG, role: 'funder', name: unique('matrix') } }),
	'ACTION /admin/sleutels revoke': async () => ({ form: { token: String(await newToken()) } }),
	'ACTION /admin/plannen default': async () => ({
		form: { plan: new File([plan()], `${SLUG}.yaml`, { type: 'application/yaml' }) }
	}),
	'ACTION /p/[programme]/acties/nieuw default': async () => ({ form: actionForm() }),
	'ACTION /p/[programme]/acties/[id] update': async () => {
		const a = await newAction();
		return { params: { id: a.id }, form: { ...actionForm(), version: String(a.version) } };
	},
	'ACTION /p/[programme]/acties/[id] delete': async () => {
		const a = await newAction();
		return { params: { id: a.id }, form: { version: String(a.version) } };
	},
	'ACTION /p/[programme]/organisaties create': async () => ({
		form: { name: unique('Matrix '), kind: 'school' }
	}),
	'ACTION /p/[programme]/organisaties update': async () => {
		const o = await newOrganisation();
		return {
			form: { id: String(o.id), version: String(o.version), name: unique('Matrix '), kind: 'school' }
		};
	},
	'ACTION /p/[programme]/meetplan move': async () => ({
		form: { kind: 'indicator', code: 'VV-T1-AANDACHT', id: String(ids.indicator), direction: 'down' }
	}),
	'ACTION /p/[programme]/meetplan archive': async () => {
		const i = await newIndicator();
		return {
			form: { kind: 'indicator', code: i.code, id: String(i.id), version: String(i.version), archived: '1' }
		};
	},
	'ACTION /p/[programme]/meetplan delete': async () => {
		const i = await newIndicator();
		return { form: { code: i.code, version: String(i.version) } };
	},
	'ACTION /p/[programme]/meetplan/knooppunten/nieuw default': async () => {
		const step = (await nodeEditor({ db: db.db, programme: await programme() }, 'VV-T1-VS1'))!;
		return { form: { ...step.values, code: unique('VV-MATRIX-'), nodeLevel: 'nextStep' } };
	},
	'ACTION /p/[programme]/meetplan/knooppunten/[node] default': async () => {
		const theme = (await nodeEditor({ db: db.db, programme: await programme() }, 'VV-T1'))!;
		return { params: { node: 'VV-T1' }, form: { ...theme.values, version: String(theme.version) } };
	},
	'ACTION /p/[programme]/meetplan/indicatoren/nieuw default': async () => ({
		form: { ...(await indicatorValues('VV-T1-AANDACHT')), code: unique('VV-MATRIX-') }
	}),
	'ACTION /p/[programme]/meetplan/indicatoren/[code] default': async () => {
		const i = (await indicatorEditor({ db: db.db, programme: await programme() }, 'VV-T1-AANDACHT'))!;
		return { params: { code: i.code }, form: { ...(await indicatorValues(i.code)), version: String(i.version) } };
	},
	'ACTION /p/[programme]/meetplan/uitsplitsing add': async () => ({
		form: {
			version: String((await programme()).version),
			name: 'Matrix',
			key: unique('matrix-'),
			values: 'a: A\nb: B'
		}
	}),
	'ACTION /p/[programme]/meetplan/uitsplitsing update': async () => {
		const key = await dimension('matrix-update');
		return {
			form: {
				version: String((await programme()).version),
				dimension: key,
				name: unique('Matrix '),
				values: 'a: A\nb: B'
			}
		};
	},
	'ACTION /p/[programme]/meetplan/uitsplitsing remove': async () => ({
		form: { version: String((await programme()).version), dimension: await dimension('matrix-remove') }
	}),
	'ACTION /p/[programme]/meetplan/uitsplitsing minGroupSize': async () => ({
		form: { version: String((await programme()).version), minGroupSize: '12' }
	}),
	'ACTION /p/[programme]/metingen/nieuw default': async () => ({
		form: { indicator: 'VV-T1-AANDACHT', region: 'obs-haarzicht', date: freshDate(), value: '40' }
	}),
	'ACTION /p/[programme]/metingen/[id] save': async () => {
		const m = await newMeasurement();
		return {
			params: { id: m.id },
			form: { region: 'obs-haarzicht', date: freshDate(), value: '43', version: String(m.version) }
		};
	},
	'ACTION /p/[programme]/metingen/[id] approve': async () => {
		const m = await newMeasurement();
		return { params: { id: m.id }, form: { version: String(m.version) } };
	},
	'ACTION /p/[programme]/metingen/[id] return': async () => {
		const m = await newMeasurement();
		return { params: { id: m.id }, form: { version: String(m.version), comment: 'Bron ontbreekt' } };
	},
	'ACTION /p/[programme]/metingen/beoordelen approve': async () => {
		const m = await newMeasurement();
		return { form: { id: String(m.id), version: String(m.version) } };
	},
	'ACTION /p/[programme]/metingen/beoordelen return': async () => {
		const m = await newMeasurement();
		return { form: { id: String(m.id), version: String(m.version), comment: 'Bron ontbreekt' } };
	},
	'ACTION /p/[programme]/metingen/beoordelen bulkApprove': async () => {
		const [a, b] = [await newMeasurement(), await newMeasurement()];
		return { form: { pick: [a, b].map((m) => `${m.id}:${m.version}`) } };
	},
	'ACTION /p/[programme]/metingen/beoordelen bulkReturn': async () => {
		const m = await newMeasurement();
		return { form: { pick: [`${m.id}:${m.version}`], comment: 'Bron ontbreekt' } };
	},
	'ACTION /p/[programme]/metingen/import default': async () => ({
		form: { file: new File([csv()], 'metingen.csv', { type: 'text/csv' }) }
	}),
	'ACTION /p/[programme]/peilingen create': async () => ({ form: pollBody() }),
	'ACTION /p/[programme]/peilingen/[id] close': async () => ({ params: { id: (await newPoll()).id }, form: {} })
};

/** An indicator's form values as its edit page sends them (multi-valued fields as their first value). */
async function indicatorValues(code: string): Promise<Record<string, string>> {
	const i = (await indicatorEditor({ db: db.db, programme: await programme() }, code))!;
	return Object.fromEntries(Object.entries(i.values).map(([k, v]) => [k, Array.isArray(v) ? (v[0] ?? '') : v]));
}
/**
 * A dimension of the programme with this key, added once and kept until an allowed caller changes or removes it:
 * refused callers reuse it, so the matrix stays below the programme's most dimensions.
 */
async function dimension(key: string): Promise<string> {
	const p = await programme();
	const list = parseDimensions(p.dimensions);
	if (!list.some((d) => d.key === key)) {
		const values = [
			{ key: 'a', name: 'A' },
			{ key: 'b', name: 'B' }
		];
		await db.db
			.updateTable('programmes')
			.set({ dimensions: storeDimensions([...list, { key, name: 'Matrix', values }]) })
			.where('id', '=', p.id)
			.execute();
	}
	return key;
}
/** A new indicator without measurements, to archive or delete. */
async function newIndicator(): Promise<{ id: number; code: string; version: number }> {
	const code = unique('VV-MATRIX-');
	const body = new URLSearchParams({ ...(await indicatorValues('VV-T1-AANDACHT')), code });
	const res = await fetch(`${server.url}${PAGE}/meetplan/indicatoren/nieuw`, {
		method: 'POST',
		headers: {
			cookie: setup.lead,
			origin: server.url,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded'
		},
		body,
		redirect: 'manual'
	});
	await res.arrayBuffer();
	if (res.status !== 303) throw new Error(`setup: new indicator ${res.status}`);
	const i = (await indicatorEditor({ db: db.db, programme: await programme() }, code))!;
	return { id: i.id, code, version: i.version };
}

const PARAMS: Record<string, string> = {
	slug: SLUG,
	programme: SLUG,
	code: 'VV-T1-AANDACHT',
	node: 'VV-T1',
	number: '1'
};

const MAY: Record<Access, readonly Caller[]> = {
	public: CALLERS,
	signedIn: ['funder', 'aanjager', 'otherLead', 'lead', 'admin'],
	read: ['funder', 'aanjager', 'lead', 'admin'],
	contribute: ['aanjager', 'lead', 'admin'],
	lead: ['lead', 'admin'],
	admin: ['admin'],
	metricsToken: []
};
const METRICS_TOKEN = 'permission-matrix-metrics-token';

/** What a refused caller gets: 401 anonymous, 404 when the programme is invisible to them, else 403. */
function refusal(access: Access, caller: Caller): 401 | 403 | 404 {
	if (caller === 'anonymous' || access === 'metricsToken') return 401;
	if (caller === 'otherLead' && ['read', 'contribute', 'lead'].includes(access)) return 404;
	return 403;
}

interface Route {
	key: string;
	kind: 'api' | 'page' | 'action';
	method: string;
	/** with `:name` (API) or `[name]` (pages) placeholders */
	path: string;
	/** API: the success statuses the OpenAPI document lists */
	success: number[];
}

/** The API's routes and success statuses as its OpenAPI document lists them (openapi.test.ts checks that the app serves exactly these). */
function apiRoutes(): Route[] {
	const doc = apiDocument(offlineApi());
	return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
		HTTP_METHODS.filter((m) => (item as Record<string, unknown>)[m]).map((m) => {
			const op = (item as Record<string, { responses: Record<string, unknown> }>)[m];
			const hono = path.replace(/\{(\w+)\}/g, ':$1');
			const success = Object.keys(op.responses)
				.filter((s) => /^[23]\d\d$/.test(s))
				.map(Number);
			return { key: `${m.toUpperCase()} ${hono}`, kind: 'api' as const, method: m.toUpperCase(), path: hono, success };
		})
	);
}

/** Every file called `name` under a folder (Node 20 has no fs.globSync). */
function pageFiles(dir: string, name = '+page.svelte'): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
		d.isDirectory() ? pageFiles(join(dir, d.name), name) : d.name === name ? [join(dir, d.name)] : []
	);
}

function pageRoutes(): Route[] {
	const root = 'src/routes';
	const routes: Route[] = [];
	for (const file of pageFiles(root)) {
		const id =
			file
				.slice(root.length)
				.replace(/\/\+page\.svelte$/, '')
				.replace(/\/\([^)]+\)/g, '') || '/';
		routes.push({ key: `PAGE ${id}`, kind: 'page', method: 'GET', path: id, success: [200, 303] });
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
			routes.push({
				key: `ACTION ${id} ${name}`,
				kind: 'action',
				method: 'POST',
				path: `${id}${name === 'default' ? '' : `?/${name}`}`,
				success: [200, 303]
			});
	}
	// page-side endpoints (the report's PDF); the API's catch-all is checked route by route above
	for (const file of pageFiles(root, '+server.ts')) {
		const id = file.slice(root.length).replace(/\/\+server\.ts$/, '');
		if (id.startsWith('/api/')) continue;
		for (const [, method] of readFileSync(file, 'utf8').matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g))
			routes.push({ key: `ENDPOINT ${id}`, kind: 'page', method, path: id, success: [200] });
	}
	return routes;
}

/** The URL of a route with the fixture's parameters, else the plans' defaults. */
function urlOf(route: Route, req: Req): string {
	const value = (name: string) => {
		const v = req.params?.[name] ?? PARAMS[name];
		if (v === undefined) throw new Error(`${route.key}: no value for parameter ${name}`);
		return String(v);
	};
	const path = route.path
		.replace(/:(\w+)/g, (_, n: string) => value(n))
		.replace(/\[(?:\.\.\.)?(\w+)\]/g, (_, n: string) => value(n));
	return req.query ? `${path}${path.includes('?') ? '&' : '?'}${req.query}` : path;
}

/** The success status an allowed caller must get; a wrong fixture status is itself a failure. */
function successOf(route: Route, req: Req): number {
	if (route.kind === 'api') {
		if (req.status !== undefined && !route.success.includes(req.status))
			throw new Error(`${route.key}: ${req.status} is not a documented success status (${route.success})`);
		if (req.status === undefined && route.success.length !== 1)
			throw new Error(`${route.key}: several success statuses documented (${route.success}): the fixture names one`);
		return req.status ?? route.success[0];
	}
	return req.status ?? (route.kind === 'page' ? 200 : 303);
}

const accessOf = (e: Entry): Access => (typeof e === 'string' ? e : e.access);
const isLast = (e: Entry | undefined) => typeof e === 'object' && e.last === true;

describe.each(DIALECTS)('permission matrix (every route × every caller) on %s', (dialect) => {
	const routes = [...apiRoutes(), ...pageRoutes()].sort(
		(a, b) => Number(isLast(EXPECTED[a.key])) - Number(isLast(EXPECTED[b.key]))
	);
	const fetcher = (p: string, init: RequestInit) => fetch(server.url + p, init);

	beforeAll(async () => {
		db = await emptyDb(dialect);
		server = await startServer({ DATABASE_URL: db.url, METRICS_TOKEN });
		callers = await signInAll(db.db, fetcher, SLUG, OTHER);
		spare = await createAccount(db.db, 'admin');
		setup = {
			lead: await signIn(fetcher, await createAccount(db.db, { role: 'lead', programme: SLUG })),
			admin: await signIn(fetcher, await createAccount(db.db, 'admin'))
		};
		const p = await programme();
		ids.step = (
			await db.db.selectFrom('next_steps').select('id').where('code', '=', 'VV-T1-VS1').executeTakeFirstOrThrow()
		).id;
		ids.indicator = (
			await db.db
				.selectFrom('indicators')
				.select('id')
				.where('code', '=', 'VV-T1-AANDACHT')
				.where('programme_id', '=', p.id)
				.executeTakeFirstOrThrow()
		).id;
		const year = await db.db
			.selectFrom('school_years')
			.select('id')
			.where('programme_id', '=', p.id)
			.where('name', '=', '2024-2025')
			.executeTakeFirstOrThrow();
		ids.schoolYear = year.id;
		const steps = await db.db
			.selectFrom('next_steps')
			.select('id')
			.where('programme_id', '=', p.id)
			.orderBy('id')
			.execute();
		const phases = await db.db
			.selectFrom('phases')
			.select(['id', 'school_year_id'])
			.where('programme_id', '=', p.id)
			.orderBy('start_date')
			.execute();
		ids.phase = phases[0].id;
		const evaluated = new Set(
			(await db.db.selectFrom('evaluations').select(['next_step_id', 'phase_id']).execute()).map(
				(e) => `${e.next_step_id}:${e.phase_id}`
			)
		);
		const open = (started: boolean) =>
			phases
				.filter((ph) => (ph.school_year_id === year.id) === started)
				.flatMap((ph) => steps.map((s): [number, number] => [s.id, ph.id]))
				.filter(([s, ph]) => !evaluated.has(`${s}:${ph}`));
		// the plan's school year 2024-2025 has started on any date the test runs; other years may lie ahead
		ids.started = open(true);
		ids.later = open(false);
		ids.approved = (
			await db.db
				.selectFrom('measurements as m')
				.innerJoin('indicators as i', 'i.id', 'm.indicator_id')
				.select('m.id')
				.where('i.programme_id', '=', p.id)
				.where('m.status', '=', 'approved')
				.executeTakeFirstOrThrow()
		).id;
		live.action = (await newAction()).id;
		live.measurement = (await newMeasurement()).id;
		live.poll = (await newPoll()).id;
	}, 120_000);
	afterAll(async () => {
		await server?.stop();
		await db?.drop();
	});

	it('should have an expectation and a fixture for every route, and a route for every expectation and fixture', () => {
		const keys = routes.map((r) => r.key);
		expect(
			keys.filter((k) => !(k in EXPECTED)),
			'routes without an entry in EXPECTED'
		).toEqual([]);
		expect(
			keys.filter((k) => !(k in FIXTURES)),
			'routes without an entry in FIXTURES'
		).toEqual([]);
		expect(
			Object.keys(EXPECTED).filter((k) => !keys.includes(k)),
			'entries in EXPECTED for routes that do not exist'
		).toEqual([]);
		expect(
			Object.keys(FIXTURES).filter((k) => !keys.includes(k)),
			'entries in FIXTURES for routes that do not exist'
		).toEqual([]);
	});

	it('should give each allowed caller the success status of a valid request, and refuse the others', async () => {
		const wrong: string[] = [];
		let checked = 0;
		for (const route of routes) {
			const entry = EXPECTED[route.key];
			const fixture = FIXTURES[route.key];
			if (!entry || !fixture) continue;
			const access = accessOf(entry);
			if (isLast(entry))
				// the previous session-ending route signed everyone out: fresh sessions for this one
				for (const caller of CALLERS) {
					const account = callers[caller].account;
					if (account) callers[caller].cookie = await signIn(fetcher, account);
				}
			let refusedReq: Req | undefined;
			for (const caller of CALLERS) {
				const allowed = MAY[access].includes(caller);
				let req: Req;
				try {
					// refused callers share one request (a refusal changes nothing); each allowed caller gets its own
					req = typeof fixture !== 'function' ? fixture : !allowed && refusedReq ? refusedReq : await fixture(caller);
					if (!allowed) refusedReq ??= req;
				} catch (e) {
					wrong.push(`${route.key} as ${caller}: fixture failed: ${(e as Error).message.slice(0, 300)}`);
					continue;
				}
				// pages and form actions are requested as a browser does (a plain fetch would get action JSON)
				const headers: Record<string, string> = {
					origin: server.url,
					accept: route.kind === 'api' ? 'application/json' : 'text/html'
				};
				const cookie = callers[caller].cookie;
				if (cookie) headers.cookie = cookie;
				let body: BodyInit | undefined;
				if (req.raw) {
					headers['content-type'] = req.raw.type;
					body = req.raw.data;
				} else if (req.json !== undefined) {
					headers['content-type'] = 'application/json';
					body = JSON.stringify(req.json);
				} else if (route.kind === 'action') {
					const form = new FormData();
					// SvelteKit drops the connection when a request is refused with its upload unread (the client sees a
					// reset, not the refusal), and no refusal depends on the file: so refused callers upload it empty
					const fields = Object.entries(req.form ?? {}).flatMap(([k, v]) =>
						Array.isArray(v) ? v.map((x) => [k, x] as const) : [[k, v] as const]
					);
					for (const [k, v] of fields)
						form.append(k, v instanceof File && !allowed ? new File([], v.name, { type: v.type }) : v);
					body = fields.some(([, v]) => v instanceof Blob)
						? form
						: new URLSearchParams(fields.map(([k, v]) => [k, String(v)]));
				}
				let res: Response;
				let text: string;
				try {
					res = await fetch(server.url + urlOf(route, req), {
						method: route.method,
						headers,
						body,
						redirect: 'manual'
					});
					text = await res.text();
				} catch (e) {
					wrong.push(`${route.key} as ${caller}: no answer: ${(e as Error).message} ${String((e as Error).cause)}`);
					continue;
				}
				// the hook sends anonymous visitors to /login?next=…; logging out itself ends on plain /login
				const toLogin = res.status === 303 && (res.headers.get('location') ?? '').startsWith('/login?next=');
				const said = res.status >= 400 && res.status < 500 ? ` ${text.slice(0, 300)}` : '';
				if (res.status >= 500) wrong.push(`${route.key} as ${caller}: server error ${res.status}`);
				else if (allowed) {
					const expected = successOf(route, req);
					if (res.status !== expected || toLogin)
						wrong.push(`${route.key} as ${caller}: expected ${expected}, got ${res.status}${said}`);
					if (req.resign && callers[caller].account)
						callers[caller].cookie = await signIn(fetcher, callers[caller].account!);
				} else {
					const expected = refusal(access, caller);
					// a page sends an anonymous visitor to /login; /metrics checks its own token instead
					const toLoginExpected = expected === 401 && route.kind !== 'api' && access !== 'metricsToken';
					const ok = toLoginExpected ? toLogin : res.status === expected;
					if (!ok)
						wrong.push(
							`${route.key} as ${caller}: expected ${toLoginExpected ? 'redirect to /login' : expected}, got ${res.status}`
						);
				}
				checked++;
			}
		}
		expect(wrong).toEqual([]);
		expect(checked).toBe(routes.length * CALLERS.length);
	}, 300_000);

	it('should answer /metrics to the bearer of METRICS_TOKEN, whatever session comes with it', async () => {
		const statuses = [];
		for (const caller of CALLERS) {
			const cookie = callers[caller].cookie;
			const res = await fetch(`${server.url}/metrics`, {
				headers: { authorization: `Bearer ${METRICS_TOKEN}`, ...(cookie ? { cookie } : {}) },
				redirect: 'manual'
			});
			await res.arrayBuffer();
			statuses.push(res.status);
		}
		expect(statuses).toEqual(CALLERS.map(() => 200));
	});
});
