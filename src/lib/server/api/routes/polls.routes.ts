import { z } from 'zod';
import { inProgramme } from '../access.ts';
import { ApiError, notFound } from '../errors.ts';
import { apiRouter, documentedSchema, json, refusals, route, slugParam } from '../openapi.ts';
import { idParam, unwrap } from '../service-result.ts';
import { publicOrigin } from '../../public-origin.ts';
import * as polls from '../../services/poll.service.ts';
import { pollInputSchema } from '../../../domain/poll-input.ts';

const bodyOf = (c: { req: { json: () => Promise<unknown> } }) =>
	c.req.json().catch(() => {
		throw new ApiError(400, 'invalid_input', 'Verwacht een JSON-object');
	});

const tags = ['Peilingen'];
const withId = slugParam.extend({ id: z.string() });
/** The service checks a new poll itself (its closing time against now, its Dutch messages); the document shows the schema. */
const router = apiRouter();
const pollInput = documentedSchema(router, 'PeilingInvoer', pollInputSchema(new Date(0).toISOString()));

const list = route({
	method: 'get',
	path: '/{slug}/polls',
	tags,
	summary: `De peilingen van het programma, nieuwste eerst (hoogstens ${polls.POLL_LIST_LIMIT})`,
	middleware: [inProgramme()] as const,
	request: { params: slugParam },
	responses: { 200: json('De peilingen'), ...refusals(401, 403, 404) }
});
const create = route({
	method: 'post',
	path: '/{slug}/polls',
	tags,
	summary: 'Een peiling maken uit een sjabloon van het meetplan (aanjagers en projectleiders)',
	middleware: [inProgramme('poll:run')] as const,
	request: { params: slugParam, body: { required: true, content: { 'application/json': { schema: pollInput } } } },
	responses: { 201: json('De nieuwe peiling, met haar openbare link'), ...refusals(400, 401, 403, 404, 413) }
});
const get = route({
	method: 'get',
	path: '/{slug}/polls/{id}',
	tags,
	summary:
		'Eén peiling: stand en uitslag van de groep (verborgen onder de kleinste groep); link en code alleen voor wie peilingen afneemt. Open antwoorden staan niet in de API',
	middleware: [inProgramme()] as const,
	request: { params: withId },
	responses: { 200: json('De peiling'), ...refusals(401, 403, 404) }
});
const results = route({
	method: 'get',
	path: '/{slug}/polls/{id}/results',
	tags,
	summary: 'De live uitslag voor het scherm in de klas: { state, respondents, minGroupSize, result }',
	middleware: [inProgramme('poll:run')] as const,
	request: { params: withId },
	responses: { 200: json('De uitslag, verborgen onder de kleinste groep'), ...refusals(401, 403, 404) }
});
const close = route({
	method: 'post',
	path: '/{slug}/polls/{id}/close',
	tags,
	summary: 'Een peiling sluiten: de antwoorden worden ingediende metingen van de gekoppelde indicatoren',
	middleware: [inProgramme('poll:run')] as const,
	request: { params: withId },
	responses: { 200: json('De gesloten peiling, met wat het sluiten maakte'), ...refusals(401, 403, 404, 409) }
});

/** Anonymous polls (peilingen): `/programmes/{slug}/polls`. Respondents answer on the public page, not here. */
export const pollRoutes = router
	.openapi(list, async (c) => c.json(await polls.listPolls(c.var.ctx), 200))
	.openapi(create, async (c) => {
		const r = await polls.createPoll(c.var.ctx, await bodyOf(c), { origin: publicOrigin(c.req.url) });
		return c.json(unwrap(r), 201);
	})
	.openapi(get, async (c) => {
		const id = idParam(c.req.param('id'), 'Peiling');
		const poll = await polls.pollDetail(c.var.ctx, id, { origin: publicOrigin(c.req.url) });
		if (!poll) throw notFound('Peiling');
		return c.json(poll, 200);
	})
	.openapi(results, async (c) => {
		const live = await polls.liveResult(c.var.ctx, idParam(c.req.param('id'), 'Peiling'));
		if (!live) throw notFound('Peiling');
		c.header('Cache-Control', 'no-store');
		return c.json(live, 200);
	})
	.openapi(close, async (c) => {
		const id = idParam(c.req.param('id'), 'Peiling');
		return c.json(unwrap(await polls.closeByHand(c.var.ctx, id, { origin: publicOrigin(c.req.url) })), 200);
	});
