import { inProgramme } from '../access.ts';
import { ApiError } from '../errors.ts';
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
	const result = await exportPlanYaml(c.get('db').db, programme);
	if (!result.ok)
		throw new ApiError(422, 'plan_incomplete', 'Het meetplan is nog niet compleet genoeg voor een planbestand.', result.issues);
	return c.body(result.value, 200, {
		'content-type': 'application/yaml; charset=utf-8',
		'content-disposition': `attachment; filename="${planFileName(programme)}"`,
		'cache-control': 'no-store'
	});
});
