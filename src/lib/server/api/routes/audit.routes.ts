import { z } from 'zod';
import { inProgramme } from '../access.ts';
import { apiRouter, json, refusals, route, slugParam } from '../openapi.ts';
import { auditLog } from '../../services/audit.service.ts';
import { auditQueryFields } from '../../../domain/audit.ts';

const auditQuery = auditQueryFields
	.extend({ limit: z.coerce.number().int().min(1).max(500).optional() })
	.refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'de begindatum ligt na de einddatum', path: ['to'] });

const audit = route({
	method: 'get',
	path: '/{slug}/audit',
	tags: ['Auditlog'],
	summary: 'Het auditlog van het programma, nieuwste eerst (voor projectleiders)',
	description:
		'Filters: `user` (gebruikers-id), `action` (soort wijziging), `entity` (soort object), `object` (id, of de code van een indicator), `from`/`to` (kalenderdagen in Nederlandse tijd, beide inbegrepen). Bladeren: `before` (oudere dan dit id) of `after` (nieuwere), `limit` (standaard 100).',
	middleware: [inProgramme('audit:read')] as const,
	request: { params: slugParam, query: auditQuery },
	responses: { 200: json('Een bladzijde van het auditlog'), ...refusals(400, 401, 403, 404) }
});

export const auditRoutes = apiRouter().openapi(audit, async (c) =>
	c.json(await auditLog(c.get('db').db, { programmeId: c.get('programme').id }, c.req.valid('query')), 200)
);
