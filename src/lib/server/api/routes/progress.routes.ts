import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiEnv } from '../context.ts';
import { inProgramme } from '../access.ts';
import { ApiError } from '../errors.ts';
import { validate } from '../validate.ts';
import { isProblem, loadProgress, progressResponse } from '../../services/progress.service.ts';

const query = z.object({
	region: z.string().min(1).max(100).optional(),
	phase: z
		.string()
		.regex(/^(\d{1,9}|\d{4}-\d{4})$/, 'een fase-id of een schooljaar als 2024-2025')
		.optional()
});

/** Progress per theme for integrations: the same numbers the dashboard shows. */
export const progressRoutes = new Hono<ApiEnv>().get('/:slug/progress', inProgramme(), validate('query', query), async (c) => {
	const { region, phase } = c.req.valid('query');
	const loaded = await loadProgress(c.get('db').db, c.get('programme'), { region, phase });
	if (isProblem(loaded)) throw new ApiError(400, 'invalid_input', loaded.message, [{ path: loaded.problem, message: loaded.message }]);
	return c.json(progressResponse(loaded), 200);
});
