import { Hono } from 'hono';
import { sql } from 'kysely';
import type { ApiEnv } from '../context.ts';

export const healthRoutes = new Hono<ApiEnv>().get('/', async (c) => {
	const { db, dialect } = c.get('db');
	await sql`select 1`.execute(db);
	return c.json({ status: 'ok', database: dialect }, 200);
});
