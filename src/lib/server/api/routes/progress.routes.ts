import { z } from 'zod';
import { inProgramme } from '../access.ts';
import { apiRouter, file, json, refusals, route, slugParam } from '../openapi.ts';
import { reportCsv, reportXlsx } from '../../files/report-writer.ts';
import { categoryFilter, loadProgress, progressResponse } from '../../services/progress.service.ts';
import type { Context } from 'hono';
import { unwrap } from '../service-result.ts';
import { REPORT_TABLES, report, reportTables } from '../../services/report.service.ts';

const selection = z.object({
	region: z.string().min(1).max(100).optional(),
	phase: z
		.string()
		.regex(/^(\d{1,9}|\d{4}-\d{4})$/, 'een fase-id of een schooljaar als 2024-2025')
		.optional()
});

/**
 * The breakdown filter, `?geslacht=meisje`: any parameter besides the route's own names one of the
 * programme's dimensions and its category (checked against the plan: unknown → 400 `invalid_filter`).
 */
const BREAKDOWN =
	'Uitsplitsing: voeg `?<dimensie>=<categorie>` toe (bijv. `?geslacht=meisje`, één tegelijk, sleutels uit het plan) voor de cijfers van die categorie: afgerold, met de nulmeting en streefwaarde van de categorie. Een indicator die niet naar die dimensie is uitgesplitst heeft dan geen cijfer (`notSplit: true`); een cijfer van minder respondenten dan de drempel van het programma (`minGroupSize`, standaard 10) wordt niet gegeven (`value: null`, `suppressed: "small"`). Een onbekende dimensie of categorie: 400 `invalid_filter`.';

/** The category a request asks for, checked against its programme; the route's own parameters are not one. */
function categoryOf(c: Context, own: readonly string[]): string | null {
	const params = [...new URL(c.req.url).searchParams];
	return unwrap(categoryFilter(c.var.ctx.programme, params, own), c);
}

const reached = z.object({ jongeren: z.number(), ouders: z.number(), professionals: z.number(), total: z.number() });
const dated = z
	.object({
		value: z.number(),
		date: z.string(),
		n: z.number().nullable(),
		source: z.string().nullable(),
		demo: z.boolean()
	})
	.nullable();
const coverage = z
	.object({
		aggregation: z.string(),
		used: z.array(z.string()).openapi({ description: 'deelregio’s (slugs) waarvan de waarden meetellen' }),
		leftOut: z.array(
			z.object({ region: z.string(), reason: z.enum(['verouderd', 'geen-gegevens', 'geen-n', 'ouder']) })
		),
		n: z.number().nullable(),
		unweighted: z.boolean()
	})
	.nullable();
const outside = z.object({ actions: z.number(), reached });
const onTrack = z.enum(['op_koers', 'achter', 'geen_gegevens']).nullable().openapi({
	description:
		'op_koers: voortgang ≥ verwacht − 0,10; achter: daaronder; geen_gegevens: geen recente waarde; null: niet te bepalen (geen nulmeting, streefwaarde of richting)'
});
const trend = z
	.enum(['beter', 'gelijk', 'slechter'])
	.nullable()
	.openapi({ description: 'laatste waarde tegen de vorige, rekening houdend met de richting; null: geen trend' });
const expected = z
	.number()
	.nullable()
	.openapi({ description: 'verwachte voortgang 0–1 op de datum van het cijfer (lijn nulmeting → streefwaarde)' });
const point = z.object({ value: z.number(), date: z.string() });

const progressAnswer = z.object({
	region: z.object({ slug: z.string(), name: z.string() }).nullable(),
	category: z
		.object({
			dimension: z.string(),
			category: z.string(),
			name: z.string(),
			minGroupSize: z.number()
		})
		.nullable()
		.openapi({ description: 'de gekozen uitsplitsing (`?geslacht=meisje`), of null voor de totalen' }),
	schoolYear: z.string().nullable(),
	phase: z.object({ id: z.number(), name: z.string(), start: z.string(), end: z.string() }).nullable(),
	fresh: z.object({ indicators: z.number(), of: z.number() }).openapi({
		description: 'indicatoren met recente gegevens (binnen hun geldigheid), van alle numerieke'
	}),
	outsidePhases: outside
		.extend({ indicators: z.array(z.string()) })
		.openapi({ description: 'acties en waarden van het schooljaar die in geen fase vallen ("buiten de fasen")' }),
	themes: z.array(
		z.object({
			id: z.number(),
			code: z.string(),
			number: z.number(),
			title: z.string(),
			progress: z.number().nullable().openapi({ description: '0–1, of null ("geen data")' }),
			onTrack: onTrack.openapi({ description: 'de status van het thema (op koers / achter / geen recente gegevens)' }),
			expected,
			trend: trend.openapi({ description: 'de balans van de trends van zijn indicatoren' }),
			trends: z
				.object({ beter: z.number(), gelijk: z.number(), slechter: z.number() })
				.openapi({ description: 'hoeveel indicatoren beter, gelijk en slechter gaan' }),
			status: z.string().nullable().openapi({ description: 'status van de laatste definitieve evaluatie' }),
			decision: z.string().nullable(),
			evaluationPhase: z.object({ id: z.number(), name: z.string() }).nullable(),
			actions: z.number(),
			reached,
			indicators: z.number(),
			indicatorsWithoutData: z.number(),
			indicatorsFresh: z.number(),
			outsidePhases: outside
		})
	),
	indicators: z.array(
		z.object({
			code: z.string(),
			theme: z.number().nullable(),
			perPeriod: z.boolean(),
			value: dated
				.unwrap()
				.extend({
					own: z.boolean(),
					coverage,
					phases: z.array(z.object({ phaseId: z.number(), value: z.number() })).nullable()
				})
				.nullable()
				.openapi({
					description:
						'het cijfer dat telt: de laatste geldige meting, of bij een per-fase-indicator het opgetelde schooljaar tot nu toe'
				}),
			stale: dated.openapi({ description: 'als niets telt: de nieuwste waarde, verouderd (telt niet mee)' }),
			outsidePhases: dated,
			baseline: z
				.object({
					value: z.number(),
					date: z.string().nullable(),
					source: z.string().nullable(),
					demo: z.boolean(),
					region: z.string().nullable()
				})
				.nullable(),
			target: z.object({ value: z.number(), date: z.string().nullable(), demo: z.boolean() }).nullable(),
			progress: z.number().nullable(),
			expected,
			status: onTrack,
			trend,
			trendBasis: z
				.object({ latest: point, previous: point })
				.nullable()
				.openapi({ description: 'de twee waarden die de trend vergelijkt' }),
			key: z.boolean().openapi({ description: 'kernindicator (key: true in het plan)' }),
			comparable: z.boolean(),
			comparability: z.string().nullable(),
			warning: z.string().nullable(),
			suppressed: z
				.enum(['small', 'derivable'])
				.nullable()
				.openapi({ description: 'bij een uitsplitsing: te weinig respondenten, het cijfer wordt niet gegeven' }),
			notSplit: z
				.boolean()
				.openapi({ description: 'bij een uitsplitsing: deze indicator is niet naar die dimensie uitgesplitst' })
		})
	)
});

const fileName = (slug: string, ext: string) => `attachment; filename="rapport-${slug}.${ext}"`;

const tags = ['Voortgang en rapport'];
const reportCsvQuery = selection.extend({
	dialect: z.enum(['plain', 'excel-nl']).default('plain'),
	tabel: z.enum(REPORT_TABLES, `Kies tabel ${REPORT_TABLES.join(', ')}.`).default('indicatoren')
});

const progress = route({
	method: 'get',
	path: '/{slug}/progress',
	tags,
	summary: 'Voortgang per thema in een regio en fase (dezelfde cijfers als het dashboard)',
	description: BREAKDOWN,
	middleware: [inProgramme()] as const,
	request: { params: slugParam, query: selection },
	responses: { 200: json('Voortgang per thema', progressAnswer), ...refusals(400, 401, 403, 404) }
});
const reportCsvRoute = route({
	method: 'get',
	path: '/{slug}/report.csv',
	tags,
	summary: 'Het financiersrapport als CSV, één tabel per verzoek',
	description: BREAKDOWN,
	middleware: [inProgramme()] as const,
	request: { params: slugParam, query: reportCsvQuery },
	responses: { 200: file('De gekozen tabel als CSV', 'text/csv'), ...refusals(400, 401, 403, 404) }
});
const reportXlsxRoute = route({
	method: 'get',
	path: '/{slug}/report.xlsx',
	tags,
	summary: 'Het financiersrapport als Excel-bestand, een werkblad per tabel',
	description: BREAKDOWN,
	middleware: [inProgramme()] as const,
	request: { params: slugParam, query: selection },
	responses: {
		200: file('Het rapport als XLSX', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
		...refusals(400, 401, 403, 404)
	}
});

/** Progress per theme for integrations (the same numbers the dashboard shows), and the funder report as files. */
export const progressRoutes = apiRouter()
	.openapi(progress, async (c) => {
		const category = categoryOf(c, ['region', 'phase']);
		const q = { ...c.req.valid('query'), category };
		return c.json(progressResponse(unwrap(await loadProgress(c.var.ctx, q))), 200);
	})
	.openapi(reportCsvRoute, async (c) => {
		const { dialect, tabel, ...q } = c.req.valid('query');
		const { programme } = c.var.ctx;
		const category = categoryOf(c, ['region', 'phase', 'dialect', 'tabel']);
		const view = unwrap(await report(c.var.ctx, { ...q, category }, { charts: false }));
		const table = reportTables(view).find((t) => t.name === tabel)!;
		return c.body(reportCsv(table, dialect), 200, {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': fileName(tabel === 'indicatoren' ? programme.slug : `${programme.slug}-${tabel}`, 'csv')
		});
	})
	.openapi(reportXlsxRoute, async (c) => {
		const { programme } = c.var.ctx;
		const category = categoryOf(c, ['region', 'phase']);
		const view = unwrap(await report(c.var.ctx, { ...c.req.valid('query'), category }, { charts: false }));
		const body = await reportXlsx(reportTables(view), `Rapport ${programme.name}`);
		return c.body(new Uint8Array(body), 200, {
			'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': fileName(programme.slug, 'xlsx')
		});
	});
