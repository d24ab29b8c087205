import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/domain/permissions.ts';
import { adminOverview, ATTENTION_LIMIT } from '../../src/lib/server/services/admin-overview.service.ts';
import {
	createApiToken,
	createUser,
	revokeApiToken,
	setUserDisabled
} from '../../src/lib/server/services/user.service.ts';
import { createAccount, PASSWORD } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';

describe.each(DIALECTS)('the admin overview on %s', (dialect) => {
	let db: TestDb;
	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db);
	}, 120_000);
	afterAll(async () => db?.drop());

	it('should count accounts and tokens, and name what asks for a decision, at most ten of each', async () => {
		const me = await createAccount(db.db, 'admin');
		const meActor: Actor = { userId: me.id, name: 'ik', email: me.email, isAdmin: true, roles: {}, via: 'session' };
		await createAccount(db.db, { role: 'funder', programme: 'vleuten-versterkt' });
		const leaver = await createAccount(db.db, 'admin');
		const leaverActor: Actor = {
			userId: leaver.id,
			name: 'weg',
			email: leaver.email,
			isAdmin: true,
			roles: {},
			via: 'session'
		};
		const token = async (name: string, by: Actor) => {
			const created = await createApiToken(
				{ db: db.db, actor: by },
				{ programme: 'zkl-onder-druk', role: 'funder', name }
			);
			if (!created.ok) throw new Error(created.refusal.message);
			return created.value.id;
		};
		await token('van mij', meActor);
		const revoked = await token('ingetrokken', leaverActor);
		expect(await revokeApiToken({ db: db.db, actor: meActor }, revoked)).toEqual({ ok: true, value: null });
		// a second revoke is refused, so the page can say so instead of reporting success
		expect((await revokeApiToken({ db: db.db, actor: meActor }, revoked)).ok).toBe(false);
		for (let i = 0; i < ATTENTION_LIMIT + 2; i++) await token(`koppeling ${i}`, leaverActor);
		for (let i = 0; i < ATTENTION_LIMIT + 1; i++) {
			const created = await createUser(
				{ db: db.db, actor: meActor },
				{ email: `zonder-rol-${i}@${dialect}.nl`, name: `Zonder rol ${i}`, password: PASSWORD, isAdmin: false }
			);
			expect(created.ok).toBe(true);
		}
		expect((await setUserDisabled({ db: db.db, actor: meActor }, leaver.id, true)).ok).toBe(true);

		const overview = await adminOverview(db.db);
		expect(overview.users).toEqual({ active: 2 + ATTENTION_LIMIT + 1, blocked: 1, admins: 1 });
		expect(overview.programmes).toBe(2);
		expect(overview.tokens).toEqual({ live: 1 + ATTENTION_LIMIT + 2, revoked: 1 });
		expect(overview.orphanedTokens.total).toBe(ATTENTION_LIMIT + 2);
		expect(overview.orphanedTokens.first).toHaveLength(ATTENTION_LIMIT);
		expect(new Set(overview.orphanedTokens.first.map((t) => t.creator))).toEqual(new Set([leaver.email.split('@')[0]]));
		expect(overview.orphanedTokens.first.map((t) => t.name)).not.toContain('van mij');
		expect(overview.orphanedTokens.first.map((t) => t.name)).not.toContain('ingetrokken');
		expect(overview.withoutRole.total).toBe(ATTENTION_LIMIT + 1);
		expect(overview.withoutRole.first).toHaveLength(ATTENTION_LIMIT);
		expect(overview.withoutRole.first.every((u) => u.name.startsWith('Zonder rol'))).toBe(true);
	});
});
