import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Insertable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	storeCategories,
	storeCategoryTargets,
	storeDimensions,
	storeIndicatorDimensions,
	type CategoryValue,
	type Dimension
} from '../../src/lib/domain/breakdown.ts';
import type { MeasurementTable } from '../../src/lib/server/db/schema.ts';
import { createAccount, signIn } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, TMP, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * Progress per category (`?geslacht=meisje`) through the built server on a fixed today (20 January 2025,
 * phase Januari–juni of 2024-2025): roll-up of a category across the region tree by the same rules as the
 * totals, progress against the category's own baseline and target, an indicator not split marked as such,
 * the filter on the dashboard, report, report files and progress API, and small groups never shown.
 */

const NOW = '2025-01-20T10:00:00Z';
const SLUG = 'vleuten-versterkt';
const SPLIT = 'VV-T1-AANDACHT'; // percent, weighted_mean, per_phase validity, higher is better
const NOT_SPLIT = 'VV-T1-VS1-STAP';
const API = `/api/v1/programmes/${SLUG}`;
/** the one small group: Limus College's boys, 5 respondents; its figure must never be shown */
const SMALL_VALUE = 13.7;

const dimensions: Dimension[] = [
	{
		key: 'geslacht',
		name: 'Geslacht',
		values: [
			{ key: 'meisje', name: 'Meisje' },
			{ key: 'jongen', name: 'Jongen' }
		]
	}
];
const cats = (girls: [number, number] | null, boys: [number, number] | null): CategoryValue[] => [
	...(girls ? [{ dimension: 'geslacht', category: 'meisje', value: girls[0], n: girls[1] }] : []),
	...(boys ? [{ dimension: 'geslacht', category: 'jongen', value: boys[0], n: boys[1] }] : [])
];

interface ApiIndicator {
	code: string;
	value: {
		value: number;
		date: string;
		n: number | null;
		coverage: { used: string[]; leftOut: { region: string; reason: string }[]; n: number | null } | null;
	} | null;
	baseline: { value: number } | null;
	target: { value: number } | null;
	progress: number | null;
	status: string | null;
	suppressed: string | null;
	notSplit: boolean;
}
interface ApiProgress {
	category: { dimension: string; category: string; name: string; minGroupSize: number } | null;
	themes: { code: string; indicators: number; indicatorsFresh: number; progress: number | null }[];
	indicators: ApiIndicator[];
}

async function fixture(db: TestDb) {
	await loadBothPlans(db);
	const programme = await db.db.selectFrom('programmes').selectAll().where('slug', '=', SLUG).executeTakeFirstOrThrow();
	await db.db
		.updateTable('programmes')
		.set({ dimensions: storeDimensions(dimensions), min_group_size: 10 })
		.where('id', '=', programme.id)
		.execute();
	// only SPLIT is split here: the seed's own breakdowns are left out (the report's gap lines take the first few)
	await db.db
		.updateTable('indicators')
		.set({ dimensions: null, category_targets: null })
		.where('programme_id', '=', programme.id)
		.execute();
	await db.db
		.updateTable('indicators')
		.set({
			dimensions: storeIndicatorDimensions(['geslacht']),
			category_targets: storeCategoryTargets([
				{
					dimension: 'geslacht',
					category: 'meisje',
					baseline: { value: 30, date: '2024-09-30', source: 'Testpeiling meisjes' },
					target: { value: 60, date: '2025-06-30' }
				}
			])
		})
		.where('programme_id', '=', programme.id)
		.where('code', '=', SPLIT)
		.execute();
	const ids = await db.db
		.selectFrom('indicators')
		.select(['id', 'code'])
		.where('programme_id', '=', programme.id)
		.where('code', 'in', [SPLIT, NOT_SPLIT])
		.execute();
	const regions = await db.db
		.selectFrom('regions')
		.select(['id', 'slug'])
		.where('programme_id', '=', programme.id)
		.execute();
	const region = (slug: string) => regions.find((r) => r.slug === slug)!.id;
	const indicator = (code: string) => ids.find((i) => i.code === code)!.id;
	const m = (
		code: string,
		slug: string,
		date: string,
		value: number,
		n: number,
		categories: CategoryValue[] | null
	): Insertable<MeasurementTable> => ({
		indicator_id: indicator(code),
		region_id: region(slug),
		date,
		value,
		n,
		source: 'Testpeiling',
		status: 'approved',
		demo: 0,
		categories: categories && storeCategories(categories, dimensions)
	});
	await db.db
		.insertInto('measurements')
		.values([
			// Haarzicht: the newer value of each category wins
			m(SPLIT, 'obs-haarzicht', '2024-12-05', 50, 100, cats([60, 50], [40, 50])),
			m(SPLIT, 'obs-haarzicht', '2025-01-10', 45, 80, cats([55, 40], [35, 40])),
			m(SPLIT, 'amadeus-lyceum', '2025-01-12', 30, 60, cats([40, 20], [20, 40])),
			// Limus: its newest measurement has no girls' figure, so the one before it counts for girls
			m(SPLIT, 'limus-college', '2024-12-10', 60, 24, cats([70, 12], null)),
			m(SPLIT, 'limus-college', '2025-01-15', 35, 30, cats(null, [SMALL_VALUE, 5])),
			// VOLT!: too old to count (verouderd), left out with its reason
			m(SPLIT, 'volt-toekomstmakers', '2024-01-10', 20, 50, cats([10, 25], [30, 25])),
			// a total only, of an indicator not split by gender
			m(NOT_SPLIT, 'obs-haarzicht', '2025-01-10', 77, 50, null)
		])
		.execute();
}

describe.each(DIALECTS)('progress per category on %s', (dialect) => {
	let db: TestDb;
	let server: RunningServer;
	let cookie: string;
	const get = (path: string, headers: Record<string, string> = {}) =>
		fetch(server.url + path, { headers: { cookie, ...headers }, redirect: 'manual' });
	const progress = async (query: string): Promise<ApiProgress> => {
		const res = await get(`${API}/progress?${query}`);
		expect(res.status).toBe(200);
		return (await res.json()) as ApiProgress;
	};
	const byCode = (body: ApiProgress, code: string) => body.indicators.find((i) => i.code === code)!;

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await fixture(db);
		server = await startServer({ DATABASE_URL: db.url }, { now: NOW });
		cookie = await signIn(
			(p, init) => fetch(server.url + p, init),
			await createAccount(db.db, { role: 'funder', programme: SLUG })
		);
	}, 120_000);
	afterAll(async () => {
		await server?.stop();
		await db?.drop();
	});

	it('should roll a category up over the child regions by n, the newest value having it winning, a stale one left out', async () => {
		const girls = byCode(await progress('region=vleuten-de-meern&geslacht=meisje'), SPLIT);
		// Haarzicht 55 (n 40, not its older 60), Amadeus 40 (n 20), Limus 70 (n 12, its newest has no girls)
		expect(girls.value!.value).toBeCloseTo((55 * 40 + 40 * 20 + 70 * 12) / 72, 6);
		expect(girls.value!.n).toBe(72);
		expect(girls.value!.coverage!.used.sort()).toEqual(['amadeus-lyceum', 'limus-college', 'obs-haarzicht']);
		expect(girls.value!.coverage!.leftOut).toContainEqual({ region: 'volt-toekomstmakers', reason: 'verouderd' });
		const boys = byCode(await progress('region=vleuten-de-meern&geslacht=jongen'), SPLIT);
		expect(boys.value!.value).toBeCloseTo((35 * 40 + 20 * 40 + SMALL_VALUE * 5) / 85, 6);
		// the totals are what they were: the newest total of each school
		const total = byCode(await progress('region=vleuten-de-meern'), SPLIT);
		expect(total.value!.value).toBeCloseTo((45 * 80 + 30 * 60 + 35 * 30) / 170, 6);
	});

	it('should measure progress against the category’s own baseline and target, and a category without them has none', async () => {
		const body = await progress('geslacht=meisje');
		expect(body.category).toEqual({
			dimension: 'geslacht',
			category: 'meisje',
			name: 'Alleen meisje (geslacht)',
			minGroupSize: 10
		});
		const girls = byCode(body, SPLIT);
		expect([girls.baseline?.value, girls.target?.value]).toEqual([30, 60]);
		expect(girls.progress).toBeCloseTo(((55 * 40 + 40 * 20 + 70 * 12) / 72 - 30) / 30, 6);
		expect(girls.status).not.toBeNull();
		const boys = byCode(await progress('geslacht=jongen'), SPLIT);
		expect(boys.value).not.toBeNull();
		expect([boys.baseline, boys.target, boys.progress]).toEqual([null, null, null]);
	});

	it('should mark an indicator not split by the dimension and leave it out of its theme’s counts', async () => {
		const totals = await progress('');
		expect(byCode(totals, NOT_SPLIT).value?.value).toBe(77);
		const body = await progress('geslacht=meisje');
		const stap = byCode(body, NOT_SPLIT);
		expect(stap).toMatchObject({ value: null, status: null, progress: null, notSplit: true, suppressed: null });
		const theme = (b: ApiProgress) => b.themes.find((t) => t.code === 'VV-T1')!;
		// under the filter only the split indicator counts in theme 1
		expect(theme(body).indicators).toBeLessThan(theme(totals).indicators);
		expect(theme(body).indicatorsFresh).toBe(1);
	});

	it('should never give a figure of fewer respondents than the programme’s minimum, in the API or any view', async () => {
		const body = await progress('region=limus-college&geslacht=jongen');
		expect(byCode(body, SPLIT)).toMatchObject({ value: null, suppressed: 'small', status: null, progress: null });
		const hidden = (text: string) => {
			expect(text).not.toContain(String(SMALL_VALUE));
			expect(text).not.toContain(String(SMALL_VALUE).replace('.', ','));
		};
		hidden(JSON.stringify(body));
		const dashboard = await get(`/p/${SLUG}/dashboard?regio=limus-college&geslacht=jongen&indicator=${SPLIT}`);
		expect(dashboard.status).toBe(200);
		const dashboardHtml = await dashboard.text();
		expect(dashboardHtml).toContain('te weinig respondenten');
		hidden(dashboardHtml);
		const report = await get(`/p/${SLUG}/rapport?regio=limus-college&geslacht=jongen`);
		expect(report.status).toBe(200);
		const reportHtml = await report.text();
		expect(reportHtml).toContain('te weinig respondenten');
		hidden(reportHtml);
		for (const tabel of ['indicatoren', 'themas']) {
			const csv = await get(`${API}/report.csv?region=limus-college&geslacht=jongen&tabel=${tabel}`);
			expect(csv.status).toBe(200);
			const text = await csv.text();
			expect(text).toContain('Alleen jongen (geslacht)');
			hidden(text);
		}
		const xlsx = await get(`${API}/report.xlsx?region=limus-college&geslacht=jongen`);
		expect(xlsx.status).toBe(200);
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(await xlsx.arrayBuffer());
		const cells: unknown[] = [];
		workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((c) => cells.push(c.value))));
		expect(cells).toContain('te weinig respondenten');
		expect(cells).not.toContain(SMALL_VALUE);
		hidden(JSON.stringify(cells));
		// the same school's girls (n 12) are shown
		expect(byCode(await progress('region=limus-college&geslacht=meisje'), SPLIT).value?.value).toBe(70);
	});

	it.runIf(existsSync('/usr/bin/chromium') && existsSync('/usr/bin/pdftotext'))(
		'should keep the small group out of the report PDF, whose footer names the breakdown',
		async () => {
			const res = await get(`/p/${SLUG}/rapport/pdf?regio=limus-college&geslacht=jongen`);
			expect(res.status).toBe(200);
			const file = join(TMP, `categories-${process.pid}.pdf`);
			writeFileSync(file, Buffer.from(await res.arrayBuffer()));
			const text = execFileSync('/usr/bin/pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
			rmSync(file);
			expect(text).toContain('Alleen jongen (geslacht)');
			expect(text).toContain('te weinig respondenten');
			expect(text).not.toContain('13,7');
			expect(text).not.toContain('13.7');
		},
		90_000
	);

	it('should show the gap between the categories on the totals’ report, from shown figures only', async () => {
		const gapOf = async (region: string) => {
			const res = await get(`/p/${SLUG}/rapport?regio=${region}`);
			expect(res.status).toBe(200);
			const html = await res.text();
			return { html, gaps: [...html.matchAll(/data-gap[^>]*>([^<]*)</g)].map((m) => m[1]) };
		};
		// girls 53.3 (n 72), boys 26.7 (n 85); before the boys' newest (Limus, 15 January) boys were 27.5
		expect((await gapOf('vleuten-de-meern')).gaps).toEqual([
			'Geslacht: meisje 53,3%, jongen 26,7% — verschil 26,6 procentpunt, was 25,8'
		]);
		// Limus alone: the boys are too few, and the girls beside the total would give them away
		const limus = await gapOf('limus-college');
		expect(limus.gaps).toEqual([
			'Geslacht: meisje verborgen: zou een kleine groep verraden, jongen te weinig respondenten'
		]);
		expect(limus.html).not.toContain('13,7');
		expect(limus.html).not.toContain('13.7');
	});

	it('should show the filter on the dashboard and report pages and keep it in their links', async () => {
		const dashboard = await get(`/p/${SLUG}/dashboard?regio=vleuten-de-meern&geslacht=meisje`);
		expect(dashboard.status).toBe(200);
		const html = await dashboard.text();
		expect(html).toContain('Alleen meisje (geslacht)');
		expect(html).toContain('niet uitgesplitst naar geslacht');
		expect(html).toMatch(/<option value="geslacht:meisje" selected/);
		expect(html).toContain('rapport?regio=vleuten-de-meern&amp;geslacht=meisje');
		const report = await get(`/p/${SLUG}/rapport?regio=vleuten-de-meern&geslacht=meisje`);
		const reportHtml = await report.text();
		expect(reportHtml).toContain('Alleen meisje (geslacht)');
		// the downloads keep it (after the phase the page chose)
		expect(reportHtml).toMatch(/report\.xlsx\?region=vleuten-de-meern&amp;phase=\d+&amp;geslacht=meisje"/);
		expect(reportHtml).toMatch(/rapport\/pdf\?regio=vleuten-de-meern&amp;fase=\d+&amp;geslacht=meisje"/);
		// the select's own GET form (no JavaScript) goes on to the canonical address
		const chosen = await get(`/p/${SLUG}/dashboard?regio=vleuten-de-meern&fase=&uitsplitsing=geslacht%3Ajongen`);
		expect(chosen.status).toBe(303);
		expect(chosen.headers.get('location')).toBe(`/p/${SLUG}/dashboard?regio=vleuten-de-meern&fase=&geslacht=jongen`);
	});

	it('should refuse an unknown dimension or category: a Dutch page, 400 invalid_filter in the API', async () => {
		const page = await get(`/p/${SLUG}/dashboard?religie=x`);
		expect(page.status).toBe(400);
		expect(await page.text()).toContain('Onbekende uitsplitsing religie: kies uit geslacht.');
		const report = await get(`/p/${SLUG}/rapport?geslacht=man`);
		expect(report.status).toBe(400);
		expect(await report.text()).toContain('Onbekende categorie man van geslacht');
		for (const path of [
			`${API}/progress?geslacht=man`,
			`${API}/report.csv?religie=x`,
			`${API}/report.xlsx?geslacht=man`
		]) {
			const res = await get(path);
			expect(res.status).toBe(400);
			const body = (await res.json()) as { error: { code: string; issues: { path: string }[] } };
			expect(body.error.code).toBe('invalid_filter');
			expect(body.error.issues[0].path).toMatch(/^(geslacht|religie)$/);
		}
	});
});
