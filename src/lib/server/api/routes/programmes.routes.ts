import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiEnv } from '../context.ts';
import { ApiError, notFound } from '../errors.ts';
import { validate } from '../validate.ts';
import * as kompas from '../../services/kompas.service.ts';
import { listMeasurements } from '../../services/measurement.service.ts';

const slugParam = z.object({ slug: z.string().min(1).max(100) });

export const programmeRoutes = new Hono<ApiEnv>()
	.get('/', async (c) => {
		const programmes = await kompas.listProgrammes(c.get('db').db);
		return c.json(programmes.map(({ slug, name, regions }) => ({ slug, name, regions: regions.map(({ slug, name, parent }) => ({ slug, name, parent })) })), 200);
	})
	.get('/:slug/kompas', validate('param', slugParam), async (c) => {
		const { db } = c.get('db');
		const programme = await kompas.findProgramme(db, c.req.valid('param').slug);
		if (!programme) throw notFound('Programma');
		return c.json(await kompas.getKompas(db, programme), 200);
	})
	.get(
		'/:slug/indicators/:code/measurements',
		validate('param', slugParam.extend({ code: z.string().min(1).max(100) })),
		validate('query', z.object({ region: z.string().min(1).max(100).optional() })),
		async (c) => {
			const { db } = c.get('db');
			const { slug, code } = c.req.valid('param');
			const programme = await kompas.findProgramme(db, slug);
			if (!programme) throw notFound('Programma');
			const indicator = await kompas.findIndicator(db, programme, code);
			if (!indicator) throw notFound('Indicator');
			const result = await listMeasurements(db, programme, indicator.id, c.req.valid('query').region);
			if (result === 'unknown-region')
				throw new ApiError(400, 'invalid_input', 'Onbekende regio', [{ path: 'region', message: 'onbekende regio voor dit programma' }]);
			return c.json(result, 200);
		}
	);
