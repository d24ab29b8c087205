import { Hono } from 'hono';
import type { ApiEnv } from '../context.ts';
import { inProgramme } from '../access.ts';
import { ApiError } from '../errors.ts';
import { exportPlanYaml, planFileName } from '../../services/plan-export.service.ts';

export const planRoutes = new Hono<ApiEnv>().get('/:slug/plan.yaml', inProgramme(), async (c) => {
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
