import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiEnv } from '../context.ts';
import { inProgramme } from '../access.ts';
import { validate } from '../validate.ts';
import { auditLog } from '../../services/audit.service.ts';
import { idField } from '../../../domain/ids.ts';

export const auditRoutes = new Hono<ApiEnv>().get(
	'/:slug/audit',
	inProgramme('audit:read'),
	validate('query', z.object({ before: idField().optional(), limit: z.coerce.number().int().min(1).max(500).optional() })),
	async (c) => c.json(await auditLog(c.get('db').db, { programmeId: c.get('programme').id, ...c.req.valid('query') }), 200)
);
