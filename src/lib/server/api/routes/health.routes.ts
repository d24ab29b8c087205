import { sql } from 'kysely';
import { z } from 'zod';
import { apiRouter, json, refusals, route } from '../openapi.ts';
import { readiness } from '../../services/readiness.service.ts';
import { unwrap } from '../service-result.ts';

const health = route({
	method: 'get',
	path: '/',
	tags: ['Status'],
	summary: 'Draait de server en bereikt hij de database?',
	security: [],
	responses: {
		200: json(
			'De server en de database werken',
			z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']) })
		)
	}
});

export const healthRoutes = apiRouter().openapi(health, async (c) => {
	const { db, dialect } = c.get('db');
	await sql`select 1`.execute(db);
	return c.json({ status: 'ok' as const, database: dialect }, 200);
});

const ready = route({
	method: 'get',
	path: '/',
	tags: ['Status'],
	summary: 'Kan de server verzoeken aan: antwoordt de database en zijn alle migraties uitgevoerd?',
	description:
		'Voor een load balancer: 503 zolang de database niet antwoordt of een migratie van deze versie ontbreekt (de server is dan wel in leven, zie /health).',
	security: [],
	responses: {
		200: json('Gereed', z.object({ status: z.literal('ready') })),
		...refusals(503)
	}
});

export const readyRoutes = apiRouter().openapi(ready, async (c) => {
	return c.json({ status: unwrap(await readiness(c.get('db'))) }, 200);
});
