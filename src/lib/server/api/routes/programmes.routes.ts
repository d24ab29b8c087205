import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiEnv } from '../context.ts';
import { inProgramme, signedIn } from '../access.ts';
import { ApiError, notFound } from '../errors.ts';
import { validate } from '../validate.ts';
import * as kompas from '../../services/kompas.service.ts';
import { listMeasurements } from '../../services/measurement.service.ts';

export const programmeRoutes = new Hono<ApiEnv>()
	.get('/', signedIn, async (c) => {
		const programmes = await kompas.listVisibleProgrammes(c.get('db').db, c.get('actor')!);
		return c.json(programmes.map(({ slug, name, regions }) => ({ slug, name, regions: regions.map(({ slug, name, parent }) => ({ slug, name, parent })) })), 200);
	})
	.get('/:slug/kompas', inProgramme(), async (c) => c.json(await kompas.getKompas(c.get('db').db, c.get('programme')), 200))
	.get(
		'/:slug/indicators/:code/measurements',
		inProgramme(),
		validate('query', z.object({ region: z.string().min(1).max(100).optional() })),
		async (c) => {
			const { db } = c.get('db');
			const programme = c.get('programme');
			const indicator = await kompas.findIndicator(db, programme, c.req.param('code'));
			if (!indicator) throw notFound('Indicator');
			const result = await listMeasurements(db, programme, indicator.id, c.req.valid('query').region);
			if (result === 'unknown-region')
				throw new ApiError(400, 'invalid_input', 'Onbekende regio', [{ path: 'region', message: 'onbekende regio voor dit programma' }]);
			return c.json(result, 200);
		}
	);
