import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiEnv } from '../context.ts';
import { inProgramme } from '../access.ts';
import { ApiError } from '../errors.ts';
import { validate } from '../validate.ts';
import { reportCsv, reportXlsx } from '../../files/report-writer.ts';
import { isProblem, loadProgress, progressResponse, type SelectionProblem } from '../../services/progress.service.ts';
import { REPORT_TABLES, report, reportTables } from '../../services/report.service.ts';

const selection = z.object({
	region: z.string().min(1).max(100).optional(),
	phase: z
		.string()
		.regex(/^(\d{1,9}|\d{4}-\d{4})$/, 'een fase-id of een schooljaar als 2024-2025')
		.optional()
});

const refuse = (p: SelectionProblem): never => {
	throw new ApiError(400, 'invalid_input', p.message, [{ path: p.problem, message: p.message }]);
};

const fileName = (slug: string, ext: string) => `attachment; filename="rapport-${slug}.${ext}"`;

/** Progress per theme for integrations (the same numbers the dashboard shows), and the funder report as files. */
export const progressRoutes = new Hono<ApiEnv>()
	.get('/:slug/progress', inProgramme(), validate('query', selection), async (c) => {
		const loaded = await loadProgress(c.get('db').db, c.get('programme'), c.req.valid('query'));
		if (isProblem(loaded)) refuse(loaded);
		return c.json(progressResponse(loaded as Exclude<typeof loaded, SelectionProblem>), 200);
	})
	.get(
		'/:slug/report.csv',
		inProgramme(),
		validate('query', selection.extend({ dialect: z.enum(['plain', 'excel-nl']).default('plain'), tabel: z.enum(REPORT_TABLES, `Kies tabel ${REPORT_TABLES.join(', ')}.`).default('indicatoren') })),
		async (c) => {
			const { dialect, tabel, ...q } = c.req.valid('query');
			const programme = c.get('programme');
			const view = await report(c.get('db').db, programme, q);
			if (isProblem(view)) return refuse(view);
			const table = reportTables(view).find((t) => t.name === tabel)!;
			return c.body(reportCsv(table, dialect), 200, {
				'content-type': 'text/csv; charset=utf-8',
				'content-disposition': fileName(tabel === 'indicatoren' ? programme.slug : `${programme.slug}-${tabel}`, 'csv')
			});
		}
	)
	.get('/:slug/report.xlsx', inProgramme(), validate('query', selection), async (c) => {
		const programme = c.get('programme');
		const view = await report(c.get('db').db, programme, c.req.valid('query'));
		if (isProblem(view)) return refuse(view);
		const body = await reportXlsx(reportTables(view), `Rapport ${programme.name}`);
		return c.body(new Uint8Array(body), 200, {
			'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': fileName(programme.slug, 'xlsx')
		});
	});
