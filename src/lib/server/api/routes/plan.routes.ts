import { inProgramme } from '../access.ts';
import { unwrap } from '../service-result.ts';
import { apiRouter, file, refusals, route, slugParam } from '../openapi.ts';
import { exportPlanYaml, planFileName } from '../../services/plan-export.service.ts';

const planYaml = route({
	method: 'get',
	path: '/{slug}/plan.yaml',
	tags: ['Meetplan'],
	summary: 'Het meetplan als planbestand (YAML, zoals `npm run plan:load` het leest)',
	middleware: [inProgramme()] as const,
	request: { params: slugParam },
	responses: { 200: file('Het planbestand', 'application/yaml'), ...refusals(401, 403, 404, 422) }
});

export const planRoutes = apiRouter().openapi(planYaml, async (c) => {
	const programme = c.get('programme');
	const yaml = unwrap(await exportPlanYaml(c.var.ctx));
	return c.body(yaml, 200, {
		'content-type': 'application/yaml; charset=utf-8',
		'content-disposition': `attachment; filename="${planFileName(programme)}"`,
		'cache-control': 'no-store'
	});
});
