/**
 * The API contract: GET /api/v1/openapi.json is a sound OpenAPI 3.1 document (checked here without a
 * validator package), and it lists exactly the routes the Hono app serves, in both directions.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiDocument, createApi } from '../../src/lib/server/api/app.ts';
import { HTTP_METHODS } from '../../src/lib/domain/api-reference.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { apiClient } from '../helpers/client.ts';
import { documentedRoutes, offlineApi } from '../helpers/openapi.ts';
import { TMP } from '../helpers/environment.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { createDb } from '../../src/lib/server/db/create-db.ts';

type Doc = ReturnType<typeof apiDocument> & Record<string, unknown>;
const documentRoutes = (doc: Doc) => documentedRoutes(doc).map((r) => `${r.method} ${r.path}`);

/** `METHOD /path/{param}` for every handler the Hono app serves (its middleware excluded). */
const servedRoutes = (api: ReturnType<typeof offlineApi>) => [
	...new Set(
		api.routes
			.filter((r) => r.method !== 'ALL' && !r.path.endsWith('*'))
			.map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
	)
];

/** Every `$ref` in the document, with where it was found. */
function refs(node: unknown, at = '#'): { at: string; ref: string }[] {
	if (Array.isArray(node)) return node.flatMap((n, i) => refs(n, `${at}/${i}`));
	if (!node || typeof node !== 'object') return [];
	return Object.entries(node).flatMap(([k, v]) =>
		k === '$ref' && typeof v === 'string' ? [{ at, ref: v }] : refs(v, `${at}/${k}`)
	);
}

function resolves(doc: unknown, ref: string): boolean {
	if (!ref.startsWith('#/')) return false;
	let node: unknown = doc;
	for (const part of ref
		.slice(2)
		.split('/')
		.map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))) {
		if (!node || typeof node !== 'object' || !(part in node)) return false;
		node = (node as Record<string, unknown>)[part];
	}
	return node !== undefined;
}

describe('the OpenAPI document', () => {
	const api = offlineApi();
	const doc = apiDocument(api) as Doc;
	const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
		HTTP_METHODS.flatMap((m) => {
			const op = (
				item as Record<
					string,
					{
						operationId?: string;
						responses?: Record<string, unknown>;
						parameters?: { in: string; name: string; required?: boolean }[];
					}
				>
			)[m];
			return op ? [{ key: `${m.toUpperCase()} ${path}`, path, op }] : [];
		})
	);

	it('should list exactly the routes the Hono app serves, in both directions', () => {
		const documented = documentRoutes(doc);
		const served = servedRoutes(api);
		expect(served.length).toBeGreaterThan(40);
		expect(
			served.filter((r) => !documented.includes(r)),
			'served but not in the document'
		).toEqual([]);
		expect(
			documented.filter((r) => !served.includes(r)),
			'in the document but not served'
		).toEqual([]);
	});

	it('should document the breakdown filter of progress and the report files, with invalid_filter and the suppressed mark', () => {
		for (const path of [
			'/programmes/{slug}/progress',
			'/programmes/{slug}/report.csv',
			'/programmes/{slug}/report.xlsx'
		]) {
			const op = operations.find((o) => o.key === `GET ${path}` || o.key === `GET /api/v1${path}`);
			expect(op, path).toBeDefined();
			const description = (op!.op as { description?: string }).description ?? '';
			expect(description, path).toContain('?geslacht=meisje');
			expect(description, path).toContain('invalid_filter');
		}
		expect(JSON.stringify(doc)).toContain('bij een uitsplitsing: te weinig respondenten');
	});

	it('should be OpenAPI 3.1 with an info block and both security schemes', () => {
		expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
		expect(doc.info.title).toBe('Kompas Monitor API');
		expect(doc.info.version).toBeTruthy();
		expect(Object.keys(doc.components?.securitySchemes ?? {}).sort()).toEqual(['sessie', 'token']);
		expect(doc.security).toEqual([{ sessie: [] }, { token: [] }]);
	});

	it('should give every operation a unique id, a summary, its responses and a declared path parameter for every {name}', () => {
		expect(operations.length).toBe(documentRoutes(doc).length);
		const problems: string[] = [];
		const ids = new Set<string>();
		for (const { key, path, op } of operations) {
			if (!op.operationId) problems.push(`${key}: no operationId`);
			else if (ids.has(op.operationId)) problems.push(`${key}: operationId ${op.operationId} twice`);
			else ids.add(op.operationId);
			const statuses = Object.keys(op.responses ?? {});
			if (!statuses.some((s) => /^2\d\d$/.test(s))) problems.push(`${key}: no success response`);
			for (const name of path.match(/\{(\w+)\}/g)?.map((p) => p.slice(1, -1)) ?? [])
				if (!op.parameters?.some((p) => p.in === 'path' && p.name === name && p.required === true))
					problems.push(`${key}: path parameter ${name} not declared`);
			for (const p of op.parameters ?? [])
				if (p.in === 'path' && !path.includes(`{${p.name}}`))
					problems.push(`${key}: parameter ${p.name} not in the path`);
		}
		expect(problems).toEqual([]);
	});

	it('should describe every refusal with the one error shape, and 401 on every route that needs a caller', () => {
		const problems: string[] = [];
		for (const { key, op } of operations) {
			const responses = op.responses as Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
			for (const [status, r] of Object.entries(responses))
				if (/^[45]\d\d$/.test(status) && r.content?.['application/json']?.schema?.$ref !== '#/components/schemas/Fout')
					problems.push(`${key} ${status}`);
			const isPublic =
				Array.isArray((op as { security?: unknown[] }).security) &&
				(op as { security: unknown[] }).security.length === 0;
			if (!isPublic && !responses['401']) problems.push(`${key}: no 401`);
		}
		expect(problems).toEqual([]);
		expect(
			operations
				.filter(({ op }) => (op as { security?: unknown[] }).security?.length === 0)
				.map((o) => o.key)
				.sort()
		).toEqual(['GET /api/v1/health', 'GET /api/v1/ready', 'POST /api/v1/session']);
	});

	it('should resolve every $ref', () => {
		const all = refs(doc);
		expect(all.length).toBeGreaterThan(0);
		expect(all.filter(({ ref }) => !resolves(doc, ref))).toEqual([]);
	});

	it('should describe the import as a raw CSV or XLSX body, not JSON', () => {
		const body = (
			doc.paths?.['/api/v1/programmes/{slug}/measurements/import'] as {
				post: { requestBody: { content: Record<string, unknown> } };
			}
		).post.requestBody;
		expect(Object.keys(body.content)).toEqual([
			'text/csv',
			'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'multipart/form-data'
		]);
	});
});

describe.each(DIALECTS)('GET /api/v1/openapi.json on %s', (dialect) => {
	let db: TestDb;
	let api: ReturnType<typeof createApi>;
	let cookie = '';
	const client = () => apiClient(api, (): Record<string, string> => (cookie ? { cookie } : {}));

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db);
		api = createApi(db);
	});
	afterAll(async () => db?.drop());

	it('should serve the document to a signed-in caller only', async () => {
		expect((await client().api.v1['openapi.json'].$get()).status).toBe(401);
		cookie = await signIn(
			(p, init) => Promise.resolve(api.request(p, init)),
			await createAccount(db.db, { role: 'funder', programme: 'vleuten-versterkt' })
		);
		const res = await client().api.v1['openapi.json'].$get();
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual(JSON.parse(JSON.stringify(apiDocument(api))));
	});

	it('should refuse a declared JSON body sent as another media type with a Dutch 415, changing nothing', async () => {
		const admin = await signIn((p, init) => Promise.resolve(api.request(p, init)), await createAccount(db.db, 'admin'));
		const before = await db.db
			.selectFrom('users')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		const res = await api.request('/api/v1/admin/users', {
			method: 'POST',
			headers: { cookie: admin, origin: 'http://localhost', 'content-type': 'text/plain' },
			body: JSON.stringify({ email: 'x@test.nl', name: 'X', password: 'lang genoeg wachtwoord' })
		});
		expect(res.status).toBe(415);
		expect(await res.json()).toEqual({
			error: { code: 'unsupported_media_type', message: 'Stuur de body als JSON (Content-Type: application/json).' }
		});
		const after = await db.db
			.selectFrom('users')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		expect(Number(after.n)).toBe(Number(before.n));
	});
});

describe('the contract on the built server', () => {
	let server: RunningServer;
	let cookie: string;
	const dbFile = join(TMP, `openapi-${process.pid}.db`);
	const expected = documentRoutes(apiDocument(offlineApi()) as Doc);

	beforeAll(async () => {
		rmSync(dbFile, { force: true });
		server = await startServer({ DATABASE_URL: dbFile, SEED_ON_EMPTY: 'false' });
		const db = createDb(dbFile);
		cookie = await signIn((p, init) => fetch(server.url + p, init), await createAccount(db.db, 'admin'));
		await db.close();
	});
	afterAll(async () => {
		await server?.stop();
		rmSync(dbFile, { force: true });
	});

	it('should serve the same document as the code makes', async () => {
		const res = await fetch(`${server.url}/api/v1/openapi.json`, { headers: { cookie } });
		expect(res.status).toBe(200);
		expect(documentRoutes((await res.json()) as Doc)).toEqual(expected);
	});

	it('should render /api/docs for a signed-in user with every operation, and send others to the login page', async () => {
		const anonymous = await fetch(`${server.url}/api/docs`, { redirect: 'manual' });
		expect(anonymous.status).toBe(303);
		expect(anonymous.headers.get('location')).toBe('/login?next=%2Fapi%2Fdocs');
		const res = await fetch(`${server.url}/api/docs`, { headers: { cookie, accept: 'text/html' } });
		expect(res.status).toBe(200);
		const html = await res.text();
		expect(html).toContain('<h1>API-naslag</h1>');
		const listed = [...html.matchAll(/data-operation="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
		expect(listed.sort()).toEqual([...expected].sort());
		// the fields of a body the service checks itself come from its documented schema
		expect(html).toMatch(
			/data-operation="POST \/api\/v1\/programmes\/\{slug\}\/actions"[\s\S]*?<caption[^>]*>Velden van de body<\/caption>[\s\S]*?<code>description<\/code>/
		);
	});
});
