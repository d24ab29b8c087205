import { z } from 'zod';
import { inProgramme } from '../access.ts';
import { apiRouter, json, refusals, route, slugParam } from '../openapi.ts';
import { auditLog } from '../../services/audit.service.ts';
import { idField } from '../../../domain/ids.ts';

const audit = route({
	method: 'get',
	path: '/{slug}/audit',
	tags: ['Auditlog'],
	summary: 'Het auditlog van het programma, nieuwste eerst (voor projectleiders)',
	middleware: [inProgramme('audit:read')] as const,
	request: {
		params: slugParam,
		query: z.object({ before: idField().optional(), limit: z.coerce.number().int().min(1).max(500).optional() })
	},
	responses: { 200: json('Een bladzijde van het auditlog'), ...refusals(400, 401, 403, 404) }
});

export const auditRoutes = apiRouter().openapi(audit, async (c) =>
	c.json(await auditLog(c.get('db').db, { programmeId: c.get('programme').id, ...c.req.valid('query') }), 200)
);
