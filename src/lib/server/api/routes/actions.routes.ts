import { z } from 'zod';
import { actionFilterSchema, actionInputSchema, actionPatchSchema, IDEMPOTENCY_KEY } from '../../../domain/action.ts';
import { inProgramme } from '../access.ts';
import { ApiError, notFound } from '../errors.ts';
import { apiRouter, documentedSchema, json, refusals, route, slugParam } from '../openapi.ts';
import { idParam, unwrap } from '../service-result.ts';
import * as actions from '../../services/action.service.ts';
import { idField } from '../../../domain/ids.ts';

/** The Idempotency-Key header: a resubmission with the same key never creates a second action. */
function idempotencyKey(header: string | undefined): string | null {
	if (header === undefined) return null;
	if (!IDEMPOTENCY_KEY.test(header))
		throw new ApiError(400, 'invalid_input', 'Ongeldige Idempotency-Key', [
			{ path: 'Idempotency-Key', message: '8–200 tekens: letters, cijfers, - _ . :' }
		]);
	return header;
}

const tags = ['Acties'];
const withId = slugParam.extend({ id: z.string() });
/** The service checks action bodies itself (its Dutch messages); the document shows their schemas. */
const ANY_DAY = '9999-12-31';
const router = apiRouter();
const actionInput = documentedSchema(router, 'ActieInvoer', actionInputSchema(ANY_DAY));
const actionPatch = documentedSchema(router, 'ActieWijziging', actionPatchSchema(ANY_DAY));

const list = route({
	method: 'get',
	path: '/{slug}/actions',
	tags,
	summary: 'Het actielog, gefilterd; de kop X-More zegt of er meer is',
	middleware: [inProgramme()] as const,
	request: { params: slugParam, query: actionFilterSchema },
	responses: { 200: json('De acties, nieuwste eerst'), ...refusals(400, 401, 403, 404) }
});
const create = route({
	method: 'post',
	path: '/{slug}/actions',
	tags,
	summary: 'Een actie loggen (met Idempotency-Key: een herhaling maakt geen tweede)',
	middleware: [inProgramme('action:log')] as const,
	request: {
		params: slugParam,
		headers: z.object({
			'idempotency-key': z.string().optional().openapi({ description: '8–200 tekens: letters, cijfers, - _ . :' })
		}),
		body: { required: true, content: { 'application/json': { schema: actionInput } } }
	},
	responses: {
		201: json('De opgeslagen actie'),
		200: json('Dezelfde Idempotency-Key: de actie van de eerste keer'),
		...refusals(400, 401, 403, 404, 409, 413)
	}
});
const get = route({
	method: 'get',
	path: '/{slug}/actions/{id}',
	tags,
	summary: 'Eén actie',
	middleware: [inProgramme()] as const,
	request: { params: withId },
	responses: { 200: json('De actie'), ...refusals(401, 403, 404) }
});
const update = route({
	method: 'patch',
	path: '/{slug}/actions/{id}',
	tags,
	summary: 'Een actie wijzigen (eigen acties; projectleiders alle)',
	middleware: [inProgramme('action:log')] as const,
	request: { params: withId, body: { required: true, content: { 'application/json': { schema: actionPatch } } } },
	responses: { 200: json('De gewijzigde actie'), ...refusals(400, 401, 403, 404, 409, 413) }
});
const remove = route({
	method: 'delete',
	path: '/{slug}/actions/{id}',
	tags,
	summary: 'Een actie verwijderen',
	middleware: [inProgramme('action:log')] as const,
	request: { params: withId, query: z.object({ version: idField().optional() }) },
	responses: { 204: { description: 'Verwijderd' }, ...refusals(400, 401, 403, 404, 409) }
});

/** The action log: `/programmes/{slug}/actions`. */
export const actionRoutes = router
	.openapi(list, async (c) => {
		const { actions: list, more } = await actions.listActions(c.var.ctx, c.req.valid('query'));
		c.header('X-More', more ? 'true' : 'false');
		return c.json(list, 200);
	})
	.openapi(create, async (c) => {
		const key = idempotencyKey(c.req.header('idempotency-key'));
		const body = await c.req.json().catch(() => {
			throw new ApiError(400, 'invalid_input', 'Verwacht een JSON-object');
		});
		const { action, replayed } = unwrap(await actions.createAction(c.var.ctx, body, { idempotencyKey: key }));
		return c.json(action, replayed ? 200 : 201);
	})
	.openapi(get, async (c) => {
		const action = await actions.getAction(c.var.ctx, idParam(c.req.param('id'), 'Actie'));
		if (!action) throw notFound('Actie');
		return c.json(action, 200);
	})
	.openapi(update, async (c) => {
		const id = idParam(c.req.param('id'), 'Actie');
		const body = await c.req.json().catch(() => {
			throw new ApiError(400, 'invalid_input', 'Verwacht een JSON-object');
		});
		return c.json(unwrap(await actions.updateAction(c.var.ctx, id, body)), 200);
	})
	.openapi(remove, async (c) => {
		const id = idParam(c.req.param('id'), 'Actie');
		unwrap(await actions.deleteAction(c.var.ctx, id, c.req.valid('query').version));
		return c.body(null, 204);
	});
