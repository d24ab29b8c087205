import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_KINDS } from '../../src/lib/domain/action.ts';
import type { Actor } from '../../src/lib/domain/permissions.ts';
import type { Programme } from '../../src/lib/server/db/schema.ts';
import { createAction } from '../../src/lib/server/services/action.service.ts';
import { derivedMeasurements } from '../../src/lib/server/services/derived.service.ts';
import { themeStories } from '../../src/lib/server/services/story.service.ts';
import { indicatorDetail, listMeasurements } from '../../src/lib/server/services/measurement.service.ts';
import { seededRandom } from '../../src/lib/domain/demo-data.ts';
import { valueOf } from '../helpers/result.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { createAccount } from '../helpers/accounts.ts';
import { expectEvery } from '../helpers/expect-every.ts';
import { parseDerivedRule } from '../../src/lib/domain/plan.schema.ts';
import { loadProgress } from '../../src/lib/server/services/progress.service.ts';
import { indicatorPage } from '../../src/lib/server/services/indicator-page.service.ts';
import { observationsOf } from '../../src/lib/domain/programme-progress.ts';
import { throughCategory } from '../../src/lib/domain/breakdown.ts';
import { TARGET_GROUP_KEYS } from '../../src/lib/domain/derived.ts';

/** Dates on both sides of phase boundaries, and outside every phase (summer, before the first phase). */
const DATES = [
	'2024-08-31',
	'2024-09-01',
	'2024-09-30',
	'2024-10-01',
	'2024-10-31',
	'2024-11-01',
	'2024-12-31',
	'2025-01-01',
	'2025-03-15',
	'2025-06-30',
	'2025-07-01'
];
const REGIONS = ['obs-haarzicht', 'amadeus-lyceum', 'vleuten-de-meern', 'utrecht'];

describe.each(DIALECTS)('derived indicators on %s', (dialect) => {
	let db: TestDb;
	let programme: Programme;
	let actor: Actor;

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db);
		programme = await db.db
			.selectFrom('programmes')
			.selectAll()
			.where('slug', '=', 'vleuten-versterkt')
			.executeTakeFirstOrThrow();
		const account = await createAccount(db.db, { role: 'aanjager', programme: 'vleuten-versterkt' });
		actor = {
			userId: account.id,
			name: 'aanjager',
			email: account.email,
			isAdmin: false,
			roles: { [programme.id]: 'aanjager' },
			via: 'session'
		};
		const solutions = await db.db
			.selectFrom('solutions')
			.select(['id'])
			.where('programme_id', '=', programme.id)
			.execute();
		const steps = await db.db
			.selectFrom('next_steps')
			.select(['id'])
			.where('programme_id', '=', programme.id)
			.execute();
		// 300 actions spread over every solution, step, kind, date and region above
		const rnd = seededRandom(6);
		const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
		for (let i = 0; i < 300; i++) {
			const onStep = rnd() < 0.2;
			const result = await createAction(
				{ db: db.db, programme, actor },
				{
					date: pick(DATES),
					...(onStep ? { nextStep: pick(steps).id } : { solution: pick(solutions).id }),
					kind: pick(ACTION_KINDS),
					region: pick(REGIONS),
					reached: {
						jongeren: Math.floor(rnd() * 30),
						ouders: Math.floor(rnd() * 50),
						professionals: Math.floor(rnd() * 5)
					},
					description: `Actie ${i}`,
					quote: i % 10 === 0 ? `Verhaal ${i}` : null,
					quotePublic: i % 20 === 0
				},
				{ today: '2026-11-23' }
			);
			if (!result.ok) throw new Error(JSON.stringify(result));
		}
	}, 120_000);
	afterAll(async () => db?.drop());

	/** The same figure straight from the database: one SQL sum per indicator, phase and region. */
	async function directValue(
		indicatorId: number,
		phase: { start_date: string; end_date: string },
		region: string
	): Promise<number> {
		const ind = await db.db
			.selectFrom('indicators')
			.selectAll()
			.where('id', '=', indicatorId)
			.executeTakeFirstOrThrow();
		const rule = parseDerivedRule(ind.derived)!;
		const measure =
			rule.measure === 'actions' ? 'count' : rule.targetGroup ? (`a.reached_${rule.targetGroup}` as const) : null;
		const row = await db.db
			.selectFrom('actions as a')
			.innerJoin('next_steps as s', 's.id', 'a.next_step_id')
			.innerJoin('regions as r', 'r.id', 'a.region_id')
			.select((eb) => [
				eb.fn.countAll<number>().as('count'),
				eb.fn.sum<number>('a.reached_jongeren').as('j'),
				eb.fn.sum<number>('a.reached_ouders').as('o'),
				eb.fn.sum<number>('a.reached_professionals').as('p'),
				measure && measure !== 'count' ? eb.fn.sum<number>(measure).as('v') : eb.fn.countAll<number>().as('v')
			])
			.where('a.programme_id', '=', programme.id)
			.where('a.deleted_at', 'is', null)
			.where('a.date', '>=', phase.start_date)
			.where('a.date', '<=', phase.end_date)
			.where('r.slug', '=', region)
			.$if(ind.solution_id !== null, (q) => q.where('a.solution_id', '=', ind.solution_id!))
			.$if(ind.next_step_id !== null, (q) => q.where('a.next_step_id', '=', ind.next_step_id!))
			.$if(ind.theme_id !== null, (q) => q.where('s.theme_id', '=', ind.theme_id!))
			.$if(!!rule.kinds?.length, (q) => q.where('a.kind', 'in', rule.kinds!))
			.executeTakeFirstOrThrow();
		if (rule.measure === 'reached' && !rule.targetGroup)
			return Number(row.j ?? 0) + Number(row.o ?? 0) + Number(row.p ?? 0);
		return Number(row.v ?? 0);
	}

	it('should equal a direct count over the same actions, per phase and region', async () => {
		const derived = await derivedMeasurements({ db: db.db, programme });
		const indicators = await db.db
			.selectFrom('indicators')
			.select('id')
			.where('programme_id', '=', programme.id)
			.where('derived', 'is not', null)
			.execute();
		const phases = await db.db.selectFrom('phases').selectAll().where('programme_id', '=', programme.id).execute();
		expect(indicators.length).toBeGreaterThan(10);
		expect(derived.length).toBeGreaterThan(50);
		let compared = 0;
		for (const { id } of indicators)
			for (const phase of phases)
				for (const region of REGIONS) {
					const direct = await directValue(id, phase, region);
					const value = derived.find((d) => d.indicatorId === id && d.phaseId === phase.id && d.region === region);
					// a value exists exactly where matching actions were logged (a sum may be 0 then)
					if (value) expect(value.value, `${id} ${phase.name} ${region}`).toBe(direct);
					else expect(direct, `${id} ${phase.name} ${region}`).toBe(0);
					compared++;
				}
		expect(compared).toBe(indicators.length * phases.length * REGIONS.length);
	});

	it('should split reach by target group: per group the direct sum, together the total', async () => {
		const [ind] = await db.db.selectFrom('indicators').selectAll().where('code', '=', 'VV-T2-S2-BEREIK').execute();
		expect(JSON.parse(ind.dimensions!)).toEqual(['doelgroep']);
		const derived = await derivedMeasurements({ db: db.db, programme }, [ind.id]);
		expect(derived.length).toBeGreaterThan(0);
		for (const d of derived) {
			const phase = await db.db.selectFrom('phases').selectAll().where('id', '=', d.phaseId).executeTakeFirstOrThrow();
			const direct = await db.db
				.selectFrom('actions as a')
				.innerJoin('regions as r', 'r.id', 'a.region_id')
				.select((eb) => [
					eb.fn.sum<number>('a.reached_jongeren').as('jongeren'),
					eb.fn.sum<number>('a.reached_ouders').as('ouders'),
					eb.fn.sum<number>('a.reached_professionals').as('professionals')
				])
				.where('a.solution_id', '=', ind.solution_id!)
				.where('a.kind', '=', 'bijeenkomst')
				.where('a.deleted_at', 'is', null)
				.where('a.date', '>=', phase.start_date)
				.where('a.date', '<=', phase.end_date)
				.where('r.slug', '=', d.region)
				.executeTakeFirstOrThrow();
			expect(d.categories).toEqual(
				TARGET_GROUP_KEYS.map((g) => ({ dimension: 'doelgroep', category: g, value: Number(direct[g]) }))
			);
			expect(d.value).toBe(d.categories!.reduce((sum, c) => sum + c.value, 0));
		}
		// an unsplit reach indicator carries no categories
		const [plain] = await db.db.selectFrom('indicators').select('id').where('code', '=', 'VV-T3-S1-BEREIK').execute();
		expectEvery(await derivedMeasurements({ db: db.db, programme }, [plain.id]), (d) => d.categories === undefined);
	});

	it('should give the dashboard’s figures the same categories, seen through one category by the same roll-up', async () => {
		const [ind] = await db.db.selectFrom('indicators').select('id').where('code', '=', 'VV-T2-S2-BEREIK').execute();
		const derived = await derivedMeasurements({ db: db.db, programme }, [ind.id]);
		const loaded = valueOf(await loadProgress({ db: db.db, programme }, { phase: '2024-2025', today: '2026-11-23' }));
		const progressIndicator = loaded.input.indicators.find((i) => i.id === ind.id)!;
		expect(progressIndicator.derived?.split).toEqual({
			dimension: 'doelgroep',
			groups: ['jongeren', 'ouders', 'professionals']
		});
		// the phases' values (an action between phases keeps its own day on the dashboard, counted in no phase)
		const phaseEnds = new Set(derived.map((d) => d.date));
		const observations = observationsOf(progressIndicator, loaded.input).filter((o) => phaseEnds.has(o.date));
		expect(observations.length).toBeGreaterThan(0);
		for (const g of TARGET_GROUP_KEYS) {
			const seen = throughCategory(observations, `doelgroep:${g}`);
			const fromLog = derived.reduce((sum, d) => sum + d.categories!.find((c) => c.category === g)!.value, 0);
			expect(
				seen.reduce((sum, o) => sum + o.value, 0),
				g
			).toBe(fromLog);
		}
		expect(observations.reduce((sum, o) => sum + o.value, 0)).toBe(derived.reduce((sum, d) => sum + d.value, 0));
	});

	it('should give a split reach indicator, under one target group, that group’s figure from the action log', async () => {
		const [ind] = await db.db.selectFrom('indicators').select('id').where('code', '=', 'VV-T2-S2-BEREIK').execute();
		const selection = { phase: '2024-2025', today: '2026-11-23' };
		const total = valueOf(await loadProgress({ db: db.db, programme }, selection));
		const figureOf = (p: typeof total) => p.progress.indicators.find((i) => i.id === ind.id)!;
		expect(figureOf(total).latest!.value).toBeGreaterThan(0);
		let sum = 0;
		let shown = 0;
		for (const g of TARGET_GROUP_KEYS) {
			const one = valueOf(await loadProgress({ db: db.db, programme }, { ...selection, category: `doelgroep:${g}` }));
			const figure = figureOf(one);
			// a count's group is its value: below the programme's minimum it is not shown
			if (figure.category === 'small') continue;
			expect(figure.category ?? null, g).toBeNull();
			const seen = throughCategory(
				observationsOf(
					total.input.indicators.find((i) => i.id === ind.id)!,
					total.input
				),
				`doelgroep:${g}`
			);
			expect(seen.length, g).toBeGreaterThan(0);
			sum += figure.latest!.value;
			shown++;
		}
		expect(shown).toBeGreaterThan(0);
		// the groups add up to the total; a hidden small one makes up the difference
		if (shown === TARGET_GROUP_KEYS.length) expect(sum).toBe(figureOf(total).latest!.value);
		else expect(sum).toBeLessThan(figureOf(total).latest!.value);
	});

	it('should show a split reach indicator per target group on its indicator page, small groups hidden', async () => {
		const view = (await indicatorPage({ db: db.db, actor, programme }, 'VV-T2-S2-BEREIK', null, {
			includeUnapproved: false,
			today: '2025-06-30'
		}))!;
		const [breakdown] = view.breakdowns;
		expect(breakdown.dimension.key).toBe('doelgroep');
		expect(breakdown.categories.map((c) => c.key)).toEqual(['jongeren', 'ouders', 'professionals']);
		expect(breakdown.rows.length).toBeGreaterThan(0);
		// the groups add up to the total's curve, through the same roll-up; a small one is never shown
		let shown = 0;
		for (const row of breakdown.rows) {
			const total = view.curve!.points.find((p) => p.date === row.date)!;
			const cells = row.cells.filter((c) => c !== null);
			for (const cell of cells)
				if (cell.suppressed === null) expect(cell.value!).toBeGreaterThanOrEqual(programme.min_group_size);
			const open = cells.filter((c) => c.suppressed === null);
			const sum = open.reduce((s, c) => s + c.value!, 0);
			if (open.length === 3) expect(sum, row.date).toBe(total.value);
			else expect(sum, row.date).toBeLessThan(total.value);
			shown += open.length;
		}
		expect(shown).toBeGreaterThan(0);
	});

	it('should date each value on its phase’s end and mark it derived', async () => {
		const derived = await derivedMeasurements({ db: db.db, programme });
		const phases = await db.db.selectFrom('phases').selectAll().where('programme_id', '=', programme.id).execute();
		for (const d of derived) {
			expect(d.derived).toBe(true);
			expect(d.date).toBe(phases.find((p) => p.id === d.phaseId)!.end_date);
		}
		// actions on 2024-08-31 and 2025-07-01 lie outside every phase and count nowhere
		expect(derived.some((d) => d.date === '2024-08-31' || d.date === '2025-07-01')).toBe(false);
	});

	it('should compute only the indicators asked for', async () => {
		const [one] = await db.db.selectFrom('indicators').select('id').where('code', '=', 'VV-T3-S1-BEREIK').execute();
		const derived = await derivedMeasurements({ db: db.db, programme }, [one.id]);
		expect(derived.length).toBeGreaterThan(0);
		expectEvery(derived, (d) => d.indicatorId === one.id);
		expect(await derivedMeasurements({ db: db.db, programme }, [])).toEqual([]);
	});

	it('should give a theme’s stories newest first, shareable only when asked', async () => {
		const theme = await db.db
			.selectFrom('themes')
			.select('id')
			.where('programme_id', '=', programme.id)
			.where('number', '=', 3)
			.executeTakeFirstOrThrow();
		const all = await themeStories({ db: db.db, programme }, theme.id, { shareableOnly: false, limit: 500 });
		const shared = await themeStories({ db: db.db, programme }, theme.id, { shareableOnly: true, limit: 500 });
		expect(all.length).toBeGreaterThan(shared.length);
		expectEvery(shared, (s) => s.shareable);
		expectEvery(all, (s) => s.theme.number === 3);
		const dates = all.map((s) => s.date);
		expect(dates).toEqual([...dates].sort().reverse());
	});

	it('should show derived values on the indicator page, summed over the regions below', async () => {
		const [ind] = await db.db.selectFrom('indicators').select('id').where('code', '=', 'VV-T3-S1-BEREIK').execute();
		const derived = await derivedMeasurements({ db: db.db, programme }, [ind.id]);
		const detail = await indicatorDetail({ db: db.db, programme }, ind.id, 'vleuten-de-meern');
		expect(detail.measurements.length).toBeGreaterThan(0);
		expectEvery(detail.measurements, (m) => m.derived === true && m.status === 'approved');
		const below = new Set(['vleuten-de-meern', 'obs-haarzicht', 'amadeus-lyceum']);
		for (const m of detail.measurements)
			expect(m.value).toBe(
				derived.filter((d) => d.date === m.date && below.has(d.region)).reduce((s, d) => s + d.value, 0)
			);
		const haarzicht = await indicatorDetail({ db: db.db, programme }, ind.id, 'obs-haarzicht');
		expect(haarzicht.measurements.map((m) => m.value)).toEqual(
			derived.filter((d) => d.region === 'obs-haarzicht').map((d) => d.value)
		);
	});

	it('should list derived values in the measurements API like stored ones, per region or summed below one', async () => {
		const [ind] = await db.db.selectFrom('indicators').select('id').where('code', '=', 'VV-T3-S1-BEREIK').execute();
		const derived = await derivedMeasurements({ db: db.db, programme }, [ind.id]);
		const all = valueOf(await listMeasurements({ db: db.db, programme }, ind.id));
		expect(all).toHaveLength(derived.length);
		expectEvery(all, (m) => m.derived === true && m.indicator === 'VV-T3-S1-BEREIK');
		expect(all.reduce((s, m) => s + (m.value ?? 0), 0)).toBe(derived.reduce((s, d) => s + d.value, 0));
		const below = valueOf(await listMeasurements({ db: db.db, programme }, ind.id, 'vleuten-de-meern'));
		const detail = await indicatorDetail({ db: db.db, programme }, ind.id, 'vleuten-de-meern');
		expect(below).toEqual(detail.measurements);
		expect(await listMeasurements({ db: db.db, programme }, ind.id, 'nergens')).toMatchObject({
			ok: false,
			refusal: { code: 'invalid_input', status: 400, issues: [{ path: 'region' }] }
		});
	});
});
