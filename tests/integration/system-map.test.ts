import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/domain/permissions.ts';
import { readNodeForm, type FormValues } from '../../src/lib/domain/plan-edit.ts';
import { fieldErrors } from '../../src/lib/domain/result.ts';
import { findProgramme } from '../../src/lib/server/services/kompas.service.ts';
import { nodeEditor, updateNode } from '../../src/lib/server/services/plan-edit.service.ts';
import { exportPlanYaml } from '../../src/lib/server/services/plan-export.service.ts';
import { loadPlan } from '../../src/lib/server/services/plan-loader.service.ts';
import { uploadPlan } from '../../src/lib/server/services/programme-admin.service.ts';
import { programmeSystemMap } from '../../src/lib/server/services/system-map.service.ts';
import { parsePlanText } from '../../src/lib/server/plan-files.ts';
import { createAccount } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans, PLANS_DIR, tableCounts, VLEUTEN } from '../helpers/plans.ts';

const LIBRARY = `${PLANS_DIR}/library.yaml`;

describe.each(DIALECTS)('system map placement on %s', (dialect) => {
	let db: TestDb;
	let lead: Actor;
	let admin: Actor;
	const programme = async () => (await findProgramme(db.db, 'vleuten-versterkt'))!;
	const ctx = async () => ({ db: db.db, programme: await programme(), actor: lead });
	const exported = async (on: TestDb = db) => {
		const r = await exportPlanYaml({ db: on.db, programme: (await findProgramme(on.db, 'vleuten-versterkt'))! });
		if (!r.ok) throw new Error(JSON.stringify(r.refusal.issues));
		return r.value;
	};
	const stepRow = (code: string) =>
		db.db
			.selectFrom('next_steps')
			.select(['level', 'perspectives', 'trend', 'version'])
			.where('code', '=', code)
			.executeTakeFirstOrThrow();
	/** the edit form of a node as the editor fills it, with some fields changed */
	const form = async (code: string, changes: FormValues) => {
		const editor = (await nodeEditor(await ctx(), code))!;
		return { values: { ...editor.values, ...changes }, version: editor.version };
	};

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db);
		const p = await programme();
		const account = await createAccount(db.db, { role: 'lead', programme: 'vleuten-versterkt' });
		lead = {
			userId: account.id,
			name: 'lead',
			email: account.email,
			isAdmin: false,
			roles: { [p.id]: 'lead' },
			via: 'session'
		};
		const a = await createAccount(db.db, 'admin');
		admin = { userId: a.id, name: 'admin', email: a.email, isAdmin: true, roles: {}, via: 'session' };
	});
	afterAll(async () => db?.drop());

	it("should store the seed plans' placement and place every Vleuten step on its theme's level", async () => {
		expect(await stepRow('VV-T4-VS1')).toMatchObject({
			level: null,
			perspectives: 'jongeren,ouders,professionals',
			trend: null
		});
		const zklTheme = await db.db
			.selectFrom('themes')
			.select(['level', 'perspectives', 'trend'])
			.where('code', '=', 'ZKL-T3')
			.executeTakeFirstOrThrow();
		expect(zklTheme).toEqual({
			level: null,
			perspectives: 'jongeren,ouders,professionals',
			trend: 'De optimale samenleving'
		});
		const map = await programmeSystemMap({ db: db.db, programme: await programme() });
		expect(map.steps.map((s) => [s.code, s.level, s.perspectives.join(','), s.societalTrend])).toEqual([
			['VV-T1-VS1', 1, 'jongeren,professionals', 'De waarde van (ont)spanning'],
			['VV-T2-VS1', 2, 'jongeren,professionals', 'Vergelijken'],
			['VV-T3-VS1', 1, 'ouders', 'Verwachtingen'],
			['VV-T4-VS1', 2, 'jongeren,ouders,professionals', 'Vergelijken'],
			['VV-T5-VS1', 3, 'professionals', 'Verwachtingen']
		]);
		expect(map.covers).toEqual({ levels: [1, 2, 3], perspectives: ['jongeren', 'ouders', 'professionals'] });
	});

	it("should save a next step's own placement from the editor, export it, and load the export back to the same bytes", async () => {
		const { values, version } = await form('VV-T5-VS1', {
			level: '0',
			perspectives: ['professionals', 'ouders'],
			trend: 'Norm = exceleren'
		});
		const read = readNodeForm('nextStep', values);
		if (!read.ok) throw new Error(JSON.stringify(read.errors));
		expect((await updateNode(await ctx(), 'VV-T5-VS1', version, read.value)).ok).toBe(true);
		expect(await stepRow('VV-T5-VS1')).toMatchObject({
			level: 0,
			perspectives: 'ouders,professionals',
			trend: 'Norm = exceleren'
		});
		// the form opens again with what was saved
		expect((await nodeEditor(await ctx(), 'VV-T5-VS1'))!.values).toMatchObject({
			level: '0',
			perspectives: ['ouders', 'professionals'],
			trend: 'Norm = exceleren'
		});

		const first = await exported();
		const step = parse(first).themes[4].nextSteps[0];
		expect(step).toMatchObject({ level: 0, perspectives: ['ouders', 'professionals'], trend: 'Norm = exceleren' });
		expect(first).toContain('        perspectives: [ ouders, professionals ]');
		const fresh = await migratedDb(dialect);
		try {
			const { plan, library } = parsePlanText('vleuten-versterkt.yaml', first, LIBRARY);
			await loadPlan(fresh.db, plan, library);
			expect(await exported(fresh)).toBe(first);
		} finally {
			await fresh.drop();
		}
		const map = await programmeSystemMap({ db: db.db, programme: await programme() });
		expect(map.steps.find((s) => s.code === 'VV-T5-VS1')).toMatchObject({ level: 0, inherited: false });
	});

	it('should clear a placement from the editor, so the step takes its theme’s again', async () => {
		const { values, version } = await form('VV-T5-VS1', { level: '', perspectives: [], trend: '' });
		const read = readNodeForm('nextStep', values);
		if (!read.ok) throw new Error(JSON.stringify(read.errors));
		expect((await updateNode(await ctx(), 'VV-T5-VS1', version, read.value)).ok).toBe(true);
		expect(await stepRow('VV-T5-VS1')).toMatchObject({ level: null, perspectives: null, trend: null });
		const step = parse(await exported()).themes[4].nextSteps[0];
		expect(Object.keys(step)).not.toContain('perspectives');
		const map = await programmeSystemMap({ db: db.db, programme: await programme() });
		expect(map.steps.find((s) => s.code === 'VV-T5-VS1')).toMatchObject({ level: 3, perspectives: [] });
	});

	it('should refuse an edit on a stale version and keep the other edit', async () => {
		const { values, version } = await form('VV-T3-VS1', { level: '2' });
		const read = readNodeForm('nextStep', values);
		if (!read.ok) throw new Error(JSON.stringify(read.errors));
		expect((await updateNode(await ctx(), 'VV-T3-VS1', version, read.value)).ok).toBe(true);
		const late = readNodeForm('nextStep', { ...values, level: '3' });
		if (!late.ok) throw new Error(JSON.stringify(late.errors));
		const r = await updateNode(await ctx(), 'VV-T3-VS1', version, late.value);
		expect(r.ok === false && r.refusal.code).toBe('conflict');
		expect((await stepRow('VV-T3-VS1')).level).toBe(2);
	});

	it('should refuse an uploaded plan with a wrong placement, naming each field, and change nothing', async () => {
		const plan = parse(readFileSync(VLEUTEN, 'utf8'));
		plan.themes[0].level = 4;
		plan.themes[1].nextSteps[0].perspectives = ['jongeren', 'leraren'];
		plan.themes[2].nextSteps[0].perspectives = ['ouders', 'ouders'];
		plan.themes[3].trend = '';
		const before = await tableCounts(db);
		const r = await uploadPlan({ db: db.db, actor: admin }, 'vleuten-versterkt.yaml', stringify(plan));
		expect(r.ok === false && r.refusal.status).toBe(422);
		expect(r.ok === false && fieldErrors(r.refusal.issues)).toEqual({
			'themes[0].level': 'het niveau op de systeemkaart is 0, 1, 2 of 3',
			'themes[1].nextSteps[0].perspectives[1]': 'een perspectief is jongeren, ouders of professionals',
			'themes[2].nextSteps[0].perspectives': 'elk perspectief hoogstens één keer',
			'themes[3].trend': 'de trend mag niet leeg zijn (of laat trend weg)'
		});
		expect(await tableCounts(db)).toEqual(before);
		expect((await stepRow('VV-T3-VS1')).level).toBe(2);
	});
});
