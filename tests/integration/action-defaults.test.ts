import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { createAccount } from '../helpers/accounts.ts';
import { findProgramme } from '../../src/lib/server/services/kompas.service.ts';
import { actionDefaults, actionOptions } from '../../src/lib/server/services/action-options.service.ts';
import { createAction } from '../../src/lib/server/services/action.service.ts';
import type { RequestContext } from '../../src/lib/server/request-context.ts';

/** The action form's starting values (issue 16): a region that is always valid, and same-named choices told apart. */
describe.each(DIALECTS)('action form defaults on %s', (dialect) => {
	let db: TestDb;
	let ctx: RequestContext;
	let theater: number;
	let haarzicht: number;
	const TODAY = '2026-12-03';

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db);
		const programme = (await findProgramme(db.db, 'vleuten-versterkt'))!;
		const account = await createAccount(db.db, { role: 'aanjager', programme: 'vleuten-versterkt' });
		ctx = {
			db: db.db,
			programme,
			actor: {
				userId: account.id,
				name: 'aanjager',
				email: account.email,
				isAdmin: false,
				roles: { [programme.id]: 'aanjager' },
				via: 'session'
			}
		};
		const options = await actionOptions(ctx);
		theater = options.solutions.find((s) => s.title.startsWith('Theater — Thema 3'))!.id;
		haarzicht = options.organisations.find((o) => o.name === 'OBS Haarzicht')!.id;
	});
	afterAll(async () => {
		await db?.drop();
	});

	const log = async (over: Record<string, unknown>) => {
		const result = await createAction(
			ctx,
			{
				date: '2026-11-12',
				solution: theater,
				kind: 'bijeenkomst',
				organisation: null,
				reached: { jongeren: 0, ouders: 10, professionals: 0 },
				description: 'Ouderavond',
				...over
			},
			{ today: TODAY }
		);
		expect(result.ok, JSON.stringify(result)).toBe(true);
	};

	it('should name the theme of each choice that shares its name with another', async () => {
		const options = await actionOptions(ctx);
		const theaters = options.targets.flatMap((g) => g.options).filter((o) => o.label.startsWith('Theater'));
		expect(theaters.map((o) => o.label)).toEqual([
			'Theater — Thema 2. Zelfbeeld en eigen behoeftes',
			'Theater — Thema 3. Lat omlaag'
		]);
		expect(options.solutions.filter((s) => s.title.startsWith('Theater'))).toHaveLength(2);
	});

	it('should leave the region to choose for someone without history, among several regions', async () => {
		expect((await actionDefaults(ctx, TODAY)).region).toBe('');
	});

	it('should start from the region used last, without an organisation', async () => {
		await log({ region: 'amadeus-lyceum' });
		const defaults = await actionDefaults(ctx, TODAY);
		expect([defaults.organisation, defaults.region]).toEqual(['', 'amadeus-lyceum']);
	});

	it("should start from the organisation's region once an organisation was used", async () => {
		await log({ organisation: haarzicht, region: 'vleuten-de-meern' });
		const defaults = await actionDefaults(ctx, TODAY);
		expect([defaults.organisation, defaults.region]).toEqual([String(haarzicht), 'obs-haarzicht']);
		// and the defaults make a valid action as they are
		const result = await createAction(
			ctx,
			{
				...defaults,
				solution: theater,
				organisation: haarzicht,
				reached: { jongeren: 1, ouders: 0, professionals: 0 },
				description: 'Les'
			},
			{ today: TODAY }
		);
		expect(result.ok, JSON.stringify(result)).toBe(true);
	});

	it('should ask the reach of the groups each choice’s derived indicators count: one group, or all of a split', async () => {
		const { reach, targets } = await actionOptions(ctx);
		const option = (label: string) => targets.flatMap((t) => t.options).find((o) => o.label === label)!;
		// Theater in theme 3 counts parents (VV-T3-S1-BEREIK); Theater in theme 2 is split by doelgroep
		expect(reach.byTarget[option('Theater — Thema 3. Lat omlaag').value]).toEqual(['ouders']);
		expect(reach.byTarget[option('Theater — Thema 2. Zelfbeeld en eigen behoeftes').value]).toEqual([
			'jongeren',
			'ouders',
			'professionals'
		]);
		// Stappenplan: youth (sessions and meetings) and professionals, two indicators
		expect(reach.byTarget[option('Stappenplan').value]).toEqual(['jongeren', 'professionals']);
		// without JavaScript the form asks every group any derived indicator counts
		expect(reach.all).toEqual(['jongeren', 'ouders', 'professionals']);
		// a next step counts only the indicators on the step (and above): none of the seed's reach indicators
		const step = targets.flatMap((t) => t.options).find((o) => o.solutionId === null)!;
		expect(reach.byTarget[step.value]).toEqual([]);
	});
});
