import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/domain/permissions.ts';
import type { Programme } from '../../src/lib/server/db/schema.ts';
import { createOrganisation, updateOrganisation } from '../../src/lib/server/services/organisation.service.ts';
import { createUser } from '../../src/lib/server/services/user.service.ts';
import { createIndicator } from '../../src/lib/server/services/indicator-edit.service.ts';
import { readIndicatorForm } from '../../src/lib/domain/plan-edit.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans, tableCounts } from '../helpers/plans.ts';

/**
 * The same thing stored twice at the same moment (a double click, two colleagues): the database's unique
 * key decides, and the second hears the same Dutch refusal as when it comes later — never a 500.
 */
describe.each(DIALECTS)('simultaneous creates on %s', (dialect) => {
	let db: TestDb;
	let programme: Programme;
	const admin: Actor = { userId: null, name: 'admin', email: null, isAdmin: true, roles: {}, via: 'session' };

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db);
		programme = await db.db
			.selectFrom('programmes')
			.selectAll()
			.where('slug', '=', 'vleuten-versterkt')
			.executeTakeFirstOrThrow();
	});
	afterAll(async () => db?.drop());

	it('should store one organisation of a name and refuse the other', async () => {
		const before = (await tableCounts(db)).organisations;
		const results = await Promise.all(
			[1, 2].map(() =>
				createOrganisation({ db: db.db, programme, actor: admin }, { name: 'Sportclub De Tweeling', kind: 'club' })
			)
		);
		expect(results.map((r) => r.ok).sort()).toEqual([false, true]);
		const refused = results.find((r) => !r.ok)!;
		expect(refused).toMatchObject({
			ok: false,
			refusal: {
				code: 'invalid_input',
				status: 400,
				issues: [{ path: 'name', message: 'Er is al een organisatie "Sportclub De Tweeling" in dit programma.' }]
			}
		});
		expect((await tableCounts(db)).organisations).toBe(before + 1);
	});

	it('should refuse renaming two organisations to one name at once', async () => {
		const made = await Promise.all(
			['Club A', 'Club B'].map((name) =>
				createOrganisation({ db: db.db, programme, actor: admin }, { name, kind: 'club' })
			)
		);
		const [a, b] = made.map((r) => (r.ok ? r.value : null)!);
		const results = await Promise.all(
			[a, b].map((o) =>
				updateOrganisation({ db: db.db, programme, actor: admin }, o.id, { name: 'Club C', version: o.version })
			)
		);
		expect(results.map((r) => r.ok).sort()).toEqual([false, true]);
	});

	it('should create one account of an e-mail address and refuse the other', async () => {
		const user = {
			email: 'dubbel@gemeente.example',
			name: 'Dubbel',
			password: 'een-lang-wachtwoord-2026',
			isAdmin: false
		};
		const results = await Promise.all([1, 2].map(() => createUser({ db: db.db, actor: admin }, user)));
		expect(results.map((r) => r.ok).sort()).toEqual([false, true]);
		expect(results.find((r) => !r.ok)).toEqual({
			ok: false,
			refusal: {
				code: 'invalid_input',
				status: 400,
				message: 'Er bestaat al een account met dit e-mailadres.',
				issues: [{ path: 'email', message: 'Er bestaat al een account met dit e-mailadres.' }]
			}
		});
		expect(await db.db.selectFrom('users').select('id').where('email', '=', user.email).execute()).toHaveLength(1);
	});

	it('should add one indicator of a code to the plan and refuse the other', async () => {
		const form = readIndicatorForm({
			code: 'VV-T1-TWEELING',
			node: 'VV-T1',
			name: 'Tweemaal ingevoerd',
			definition: 'Test.',
			kind: 'programme',
			unit: 'count',
			direction: 'higher_is_better',
			rba: 'how_much',
			targetGroup: 'jongeren',
			source: 'Test',
			method: 'Geteld',
			frequency: 'per_phase',
			aggregation: 'sum',
			owner: ''
		});
		if (!form.ok) throw new Error(JSON.stringify(form.errors));
		const results = await Promise.all(
			[1, 2].map(() => createIndicator({ db: db.db, programme, actor: admin }, form.value, null))
		);
		expect(results.map((r) => r.ok).sort()).toEqual([false, true]);
		expect(results.find((r) => !r.ok)).toMatchObject({
			ok: false,
			refusal: {
				code: 'invalid_input',
				status: 400,
				issues: [{ path: 'code', message: 'De code VV-T1-TWEELING is al in gebruik in dit plan.' }]
			}
		});
	});
});
