import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../src/lib/server/api/app.ts';
import { createApiToken } from '../../src/lib/server/services/user.service.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { auditAuthor } from '../../src/lib/domain/audit.ts';
import { apiClient } from '../helpers/client.ts';

const VV = { slug: 'vleuten-versterkt' };

describe.each(DIALECTS)('the author of a change made with an API token on %s', (dialect) => {
	let db: TestDb;
	let api: ReturnType<typeof createApi>;
	/** The typed client (Hono RPC) with these credentials: a bearer token or a session cookie. */
	const as = (headers: Record<string, string>) => apiClient(api, () => headers).api.v1.programmes[':slug'];
	let token: { id: number; token: string };
	let leadCookie: string;

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db);
		api = createApi(db);
		const created = await createApiToken(
			{ db: db.db, actor: null },
			{ programme: 'vleuten-versterkt', role: 'lead', name: 'Koppeling GGD' }
		);
		if (!created.ok) throw new Error(created.refusal.message);
		token = created.value;
		leadCookie = await signIn(
			(p, init) => Promise.resolve(api.request(p, init)),
			await createAccount(db.db, { role: 'lead', programme: 'vleuten-versterkt' })
		);
	});
	afterAll(async () => db?.drop());

	it('should store the token as the author, and show it in the audit API as "API-sleutel <name>"', async () => {
		const res = await as({ authorization: `Bearer ${token.token}` }).measurements.$post({
			param: VV,
			json: { indicator: 'VV-T1-AANDACHT', region: 'obs-haarzicht', date: '2025-03-01', value: 31 }
		});
		expect(res.status, await res.clone().text()).toBe(201);
		const { id } = (await res.json()) as { id: number };
		const row = await db.db
			.selectFrom('audit_log')
			.selectAll()
			.where('entity', '=', 'measurement')
			.where('entity_id', '=', id)
			.executeTakeFirstOrThrow();
		expect([row.action, row.user_id, row.api_token_id]).toEqual(['create', null, token.id]);

		const log = (await (await as({ cookie: leadCookie }).audit.$get({ param: VV, query: {} })).json()) as {
			entityId: number;
			user: string | null;
			apiToken: unknown;
		}[];
		const entry = log.find((e) => e.entityId === id)!;
		expect(entry.user).toBeNull();
		expect(entry.apiToken).toEqual({ id: token.id, name: 'Koppeling GGD' });
		expect(auditAuthor(entry as never)).toBe('API-sleutel Koppeling GGD');
	});

	it('should keep naming a user as the author of a change made in a session', async () => {
		const res = await as({ cookie: leadCookie }).measurements.$post({
			param: VV,
			json: { indicator: 'VV-T1-AANDACHT', region: 'obs-haarzicht', date: '2025-03-02', value: 30 }
		});
		expect(res.status).toBe(201);
		const { id } = (await res.json()) as { id: number };
		const row = await db.db
			.selectFrom('audit_log')
			.selectAll()
			.where('entity', '=', 'measurement')
			.where('entity_id', '=', id)
			.executeTakeFirstOrThrow();
		expect(row.user_id).not.toBeNull();
		expect(row.api_token_id).toBeNull();
	});
});
