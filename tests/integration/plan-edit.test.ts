import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Actor } from '../../src/lib/domain/permissions.ts';
import { readIndicatorForm, readNodeForm, type FormValues } from '../../src/lib/domain/plan-edit.ts';
import { getKompas, findProgramme } from '../../src/lib/server/services/kompas.service.ts';
import {
	archiveNode,
	createNode,
	move,
	planOutline,
	updateNode
} from '../../src/lib/server/services/plan-edit.service.ts';
import {
	archiveIndicator,
	createIndicator,
	deleteIndicator,
	indicatorEditor,
	libraryValues,
	updateIndicator
} from '../../src/lib/server/services/indicator-edit.service.ts';
import { exportPlanYaml } from '../../src/lib/server/services/plan-export.service.ts';
import { submitMeasurement } from '../../src/lib/server/services/measurement.service.ts';
import { loadPlan } from '../../src/lib/server/services/plan-loader.service.ts';
import { validatePlan } from '../../src/lib/domain/plan-validation.ts';
import { fieldErrors } from '../../src/lib/domain/result.ts';
import { currentLibrary } from '../../src/lib/server/services/indicator-edit.service.ts';
import { updateDimension } from '../../src/lib/server/services/dimension-edit.service.ts';
import { parseDimensions } from '../../src/lib/domain/breakdown.ts';
import { createAccount } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';

const ok = <T>(r: { ok: true; value: T } | { ok: false }): T => {
	if (!r.ok) throw new Error(`refused: ${JSON.stringify(r)}`);
	return r.value;
};
const form = <T>(r: { ok: true; value: T } | { ok: false; errors: Record<string, string> }): T => {
	if (!r.ok) throw new Error(`form refused: ${JSON.stringify(r.errors)}`);
	return r.value;
};

const INDICATOR: FormValues = {
	code: 'VV-T1-S1-DOEL',
	node: 'VV-T1-S1',
	name: 'Clubs bespreken druk',
	definition: 'Percentage clubs dat prestatiedruk met jeugdleden besprak.',
	kind: 'programme',
	unit: 'percent',
	direction: 'higher_is_better',
	rba: 'better_off',
	targetGroup: 'professionals',
	source: 'Gesprek met de club',
	method: 'Navragen per fase',
	frequency: 'per_phase',
	aggregation: 'weighted_mean',
	owner: '',
	baselineValue: '10',
	baselineDate: '1-9-2024',
	baselineSource: 'Demo-waarde',
	baselineDemo: 'on',
	targetValue: '50,5',
	targetDate: '2025-06-30',
	targetDemo: 'on'
};

describe.each(DIALECTS)('plan editing on %s', (dialect) => {
	let db: TestDb;
	let lead: Actor;
	const programme = async () => (await findProgramme(db.db, 'vleuten-versterkt'))!;
	const yaml = async () => {
		const r = await exportPlanYaml({ db: db.db, programme: await programme() });
		if (!r.ok) throw new Error(JSON.stringify(r.refusal.issues));
		return r.value;
	};

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db, { demo: true });
		const account = await createAccount(db.db, { role: 'lead', programme: 'vleuten-versterkt' });
		const p = await programme();
		lead = {
			userId: account.id,
			name: 'lead',
			email: account.email,
			isAdmin: false,
			roles: { [p.id]: 'lead' },
			via: 'session'
		};
	});
	afterAll(async () => db?.drop());

	it('should add an indicator with every field, show it in the kompas and export it', async () => {
		ok(
			await createIndicator(
				{ db: db.db, programme: await programme(), actor: lead },
				form(readIndicatorForm(INDICATOR)),
				null
			)
		);
		const kompas = await getKompas({ db: db.db, programme: await programme() });
		const added = kompas.themes[0].nextSteps[0].solutions[0].indicators.at(-1)!;
		expect(added).toMatchObject({
			code: 'VV-T1-S1-DOEL',
			unit: 'percent',
			baseline: { value: 10, date: '2024-09-01', source: 'Demo-waarde', demo: true },
			target: { value: 50.5, date: '2025-06-30', demo: true }
		});
		expect(await yaml()).toContain('target: { value: 50.5, date: 2025-06-30, demo: true }');
	});

	it('should refuse a taken code, an unknown node and incomplete figures with a message per field', async () => {
		const r = await createIndicator(
			{ db: db.db, programme: await programme(), actor: lead },
			form(readIndicatorForm({ ...INDICATOR, node: 'VV-NERGENS' })),
			null
		);
		expect(r.ok === false && fieldErrors(r.refusal.issues)).toEqual({
			code: 'De code VV-T1-S1-DOEL is al in gebruik in dit plan.'
		});
		const r2 = await createIndicator(
			{ db: db.db, programme: await programme(), actor: lead },
			form(readIndicatorForm({ ...INDICATOR, code: 'VV-NIEUW', node: 'VV-NERGENS' })),
			null
		);
		expect(r2.ok === false && fieldErrors(r2.refusal.issues)).toEqual({
			node: 'Kies een bestaand (niet gearchiveerd) knooppunt.'
		});
		const bad = readIndicatorForm({
			...INDICATOR,
			code: 'kleine letters',
			baselineValue: '104',
			baselineSource: '',
			targetDate: '31-2-2025',
			unit: 'liters'
		});
		expect(bad.ok === false && Object.keys(bad.errors).sort()).toEqual(['code', 'unit']);
		const bad2 = readIndicatorForm({
			...INDICATOR,
			baselineValue: '104',
			baselineSource: '',
			derivedMeasure: 'reached'
		});
		expect(bad2.ok === false && bad2.errors).toEqual({
			baselineValue: 'Een percentage ligt tussen 0 en 100 (niet 104).',
			unit: 'Een indicator afgeleid uit het actielog heeft eenheid aantal.'
		});
		// reach without a target group counts everyone reached, as in the plan YAML
		const everyone = readIndicatorForm({ ...INDICATOR, unit: 'count', targetValue: '50', derivedMeasure: 'reached' });
		expect(everyone.ok && everyone.value.derived).toEqual({ measure: 'reached' });
	});

	it('should edit validity, baseline area, comparability and key like the other fields, and export them', async () => {
		const p = await programme();
		const fields = { validMonths: '18', baselineRegion: 'vleuten-de-meern', comparable: 'on', key: 'on' };
		ok(
			await createIndicator(
				{ db: db.db, programme: p, actor: lead },
				form(readIndicatorForm({ ...INDICATOR, code: 'VV-GEBIED', ...fields })),
				null
			)
		);
		const editor = (await indicatorEditor({ db: db.db, programme: p }, 'VV-GEBIED'))!;
		expect(editor.values).toMatchObject(fields);
		const exported = parse(await yaml()).themes[0].nextSteps[0].solutions[0].indicators.find(
			(i: { code: string }) => i.code === 'VV-GEBIED'
		);
		expect(exported).toMatchObject({
			baseline: { region: 'vleuten-de-meern' },
			validMonths: 18,
			comparable: true,
			key: true
		});
		// cleared again: by the frequency, the programme's own baseline, not comparable, no key indicator
		ok(
			await updateIndicator(
				{ db: db.db, programme: p, actor: lead },
				'VV-GEBIED',
				editor.version,
				form(readIndicatorForm({ ...INDICATOR, code: 'VV-GEBIED', baselineRegion: 'nederland' }))
			)
		);
		const row = await db.db
			.selectFrom('indicators')
			.select(['valid_months', 'baseline_region', 'comparable', 'key_indicator', 'version'])
			.where('code', '=', 'VV-GEBIED')
			.executeTakeFirstOrThrow();
		expect(row).toEqual({
			valid_months: null,
			baseline_region: 'nederland',
			comparable: 0,
			key_indicator: 0,
			version: editor.version + 1
		});
		// a stale version is refused for these fields as for any other
		const stale = await updateIndicator(
			{ db: db.db, programme: p, actor: lead },
			'VV-GEBIED',
			editor.version,
			form(readIndicatorForm({ ...INDICATOR, code: 'VV-GEBIED', ...fields }))
		);
		expect(stale).toMatchObject({ ok: false, refusal: { code: 'conflict', status: 409 } });
	});

	it('should edit period targets, refuse wrong ones like the plan file does, and keep the version check', async () => {
		const p = await programme();
		const periodTargets = '2025-03-31 40 demo\n31-12-2024 25,5';
		ok(
			await createIndicator(
				{ db: db.db, programme: p, actor: lead },
				form(readIndicatorForm({ ...INDICATOR, code: 'VV-TUSSENDOEL', periodTargets })),
				null
			)
		);
		const editor = (await indicatorEditor({ db: db.db, programme: p }, 'VV-TUSSENDOEL'))!;
		// stored by date; the form shows them one per line with Dutch decimals
		expect(editor.values.periodTargets).toBe('2024-12-31 25,5\n2025-03-31 40 demo');
		const exported = parse(await yaml()).themes[0].nextSteps[0].solutions[0].indicators.find(
			(i: { code: string }) => i.code === 'VV-TUSSENDOEL'
		);
		expect(exported.targets).toEqual([
			{ date: '2024-12-31', value: 25.5 },
			{ date: '2025-03-31', value: 40, demo: true }
		]);
		const refusals: [string, string][] = [
			['2024-12-31 25\n2024-12-31 30', 'Regel 2: de datum 2024-12-31 komt dubbel voor.'],
			[
				'2025-06-30 45',
				'Regel 1: de datum 2025-06-30 ligt niet tussen de nulmeting (2024-09-01) en de streefwaarde (2025-06-30).'
			],
			['2024-12-31', 'Regel 1: de waarde ontbreekt. Schrijf per regel een datum en een waarde, bijv. 2025-07-31 30.'],
			['2024-12-31 120', 'Regel 1: een percentage ligt tussen 0 en 100 (niet 120).'],
			['morgen 30', expect.stringMatching(/^Regel 1: "morgen" is geen geldige datum/) as unknown as string],
			[
				Array.from({ length: 21 }, (_, i) => `2025-01-${String(i + 1).padStart(2, '0')} 30`).join('\n'),
				'Hoogstens 20 tussendoelen.'
			]
		];
		for (const [text, message] of refusals) {
			const read = readIndicatorForm({ ...INDICATOR, periodTargets: text });
			expect(read.ok === false && read.errors, text).toEqual({ periodTargets: message });
		}
		const noTarget = readIndicatorForm({
			...INDICATOR,
			targetValue: '',
			targetDate: '',
			periodTargets: '2024-12-31 30'
		});
		expect(noTarget.ok === false && noTarget.errors).toEqual({
			periodTargets: 'Tussendoelen vragen een nulmeting en een streefwaarde, elk met datum.'
		});
		// cleared, then a stale edit is refused and changes nothing
		ok(
			await updateIndicator(
				{ db: db.db, programme: p, actor: lead },
				'VV-TUSSENDOEL',
				editor.version,
				form(readIndicatorForm({ ...INDICATOR, code: 'VV-TUSSENDOEL', periodTargets: '' }))
			)
		);
		const stale = await updateIndicator(
			{ db: db.db, programme: p, actor: lead },
			'VV-TUSSENDOEL',
			editor.version,
			form(readIndicatorForm({ ...INDICATOR, code: 'VV-TUSSENDOEL', periodTargets }))
		);
		expect(stale).toMatchObject({ ok: false, refusal: { code: 'conflict', status: 409 } });
		const row = await db.db
			.selectFrom('indicators')
			.select('targets')
			.where('code', '=', 'VV-TUSSENDOEL')
			.executeTakeFirstOrThrow();
		expect(row.targets).toBeNull();
	});

	it("should start a library indicator with the library's one baseline, its area included", async () => {
		const p = await programme();
		const values = libraryValues(currentLibrary(), 'JH-AANDEEL-JEUGDHULP')!;
		expect(values).toMatchObject({ baselineValue: '13,3', baselineDate: '2023-12-31', baselineRegion: 'nederland' });
		const read = form(readIndicatorForm({ ...values, code: 'VV-UIT-BIBLIOTHEEK', node: 'VV-MR-1' }));
		ok(await createIndicator({ db: db.db, programme: p, actor: lead }, read, 'JH-AANDEEL-JEUGDHULP'));
		const exported = parse(await yaml()).outcomes[0].indicators.find(
			(i: { code: string }) => i.code === 'VV-UIT-BIBLIOTHEEK'
		);
		expect(exported.library).toBe('JH-AANDEEL-JEUGDHULP');
		expect(exported.baseline).toMatchObject({ value: 13.3, region: 'nederland' });
		// two quoted baselines: the lead chooses, nothing is filled in
		expect(libraryValues(currentLibrary(), 'GMJ-DRUK-SCHOOL')!.baselineValue).toBeUndefined();
	});

	it('should refuse an area of another programme, an area without a baseline and a validity out of range', async () => {
		const p = await programme();
		const other = await createIndicator(
			{ db: db.db, programme: p, actor: lead },
			form(readIndicatorForm({ ...INDICATOR, code: 'VV-ELDERS', baselineRegion: 'haarlem' })),
			null
		);
		expect(other.ok === false && fieldErrors(other.refusal.issues)).toEqual({
			baselineRegion: 'Kies een regio van dit programma, Nederland of het programma zelf.'
		});
		expect(await indicatorEditor({ db: db.db, programme: p }, 'VV-ELDERS')).toBeNull();
		const bad = readIndicatorForm({
			...INDICATOR,
			baselineValue: '',
			baselineDate: '',
			baselineSource: '',
			baselineRegion: 'nederland',
			validMonths: '121'
		});
		expect(bad.ok === false && bad.errors).toEqual({
			baselineRegion: 'Een gebied hoort bij een nulmeting: vul die in, of kies "het programma zelf".',
			validMonths: 'De geldigheid is een heel aantal maanden van 1 tot en met 120 (of leeg: volgens de meetfrequentie).'
		});
		for (const months of ['0', '1,5', 'twee'])
			expect(readIndicatorForm({ ...INDICATOR, validMonths: months }).ok, months).toBe(false);
	});

	it('should save a target on the wrong side of its baseline, and say so after saving and when the form loads', async () => {
		const p = await programme();
		const wrong = form(readIndicatorForm({ ...INDICATOR, code: 'VV-VERKEERD', targetValue: '5' }));
		const created = ok(await createIndicator({ db: db.db, programme: p, actor: lead }, wrong, null));
		const message =
			'De streefwaarde (5) ligt onder de nulmeting (10), terwijl hoger beter is: zo is geen voortgang te berekenen.';
		expect(created).toEqual({ code: 'VV-VERKEERD', warning: message });
		const editor = (await indicatorEditor({ db: db.db, programme: p }, 'VV-VERKEERD'))!;
		expect(editor.warning).toBe(message);
		const outline = await planOutline({ db: db.db, programme: p });
		const listed = outline.themes[0].children[0].children[0].indicators.find((i) => i.code === 'VV-VERKEERD')!;
		expect(listed.warning).toBe(message);
		const fixed = ok(
			await updateIndicator(
				{ db: db.db, programme: p, actor: lead },
				'VV-VERKEERD',
				editor.version,
				form(readIndicatorForm({ ...INDICATOR, code: 'VV-VERKEERD', targetValue: '15' }))
			)
		);
		expect(fixed).toEqual({ code: 'VV-VERKEERD', warning: null });
		expect((await indicatorEditor({ db: db.db, programme: p }, 'VV-VERKEERD'))!.warning).toBeNull();
	});

	it('should refuse an edit on a stale version and keep the other edit', async () => {
		const editor = (await indicatorEditor({ db: db.db, programme: await programme() }, 'VV-T1-S1-DOEL'))!;
		ok(
			await updateIndicator(
				{ db: db.db, programme: await programme(), actor: lead },
				'VV-T1-S1-DOEL',
				editor.version,
				form(readIndicatorForm({ ...INDICATOR, targetValue: '60' }))
			)
		);
		const stale = await updateIndicator(
			{ db: db.db, programme: await programme(), actor: lead },
			'VV-T1-S1-DOEL',
			editor.version,
			form(readIndicatorForm({ ...INDICATOR, targetValue: '70' }))
		);
		expect(stale).toMatchObject({ ok: false, refusal: { code: 'conflict', status: 409 } });
		expect(stale.ok === false && stale.refusal.message).toMatch(/iemand anders heeft dit intussen gewijzigd/i);
		expect(
			(await indicatorEditor({ db: db.db, programme: await programme() }, 'VV-T1-S1-DOEL'))!.values.targetValue
		).toBe('60');
	});

	it('should fix the code and unit of a measured indicator, archive it instead of deleting it', async () => {
		const p = await programme();
		ok(
			await submitMeasurement(
				{ db: db.db, programme: p, actor: lead },
				{
					indicator: 'VV-T1-S1-DOEL',
					region: 'hockeyclub-fletiomare',
					date: '2024-10-01',
					value: 20
				}
			)
		);
		const editor = (await indicatorEditor({ db: db.db, programme: p }, 'VV-T1-S1-DOEL'))!;
		expect(editor.measurements).toBe(1);
		const renamed = await updateIndicator(
			{ db: db.db, programme: p, actor: lead },
			'VV-T1-S1-DOEL',
			editor.version,
			form(readIndicatorForm({ ...INDICATOR, code: 'VV-T1-S1-DOEL2', unit: 'score' }))
		);
		expect(renamed.ok === false && Object.keys(fieldErrors(renamed.refusal.issues))).toEqual(['code', 'unit']);
		const derived = await updateIndicator(
			{ db: db.db, programme: p, actor: lead },
			'VV-T1-S1-DOEL',
			editor.version,
			form(readIndicatorForm({ ...INDICATOR, unit: 'count', targetValue: '50', derivedMeasure: 'actions' }))
		);
		expect(derived.ok === false && Object.keys(fieldErrors(derived.refusal.issues))).toEqual([
			'unit',
			'derivedMeasure'
		]);
		const deleted = await deleteIndicator({ db: db.db, programme: p, actor: lead }, 'VV-T1-S1-DOEL', editor.version);
		expect(deleted).toMatchObject({ ok: false, refusal: { code: 'conflict', status: 409 } });
		ok(await archiveIndicator({ db: db.db, programme: p, actor: lead }, 'VV-T1-S1-DOEL', editor.version, true));
		expect(JSON.stringify(await getKompas({ db: db.db, programme: p }))).not.toContain('VV-T1-S1-DOEL');
		expect(await yaml()).not.toContain('VV-T1-S1-DOEL');
		const stored = await db.db
			.selectFrom('measurements as m')
			.innerJoin('indicators as i', 'i.id', 'm.indicator_id')
			.select('m.value')
			.where('i.code', '=', 'VV-T1-S1-DOEL')
			.execute();
		expect(stored).toEqual([{ value: 20 }]);
		// measurement entry is refused for an archived indicator
		const refused = await submitMeasurement(
			{ db: db.db, programme: p, actor: lead },
			{
				indicator: 'VV-T1-S1-DOEL',
				region: 'hockeyclub-fletiomare',
				date: '2024-10-02',
				value: 20
			}
		);
		expect(refused.ok).toBe(false);
	});

	it('should refuse to archive what a poll template asks for, naming the template, and change nothing', async () => {
		const p = await programme();
		const ctx = { db: db.db, programme: p, actor: lead };
		const asks = (question: string, what: string) =>
			`Peilingsjabloon Peiling na de les over tegenslag (na-de-les-tegenslag) vraagt in vraag ${question} naar ${what}; pas eerst het sjabloon aan in het planbestand.`;
		const before = await yaml();
		const editor = (await indicatorEditor({ db: db.db, programme: p }, 'VV-T2-NIET-ALLEEN'))!;
		expect(await archiveIndicator(ctx, 'VV-T2-NIET-ALLEEN', editor.version, true)).toEqual({
			ok: false,
			refusal: { code: 'conflict', status: 409, message: asks('niet-alleen', 'indicator VV-T2-NIET-ALLEEN') }
		});
		const theme = (await planOutline({ db: db.db, programme: p })).themes.find((t) => t.code === 'VV-T2')!;
		expect(await archiveNode(ctx, { level: 'theme', id: theme.id }, theme.version, true)).toMatchObject({
			ok: false,
			refusal: { status: 409, message: asks('niet-alleen', 'indicator VV-T2-NIET-ALLEEN') }
		});
		// a next step of the same theme carries no indicator a template asks for
		const step = theme.children[0];
		ok(await archiveNode(ctx, { level: 'nextStep', id: step.id }, step.version, true));
		ok(await archiveNode(ctx, { level: 'nextStep', id: step.id }, step.version + 1, false));
		const gender = parseDimensions(p.dimensions).find((d) => d.key === 'geslacht')!;
		const one = await updateDimension(ctx, 'geslacht', p.version, {
			...gender,
			values: gender.values.map((v) => (v.key === 'meisje' ? v : { ...v, archived: true }))
		});
		expect(one).toMatchObject({
			ok: false,
			refusal: { status: 400, issues: [{ path: 'values', message: asks('geslacht', 'dimensie geslacht') }] }
		});
		expect(await programme()).toEqual(p);
		expect(await yaml()).toBe(before);
	});

	it('should refuse changing the unit or code of, or deleting, an unmeasured indicator a poll template asks for', async () => {
		const fresh = await migratedDb(dialect);
		try {
			await loadBothPlans(fresh);
			const p = (await findProgramme(fresh.db, 'zkl-onder-druk'))!;
			const account = await createAccount(fresh.db, { role: 'lead', programme: 'zkl-onder-druk' });
			const ctx = {
				db: fresh.db,
				programme: p,
				actor: { ...lead, userId: account.id, roles: { [p.id]: 'lead' as const } }
			};
			const editor = (await indicatorEditor({ db: fresh.db, programme: p }, 'ZKL-MR-1-PILOT'))!;
			expect(editor.measurements).toBe(0);
			const row = () =>
				fresh.db.selectFrom('indicators').selectAll().where('code', '=', 'ZKL-MR-1-PILOT').executeTakeFirstOrThrow();
			const stored = await row();
			const message =
				'Peilingsjabloon Peiling na een overstapactiviteit (overstap) vraagt in vraag druk naar indicator ZKL-MR-1-PILOT; pas eerst het sjabloon aan in het planbestand.';
			// percent → score would turn the share agreeing into a mean score
			for (const change of [{ unit: 'score' }, { code: 'ZKL-MR-1-PILOT-2' }]) {
				const r = await updateIndicator(
					ctx,
					'ZKL-MR-1-PILOT',
					editor.version,
					form(readIndicatorForm({ ...editor.values, ...change }))
				);
				expect(r).toEqual({ ok: false, refusal: { code: 'conflict', status: 409, message } });
			}
			expect(await deleteIndicator(ctx, 'ZKL-MR-1-PILOT', editor.version)).toEqual({
				ok: false,
				refusal: { code: 'conflict', status: 409, message }
			});
			expect(await row()).toEqual(stored);
			// what the template does not ask about changes as before
			ok(
				await updateIndicator(
					ctx,
					'ZKL-MR-1-PILOT',
					editor.version,
					form(readIndicatorForm({ ...editor.values, targetValue: '31' }))
				)
			);
		} finally {
			await fresh.drop();
		}
	});

	it('should make an archive wait for a plan load that is giving a template the indicator, then refuse it', async () => {
		const fresh = await migratedDb(dialect);
		try {
			await loadBothPlans(fresh);
			const slug = 'vleuten-versterkt';
			const templates = (await findProgramme(fresh.db, slug))!.poll_templates;
			expect(templates).toContain('VV-T2-NIET-ALLEEN');
			await fresh.db.updateTable('programmes').set({ poll_templates: null }).where('slug', '=', slug).execute();
			const p = (await findProgramme(fresh.db, slug))!;
			const account = await createAccount(fresh.db, { role: 'lead', programme: slug });
			const ctx = {
				db: fresh.db,
				programme: p,
				actor: { ...lead, userId: account.id, roles: { [p.id]: 'lead' as const } }
			};
			const editor = (await indicatorEditor({ db: fresh.db, programme: p }, 'VV-T2-NIET-ALLEEN'))!;
			let archived: ReturnType<typeof archiveIndicator> | undefined;
			// a plan load's write of the templates, still uncommitted when the archive starts
			await fresh.db.transaction().execute(async (tx) => {
				await tx.updateTable('programmes').set({ poll_templates: templates }).where('slug', '=', slug).execute();
				archived = archiveIndicator(ctx, 'VV-T2-NIET-ALLEEN', editor.version, true);
				await new Promise((resolve) => setTimeout(resolve, 200));
			});
			expect(await archived).toMatchObject({
				ok: false,
				refusal: { status: 409, message: expect.stringContaining('vraag niet-alleen naar indicator VV-T2-NIET-ALLEEN') }
			});
			const row = await fresh.db
				.selectFrom('indicators')
				.select('archived_at')
				.where('code', '=', 'VV-T2-NIET-ALLEEN')
				.executeTakeFirstOrThrow();
			expect(row.archived_at).toBeNull();
		} finally {
			await fresh.drop();
		}
	});

	it('should delete an indicator that was never measured', async () => {
		const p = await programme();
		ok(
			await createIndicator(
				{ db: db.db, programme: p, actor: lead },
				form(readIndicatorForm({ ...INDICATOR, code: 'VV-WEG' })),
				null
			)
		);
		const editor = (await indicatorEditor({ db: db.db, programme: p }, 'VV-WEG'))!;
		ok(await deleteIndicator({ db: db.db, programme: p, actor: lead }, 'VV-WEG', editor.version));
		expect(await indicatorEditor({ db: db.db, programme: p }, 'VV-WEG')).toBeNull();
	});

	it('should add, edit, reorder and archive nodes, and the export follows', async () => {
		const p = await programme();
		ok(
			await createNode(
				{ db: db.db, programme: p, actor: lead },
				'theme',
				form(
					readNodeForm('theme', {
						code: 'VV-T6',
						title: 'Rust in het rooster',
						number: '6',
						level: '2',
						trend: 'Versnelling'
					})
				)
			)
		);
		ok(
			await createNode(
				{ db: db.db, programme: p, actor: lead },
				'nextStep',
				form(
					readNodeForm('nextStep', {
						code: 'VV-T6-VS1',
						title: 'Toetsweken spreiden',
						goal: 'Minder pieken',
						impact: 'Minder stress',
						parent: 'VV-T6'
					})
				)
			)
		);
		ok(
			await createNode(
				{ db: db.db, programme: p, actor: lead },
				'solution',
				form(readNodeForm('solution', { code: 'VV-T6-S1', title: 'Toetsrooster', parent: 'VV-T6-VS1' }))
			)
		);
		const taken = await createNode(
			{ db: db.db, programme: p, actor: lead },
			'solution',
			form(readNodeForm('solution', { code: 'VV-T1', title: 'Dubbel', parent: 'VV-T6-VS1' }))
		);
		expect(taken.ok === false && fieldErrors(taken.refusal.issues)).toEqual({
			code: 'De code VV-T1 is al in gebruik in dit plan.'
		});

		// without indicators the plan is not a complete plan file yet: the export says what is missing
		const incomplete = await exportPlanYaml({ db: db.db, programme: p });
		expect(incomplete.ok).toBe(false);
		const outline = await planOutline({ db: db.db, programme: p });
		const t6 = outline.themes.find((t) => t.code === 'VV-T6')!;
		expect(t6.warnings).toEqual(['nog geen (actieve) indicator']);
		for (const [code, node] of [
			['VV-T6-X', 'VV-T6'],
			['VV-T6-VS1-X', 'VV-T6-VS1'],
			['VV-T6-S1-X', 'VV-T6-S1']
		])
			ok(
				await createIndicator(
					{ db: db.db, programme: p, actor: lead },
					form(readIndicatorForm({ ...INDICATOR, code, node })),
					null
				)
			);
		const derived = {
			...INDICATOR,
			code: 'VV-T6-S1-BEREIK',
			node: 'VV-T6-S1',
			unit: 'count',
			rba: 'how_much',
			aggregation: 'sum',
			baselineValue: '0',
			targetValue: '200',
			derivedMeasure: 'reached',
			derivedTargetGroup: 'jongeren',
			derivedKinds: ['les', 'sessie']
		};
		ok(await createIndicator({ db: db.db, programme: p, actor: lead }, form(readIndicatorForm(derived)), null));
		const text = await yaml();
		expect(text).toContain('derived: { measure: reached, targetGroup: jongeren, kinds: [ les, sessie ] }');

		const node = (await planOutline({ db: db.db, programme: p })).themes.find((t) => t.code === 'VV-T6')!;
		ok(await move({ db: db.db, programme: p, actor: lead }, { kind: 'node', level: 'theme', id: node.id }, 'up'));
		expect((await getKompas({ db: db.db, programme: p })).themes.map((t) => t.code)).toEqual([
			'VV-T1',
			'VV-T2',
			'VV-T3',
			'VV-T4',
			'VV-T6',
			'VV-T5'
		]);
		const stale = await updateNode(
			{ db: db.db, programme: p, actor: lead },
			'VV-T6',
			node.version + 1,
			form(readNodeForm('theme', { code: 'VV-T6', title: 'x', number: '6' }))
		);
		expect(stale).toMatchObject({ ok: false, refusal: { code: 'conflict', status: 409 } });
		ok(
			await updateNode(
				{ db: db.db, programme: p, actor: lead },
				'VV-T6',
				node.version,
				form(
					readNodeForm('theme', {
						code: 'VV-T6',
						title: 'Rust in het rooster (herzien)',
						number: '6',
						level: '',
						trend: 'Versnelling'
					})
				)
			)
		);
		const exported = parse(await yaml());
		expect(exported.themes.map((t: { code: string }) => t.code)).toEqual([
			'VV-T1',
			'VV-T2',
			'VV-T3',
			'VV-T4',
			'VV-T6',
			'VV-T5'
		]);
		expect(exported.themes[4]).toMatchObject({ title: 'Rust in het rooster (herzien)', trend: 'Versnelling' });
		expect(exported.themes[4].level).toBeUndefined();

		// the edited plan round-trips: export → load → export is identical
		const before = await yaml();
		const checked = validatePlan(parse(before), currentLibrary());
		expect(checked.ok).toBe(true);
		if (checked.ok) await loadPlan(db.db, checked.value, currentLibrary());
		expect(await yaml()).toBe(before);

		const archived = (await planOutline({ db: db.db, programme: p })).themes.find((t) => t.code === 'VV-T6')!;
		ok(
			await archiveNode(
				{ db: db.db, programme: p, actor: lead },
				{ level: 'theme', id: archived.id },
				archived.version,
				true
			)
		);
		expect((await getKompas({ db: db.db, programme: p })).themes.map((t) => t.code)).not.toContain('VV-T6');
		expect(await yaml()).not.toContain('VV-T6');
		const again = (await planOutline({ db: db.db, programme: p })).themes.find((t) => t.code === 'VV-T6')!;
		expect(again.archived).toBe(true);
		ok(
			await archiveNode(
				{ db: db.db, programme: p, actor: lead },
				{ level: 'theme', id: again.id },
				again.version,
				false
			)
		);
		expect(await yaml()).toContain('VV-T6');
	});

	it('should write every plan change to the audit log', async () => {
		const rows = await db.db
			.selectFrom('audit_log')
			.select(['entity', 'action'])
			.where('user_id', '=', lead.userId)
			.execute();
		const seen = new Set(rows.map((r) => `${r.entity}:${r.action}`));
		for (const e of [
			'indicator:create',
			'indicator:update',
			'indicator:archive',
			'indicator:delete',
			'theme:create',
			'theme:move',
			'theme:update',
			'theme:archive',
			'theme:restore',
			'nextStep:create',
			'solution:create'
		])
			expect(seen.has(e), e).toBe(true);
	});
});
