import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiEnv } from '../context.ts';
import { inProgramme } from '../access.ts';
import { validate } from '../validate.ts';
import { auditLog } from '../../services/audit.service.ts';

export const auditRoutes = new Hono<ApiEnv>().get(
	'/:slug/audit',
	inProgramme('audit:read'),
	validate('query', z.object({ before: z.coerce.number().int().positive().optional(), limit: z.coerce.number().int().min(1).max(500).optional() })),
	async (c) => c.json(await auditLog(c.get('db').db, { programmeId: c.get('programme').id, ...c.req.valid('query') }), 200)
);
