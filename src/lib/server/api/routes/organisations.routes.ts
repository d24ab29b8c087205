import { z } from 'zod';
import { inProgramme } from '../access.ts';
import { ApiError } from '../errors.ts';
import { apiRouter, documentedSchema, json, refusals, route, slugParam } from '../openapi.ts';
import { idParam, unwrap } from '../service-result.ts';
import * as organisations from '../../services/organisation.service.ts';
import { organisationInputSchema, organisationPatchSchema } from '../../../domain/action.ts';

const bodyOf = (c: { req: { json: () => Promise<unknown> } }) =>
	c.req.json().catch(() => {
		throw new ApiError(400, 'invalid_input', 'Verwacht een JSON-object');
	});

const tags = ['Organisaties'];
/** The service checks organisation bodies itself (its Dutch messages); the document shows their schemas. */
const router = apiRouter();
const organisationInput = documentedSchema(router, 'OrganisatieInvoer', organisationInputSchema);
const organisationPatch = documentedSchema(router, 'OrganisatieWijziging', organisationPatchSchema);

const list = route({
	method: 'get',
	path: '/{slug}/organisations',
	tags,
	summary: 'De organisaties van het programma',
	middleware: [inProgramme()] as const,
	request: {
		params: slugParam,
		query: z.object({ archived: z.string().optional().openapi({ description: '`true`: ook gearchiveerde' }) })
	},
	responses: { 200: json('De organisaties'), ...refusals(401, 403, 404) }
});
const create = route({
	method: 'post',
	path: '/{slug}/organisations',
	tags,
	summary: 'Een organisatie toevoegen',
	middleware: [inProgramme('plan:edit')] as const,
	request: {
		params: slugParam,
		body: { required: true, content: { 'application/json': { schema: organisationInput } } }
	},
	responses: { 201: json('De nieuwe organisatie'), ...refusals(400, 401, 403, 404, 409, 413) }
});
const update = route({
	method: 'patch',
	path: '/{slug}/organisations/{id}',
	tags,
	summary: 'Een organisatie wijzigen of archiveren',
	middleware: [inProgramme('plan:edit')] as const,
	request: {
		params: slugParam.extend({ id: z.string() }),
		body: { required: true, content: { 'application/json': { schema: organisationPatch } } }
	},
	responses: { 200: json('De gewijzigde organisatie'), ...refusals(400, 401, 403, 404, 409, 413) }
});

/** The organisations of a programme: `/programmes/{slug}/organisations`; leads maintain them. */
export const organisationRoutes = router
	.openapi(list, async (c) =>
		c.json(
			await organisations.listOrganisations(c.var.ctx, { includeArchived: c.req.query('archived') === 'true' }),
			200
		)
	)
	.openapi(create, async (c) => c.json(unwrap(await organisations.createOrganisation(c.var.ctx, await bodyOf(c))), 201))
	.openapi(update, async (c) => {
		const id = idParam(c.req.param('id'), 'Organisatie');
		return c.json(unwrap(await organisations.updateOrganisation(c.var.ctx, id, await bodyOf(c))), 200);
	});
