import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/domain/permissions.ts';
import type { Programme } from '../../src/lib/server/db/schema.ts';
import { readIndicatorForm } from '../../src/lib/domain/plan-edit.ts';
import { readDimensionForm, readMinGroupSize } from '../../src/lib/domain/dimension-edit.ts';
import { parseCategoryTargets, parseDimensions, parseIndicatorDimensions } from '../../src/lib/domain/breakdown.ts';
import { findProgramme } from '../../src/lib/server/services/kompas.service.ts';
import { indicatorEditor, updateIndicator } from '../../src/lib/server/services/indicator-edit.service.ts';
import {
	addDimension,
	dimensionsEditor,
	removeDimension,
	setMinGroupSize,
	updateDimension
} from '../../src/lib/server/services/dimension-edit.service.ts';
import { loadPlan } from '../../src/lib/server/services/plan-loader.service.ts';
import { planOutline } from '../../src/lib/server/services/plan-edit.service.ts';
import { PlanFileError } from '../../src/lib/server/plan-files.ts';
import { planIndicators, validatePlan } from '../../src/lib/domain/plan-validation.ts';
import { STALE_MESSAGE } from '../../src/lib/domain/result.ts';
import { createAccount } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { tableCounts } from '../helpers/plans.ts';
import { indicator, measurementWith, zklWithDimensions } from '../helpers/plan-dimensions.ts';

const SLUG = 'zkl-onder-druk';

const formOk = <T>(r: { ok: true; value: T } | { ok: false; errors: Record<string, string> }): T => {
	if (!r.ok) throw new Error(`form refused: ${JSON.stringify(r.errors)}`);
	return r.value;
};

/**
 * The plan editor's breakdowns (issue 17, part A): a lead adds and changes dimensions, attaches them to an
 * indicator with targets per category, sets the minimum group size; a category that measurements carry is
 * never removed (archived instead), in the editor and on a plan reload; every change on the version it was
 * made on, audited, and a refused one changes nothing.
 */
describe.each(DIALECTS)('plan dimensions on %s', (dialect) => {
	let db: TestDb;
	let lead: Actor;
	const programme = async (): Promise<Programme> => (await findProgramme(db.db, SLUG))!;
	const ctx = async () => ({ db: db.db, programme: await programme(), actor: lead });
	const audits = (entity: string) =>
		db.db.selectFrom('audit_log').selectAll().where('entity', '=', entity).orderBy('id').execute();

	beforeAll(async () => {
		db = await migratedDb(dialect);
		const { plan, library } = zklWithDimensions();
		await loadPlan(db.db, plan, library);
		const account = await createAccount(db.db, { role: 'lead', programme: SLUG });
		lead = {
			userId: account.id,
			name: 'lead',
			email: account.email,
			isAdmin: false,
			roles: { [(await programme()).id]: 'lead' },
			via: 'session'
		};
		// girls' figures on a pressure measurement: that category is in use from here on
		await measurementWith(db.db, {
			slug: SLUG,
			code: 'ZKL-MR-1-DRUK',
			region: 'haarlem',
			categories: [
				{ dimension: 'geslacht', category: 'meisje', value: 45, n: 100 },
				{ dimension: 'geslacht', category: 'jongen', value: 35, n: 100 }
			]
		});
	});
	afterAll(async () => db?.drop());

	it('should add a dimension with its values, on the version it was made on, audited', async () => {
		const p = await programme();
		// the seed already has geslacht, leeftijd and doelgroep: a fourth one
		const input = formOk(readDimensionForm({ name: 'Leerjaar', values: '1-2: Klas 1–2\nKlas 3–4\n\n', key: '' }));
		expect(input).toEqual({
			key: 'leerjaar',
			name: 'Leerjaar',
			values: [
				{ key: '1-2', name: 'Klas 1–2' },
				{ key: 'klas-3-4', name: 'Klas 3–4' }
			]
		});
		expect((await addDimension(await ctx(), p.version, input)).ok).toBe(true);
		const after = await programme();
		expect(after.version).toBe(p.version + 1);
		expect(parseDimensions(after.dimensions).map((d) => d.key)).toEqual([
			'geslacht',
			'leeftijd',
			'doelgroep',
			'leerjaar'
		]);
		const [entry] = await audits('dimension');
		expect(entry).toMatchObject({ action: 'create', user_id: lead.userId, programme_id: p.id });
		expect(JSON.parse(entry.after!)).toEqual(input);
	});

	it('should refuse a second dimension with the same key, and an edit on an old version, changing nothing', async () => {
		const p = await programme();
		const twice = await addDimension(await ctx(), p.version, {
			key: 'leerjaar',
			name: 'Leerjaar 2',
			values: [
				{ key: 'a', name: 'A' },
				{ key: 'b', name: 'B' }
			]
		});
		expect(twice).toMatchObject({ ok: false, refusal: { status: 400, issues: [{ path: 'key' }] } });
		const stale = await updateDimension(await ctx(), 'leerjaar', p.version - 1, {
			key: 'leerjaar',
			name: 'Leerjaargroep',
			values: [
				{ key: '1-2', name: 'Klas 1–2' },
				{ key: 'klas-3-4', name: 'Klas 3–4' }
			]
		});
		expect(stale).toMatchObject({ ok: false, refusal: { status: 409, message: STALE_MESSAGE } });
		expect(await programme()).toEqual(p);
	});

	it('should refuse removing a value that measurements carry and change nothing, and archive it instead', async () => {
		const p = await programme();
		const counts = await tableCounts(db);
		const without = formOk(readDimensionForm({ key: 'geslacht', name: 'Geslacht', values: 'jongen: Jongen\nx: X' }));
		const refused = await updateDimension(await ctx(), 'geslacht', p.version, without);
		expect(refused.ok).toBe(false);
		if (refused.ok) return;
		expect(refused.refusal.issues).toEqual([
			{ path: 'values', message: expect.stringContaining('Meisje (geslacht) staat in metingen: archiveer') }
		]);
		expect(await programme()).toEqual(p);
		expect(await tableCounts(db)).toEqual(counts);

		const archived = formOk(
			readDimensionForm({
				key: 'geslacht',
				name: 'Gender',
				values: 'meisje: Meisje (gearchiveerd)\njongen: Jongen\nanders-onbekend: Anders/onbekend (gearchiveerd)'
			})
		);
		expect((await updateDimension(await ctx(), 'geslacht', p.version, archived)).ok).toBe(true);
		const geslacht = parseDimensions((await programme()).dimensions).find((d) => d.key === 'geslacht')!;
		expect(geslacht).toEqual({
			key: 'geslacht',
			name: 'Gender',
			values: [
				{ key: 'meisje', name: 'Meisje', archived: true },
				{ key: 'jongen', name: 'Jongen' },
				{ key: 'anders-onbekend', name: 'Anders/onbekend', archived: true }
			]
		});
		const editor = await dimensionsEditor(await ctx());
		expect(editor.dimensions.find((d) => d.key === 'geslacht')).toMatchObject({
			used: ['meisje', 'jongen'],
			indicators: ['ZKL-AMB-1-STRESS', 'ZKL-MR-1-DRUK', 'ZKL-MR-1-PILOT']
		});
	});

	it('should remove a value no measurement carries', async () => {
		// leeftijd splits ZKL-T1-S3-NUT, with no measurement and no category target naming 13-14; it keeps two values
		const p = await programme();
		const editor = await dimensionsEditor(await ctx());
		expect(editor.dimensions.find((d) => d.key === 'leeftijd')).toMatchObject({
			used: [],
			indicators: ['ZKL-T1-S3-NUT']
		});
		const r = await updateDimension(await ctx(), 'leeftijd', p.version, {
			key: 'leeftijd',
			name: 'Leeftijd',
			values: [
				{ key: '10-12', name: '10–12 jaar' },
				{ key: '15-16', name: '15–16 jaar' }
			]
		});
		expect(r.ok).toBe(true);
		expect(
			parseDimensions((await programme()).dimensions)
				.find((d) => d.key === 'leeftijd')!
				.values.map((v) => v.key)
		).toEqual(['10-12', '15-16']);
	});

	it('should refuse a value other than a target group on the dimension a derived reach is split by, changing nothing', async () => {
		const p = await programme();
		const r = await updateDimension(await ctx(), 'doelgroep', p.version, {
			key: 'doelgroep',
			name: 'Doelgroep',
			values: [
				{ key: 'jongeren', name: 'Jongeren' },
				{ key: 'ouders', name: 'Ouders' },
				{ key: 'professionals', name: 'Professionals' },
				{ key: 'wijkteams', name: 'Wijkteams' }
			]
		});
		expect(r).toMatchObject({
			ok: false,
			refusal: { status: 400, issues: [{ path: 'values', message: expect.stringContaining('ZKL-T2-S2-BEREIK') }] }
		});
		expect(await programme()).toEqual(p);
	});

	it('should attach a dimension to an indicator with baseline and target per category, and refuse a target of an unchosen dimension', async () => {
		const editor = (await indicatorEditor(await ctx(), 'ZKL-MR-3-AUTONOMIE'))!;
		const values = {
			...editor.values,
			dimensions: ['leerjaar'],
			'ct:leerjaar:1-2:baselineValue': '31,5',
			'ct:leerjaar:1-2:baselineDate': '1-10-2023',
			'ct:leerjaar:1-2:baselineSource': 'Peiling klas 1–2',
			'ct:leerjaar:1-2:demo': 'on',
			'ct:leerjaar:klas-3-4:targetValue': '60',
			'ct:leerjaar:klas-3-4:targetDate': '2027-07-31',
			'ct:geslacht:jongen:targetValue': ''
		};
		const input = formOk(readIndicatorForm(values));
		expect(input.categoryTargets).toEqual([
			{
				dimension: 'leerjaar',
				category: '1-2',
				baseline: { value: 31.5, date: '2023-10-01', source: 'Peiling klas 1–2', demo: true }
			},
			{ dimension: 'leerjaar', category: 'klas-3-4', target: { value: 60, date: '2027-07-31' } }
		]);
		expect((await updateIndicator(await ctx(), editor.code, editor.version, input)).ok).toBe(true);
		const row = await db.db
			.selectFrom('indicators')
			.selectAll()
			.where('code', '=', 'ZKL-MR-3-AUTONOMIE')
			.executeTakeFirstOrThrow();
		expect(parseIndicatorDimensions(row.dimensions)).toEqual(['leerjaar']);
		expect(parseCategoryTargets(row.category_targets)).toEqual(input.categoryTargets);
		const outline = await planOutline(await ctx());
		const listed = outline.outcomes.flatMap((o) => o.indicators).find((i) => i.code === 'ZKL-MR-3-AUTONOMIE');
		expect(listed?.dimensions).toEqual(['Leerjaar']);
		// and the form shows it again as it was typed
		const again = (await indicatorEditor(await ctx(), editor.code))!;
		expect(again.values).toMatchObject({
			dimensions: ['leerjaar'],
			'ct:leerjaar:1-2:baselineValue': '31,5',
			'ct:leerjaar:1-2:demo': 'on',
			'ct:leerjaar:klas-3-4:targetValue': '60'
		});

		const wrong = formOk(
			readIndicatorForm({
				...again.values,
				'ct:geslacht:jongen:targetValue': '20',
				'ct:geslacht:jongen:targetDate': '2027-07-31'
			})
		);
		const refused = await updateIndicator(await ctx(), editor.code, again.version, wrong);
		expect(refused).toMatchObject({
			ok: false,
			refusal: {
				status: 400,
				issues: [{ path: 'ct:geslacht:jongen', message: expect.stringContaining('Vink gender aan') }]
			}
		});

		// a value a category target names stays until the target is emptied
		const p = await programme();
		const targeted = await updateDimension(await ctx(), 'leerjaar', p.version, {
			key: 'leerjaar',
			name: 'Leerjaar',
			values: [
				{ key: '1-2', name: 'Klas 1–2' },
				{ key: '5-6', name: 'Klas 5–6' }
			]
		});
		expect(targeted).toMatchObject({
			ok: false,
			refusal: { issues: [{ path: 'values', message: expect.stringContaining('ZKL-MR-3-AUTONOMIE') }] }
		});
		expect(await programme()).toEqual(p);
	});

	it('should refuse a category row with a value but no date, naming the cell', () => {
		const r = readIndicatorForm({ unit: 'percent', 'ct:geslacht:meisje:baselineValue': '40' });
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors['ct:geslacht:meisje:baselineDate']).toBe('Vul de datum van de nulmeting in.');
		expect(r.errors['ct:geslacht:meisje:baselineSource']).toBeUndefined();
	});

	it('should refuse detaching a dimension that the indicator’s measurements carry, and removing a dimension in use', async () => {
		const editor = (await indicatorEditor(await ctx(), 'ZKL-MR-1-DRUK'))!;
		const detached = formOk(readIndicatorForm({ ...editor.values, dimensions: [] }));
		const before = await db.db
			.selectFrom('indicators')
			.selectAll()
			.where('code', '=', 'ZKL-MR-1-DRUK')
			.executeTakeFirstOrThrow();
		const refused = await updateIndicator(await ctx(), editor.code, editor.version, {
			...detached,
			categoryTargets: []
		});
		expect(refused).toMatchObject({
			ok: false,
			refusal: { issues: [{ path: 'dimensions', message: expect.stringContaining('geslacht') }] }
		});
		expect(
			await db.db.selectFrom('indicators').selectAll().where('code', '=', 'ZKL-MR-1-DRUK').executeTakeFirstOrThrow()
		).toEqual(before);
		const p = await programme();
		const gone = await removeDimension(await ctx(), 'geslacht', p.version);
		expect(gone).toMatchObject({ ok: false, refusal: { status: 409 } });
		expect(await programme()).toEqual(p);
	});

	it('should remove a dimension no indicator uses', async () => {
		const p = await programme();
		expect((await removeDimension(await ctx(), 'doelgroep', p.version)).ok).toBe(false); // the reach indicator
		const extra = formOk(readDimensionForm({ name: 'Wijk', values: 'noord: Noord\nzuid: Zuid' }));
		expect((await addDimension(await ctx(), p.version, extra)).ok).toBe(true);
		expect((await removeDimension(await ctx(), 'wijk', p.version + 1)).ok).toBe(true);
		expect(parseDimensions((await programme()).dimensions).map((d) => d.key)).not.toContain('wijk');
		expect((await audits('dimension')).at(-1)).toMatchObject({ action: 'delete' });
	});

	it('should set the minimum group size within 5–100, on its version, audited', async () => {
		expect(readMinGroupSize({ minGroupSize: '4' }).ok).toBe(false);
		expect(readMinGroupSize({ minGroupSize: '101' }).ok).toBe(false);
		expect(readMinGroupSize({ minGroupSize: '12,5' }).ok).toBe(false);
		const p = await programme();
		expect((await setMinGroupSize(await ctx(), p.version, formOk(readMinGroupSize({ minGroupSize: '20' })))).ok).toBe(
			true
		);
		expect((await programme()).min_group_size).toBe(20);
		expect(await setMinGroupSize(await ctx(), p.version, 30)).toMatchObject({ ok: false, refusal: { status: 409 } });
		expect((await programme()).min_group_size).toBe(20);
		expect((await audits('plan')).at(-1)).toMatchObject({
			action: 'update',
			before: JSON.stringify({ min_group_size: 15 }),
			after: JSON.stringify({ min_group_size: 20 })
		});
	});

	it('should refuse a plan reload that leaves out a carried value or detaches a carried dimension, changing nothing', async () => {
		const counts = await tableCounts(db);
		const p = await programme();
		const { plan, library } = zklWithDimensions();
		plan.dimensions![0].values = plan.dimensions![0].values.filter((v) => v.key !== 'meisje');
		// a valid file otherwise: no category target names meisje any more
		for (const { indicator: i } of planIndicators(plan))
			i.categoryTargets = i.categoryTargets?.filter((t) => t.category !== 'meisje');
		expect(validatePlan(JSON.parse(JSON.stringify(plan)), library).ok).toBe(true);
		const left = await loadPlan(db.db, plan, library).catch((e: unknown) => e);
		expect(left).toBeInstanceOf(PlanFileError);
		expect((left as PlanFileError).issues).toEqual([
			{ path: 'dimensions.geslacht', message: expect.stringContaining('meisje staat in metingen') }
		]);
		const detach = zklWithDimensions();
		delete indicator(detach.plan, 'ZKL-MR-1-DRUK').dimensions;
		delete indicator(detach.plan, 'ZKL-MR-1-DRUK').categoryTargets;
		const error = await loadPlan(db.db, detach.plan, detach.library).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(PlanFileError);
		expect((error as PlanFileError).issues).toEqual([
			{ path: 'outcomes[0].indicators[0].dimensions', message: expect.stringContaining('geslacht') }
		]);
		expect(await programme()).toEqual(p);
		expect(await tableCounts(db)).toEqual(counts);

		// archived in the file: loaded, and the reload's audit names the change in Dutch
		const archived = zklWithDimensions();
		archived.plan.dimensions![0].values[0].archived = true;
		await loadPlan(db.db, archived.plan, archived.library);
		const geslacht = parseDimensions((await programme()).dimensions).find((d) => d.key === 'geslacht')!;
		expect(geslacht.values[0]).toEqual({ key: 'meisje', name: 'Meisje', archived: true });
		// an editor form opened before the reload is stale now
		expect((await programme()).version).toBe(p.version + 1);
		expect(await updateDimension(await ctx(), 'geslacht', p.version, geslacht)).toMatchObject({
			ok: false,
			refusal: { status: 409 }
		});
		const load = (await audits('plan')).at(-1)!;
		expect(JSON.parse(load.before!)).toMatchObject({ 'dimensie geslacht': { naam: 'Gender' } });
		expect(JSON.parse(load.after!).changes).toMatchObject({
			'dimensie geslacht': { naam: 'Geslacht' },
			'dimensie leeftijd': { waarden: ['10-12: 10–12 jaar', '13-14: 13–14 jaar'] },
			'dimensie leerjaar': { verwijderd: true }
		});
	});
});
