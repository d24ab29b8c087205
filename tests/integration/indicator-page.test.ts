import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Programme } from '../../src/lib/server/db/schema.ts';
import { indicatorPage } from '../../src/lib/server/services/indicator-page.service.ts';
import { actionDateToConfirm, measurementDateToConfirm } from '../../src/lib/server/services/outside-phases.service.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';

const SLUG = 'vleuten-versterkt';
/** A fixed today, in phase November of school year 2026-2027. */
const TODAY = '2026-11-15';
/** a yearly survey indicator: valid 15 months after its date */
const YEARLY = 'VV-AMB-1-STRESS';

describe.each(DIALECTS)('indicator page and summer dates on %s', (dialect) => {
	let db: TestDb;
	let programme: Programme;
	let root: { id: number; slug: string; name: string };
	let school: { id: number; slug: string };
	const ctx = () => ({ db: db.db, programme });
	const funder = () => ({
		userId: 0,
		name: 'funder',
		email: 'funder@test.nl',
		isAdmin: false,
		roles: { [programme.id]: 'funder' as const },
		via: 'session' as const
	});
	const setIndicator = (values: Record<string, unknown>) =>
		db.db
			.updateTable('indicators')
			.set(values)
			.where('code', '=', YEARLY)
			.where('programme_id', '=', programme.id)
			.execute();
	const page = (region: string) =>
		indicatorPage({ ...ctx(), actor: funder() }, YEARLY, region, { includeUnapproved: false, today: TODAY }).then(
			(p) => {
				if (!p) throw new Error(`${YEARLY} not found`);
				return p;
			}
		);

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db);
		programme = await db.db.selectFrom('programmes').selectAll().where('slug', '=', SLUG).executeTakeFirstOrThrow();
		const regions = await db.db.selectFrom('regions').selectAll().where('programme_id', '=', programme.id).execute();
		// a region with several schools: it is not the same area as one of them
		const childrenOf = (id: number) => regions.filter((r) => r.parent_id === id);
		root = regions.find((r) => childrenOf(r.id).length > 1)!;
		school = childrenOf(root.id)[0];
		const indicator = await db.db
			.selectFrom('indicators')
			.select('id')
			.where('code', '=', YEARLY)
			.where('programme_id', '=', programme.id)
			.executeTakeFirstOrThrow();
		await setIndicator({
			frequency: 'yearly',
			valid_months: null,
			direction: 'lower_is_better',
			baseline_value: 40,
			target_value: 30,
			baseline_region: 'nederland',
			comparable: 0
		});
		const row = (date: string, value: number) => ({
			indicator_id: indicator.id,
			region_id: root.id,
			date,
			value,
			text: null,
			n: 120,
			source: 'Jeugdmonitor',
			note: null,
			status: 'approved' as const,
			review_comment: null,
			demo: 0,
			created_by: null,
			reviewed_by: null,
			reviewed_at: null,
			version: 1,
			created_at: `${date}T10:00:00Z`,
			updated_at: `${date}T10:00:00Z`
		});
		await db.db
			.insertInto('measurements')
			.values([row('2025-06-30', 38), row('2026-10-03', 35)])
			.execute();
	});
	afterAll(async () => db?.drop());

	it('should mark a value past its validity on today as verouderd, and a recent one not', async () => {
		const p = await page(root.slug);
		expect(p.measurements.map((m) => [m.date, m.stale, m.validUntil])).toEqual([
			['2025-06-30', true, '2026-09-30'],
			['2026-10-03', false, '2028-01-03']
		]);
	});

	it("should name the baseline's area and say a national baseline does not compare with the programme's values", async () => {
		const p = await page(root.slug);
		expect(p.baseline.area).toBe('Nederland (landelijk)');
		expect(p.baseline.comparability).toEqual({
			comparable: false,
			scope: 'nederland',
			label: 'landelijke nulmeting — niet vergelijkbaar'
		});
		expect(p.planningWarning).toBeNull();
	});

	it('should compare a baseline of the region itself, but not with one school in it', async () => {
		await setIndicator({ baseline_region: root.slug });
		expect((await page(root.slug)).baseline.comparability).toEqual({ comparable: true });
		expect((await page(school.slug)).baseline).toEqual({
			area: root.name,
			comparability: { comparable: false, scope: root.slug, label: `nulmeting van ${root.name} — niet vergelijkbaar` }
		});
		await setIndicator({ comparable: 1 });
		expect((await page(school.slug)).baseline.comparability).toEqual({ comparable: true });
	});

	it('should warn when the target lies on the wrong side of the baseline', async () => {
		await setIndicator({ target_value: 45 });
		expect((await page(root.slug)).planningWarning).toBe(
			'De streefwaarde (45) ligt boven de nulmeting (40), terwijl lager beter is: zo is geen voortgang te berekenen.'
		);
		await setIndicator({ target_value: 30 });
	});

	it('should ask to confirm an action dated in the summer, once per date', async () => {
		expect(await actionDateToConfirm(ctx(), '2026-07-20')).toBe('2026-07-20');
		expect(await actionDateToConfirm(ctx(), '20-7-2026', '')).toBe('2026-07-20');
		expect(await actionDateToConfirm(ctx(), '2026-07-20', '2026-07-20')).toBeNull();
		expect(await actionDateToConfirm(ctx(), '2026-10-05')).toBeNull();
		expect(await actionDateToConfirm(ctx(), 'geen datum')).toBeNull();
	});

	it('should ask to confirm only a per-period measurement dated in the summer', async () => {
		expect(await measurementDateToConfirm(ctx(), 'VV-T2-S1-BEREIK', '2026-07-20')).toBe('2026-07-20');
		expect(await measurementDateToConfirm(ctx(), 'VV-T2-S1-BEREIK', '2026-07-20', '2026-07-20')).toBeNull();
		expect(await measurementDateToConfirm(ctx(), 'VV-T2-S1-BEREIK', '2026-10-05')).toBeNull();
		// a yearly value stays valid from its date on, wherever that falls
		expect(await measurementDateToConfirm(ctx(), YEARLY, '2026-07-20')).toBeNull();
		expect(await measurementDateToConfirm(ctx(), 'BESTAAT-NIET', '2026-07-20')).toBeNull();
	});
});
