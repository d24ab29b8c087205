import { sql } from 'kysely';
import { z } from 'zod';
import { apiRouter, json, route } from '../openapi.ts';

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
