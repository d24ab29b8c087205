import type { Context } from 'hono';
import { z } from 'zod';
import { inProgramme } from '../access.ts';
import { ApiError, zodToIssues } from '../errors.ts';
import { unwrap } from '../service-result.ts';
import { apiRouter, documentedSchema, json, refusals, route, slugParam } from '../openapi.ts';
import { evaluationInputSchema } from '../../../domain/evaluation.ts';
import * as evaluations from '../../services/evaluation.service.ts';
import { listPhases } from '../../services/phase.service.ts';
import { idField, idNumber } from '../../../domain/ids.ts';
import { inDutch } from '../../../domain/zod-messages.ts';
import { todayIso } from '../../../domain/dutch-format.ts';

const id = idField();

/** Optional bodies: without one (or without `version`) the stored version is taken as is. */
const versionBody = z.object({ version: idNumber().optional() });
const reopenBody = versionBody.extend({ reason: z.string().max(2000).optional() });

/** An optional JSON body: an empty one (even with a JSON content type) counts as `{}`. */
async function optionalBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
	const text = (await c.req.text()).trim();
	let raw: unknown = {};
	if (text)
		try {
			raw = JSON.parse(text);
		} catch {
			throw new ApiError(400, 'invalid_input', 'Ongeldige JSON');
		}
	const parsed = schema.safeParse(raw, inDutch);
	if (!parsed.success) throw new ApiError(400, 'invalid_input', 'Ongeldige invoer', zodToIssues(parsed.error));
	return parsed.data;
}

const tags = ['Evaluaties'];
const router = apiRouter();
/** An optional body, parsed by `optionalBody` (an empty one counts as `{}`); documented by reference. */
const optional = (name: string, schema: z.ZodType) => ({
	required: false,
	content: { 'application/json': { schema: documentedSchema(router, name, schema) } }
});

const phases = route({
	method: 'get',
	path: '/{slug}/phases',
	tags,
	summary: 'De fasen van de schooljaren',
	middleware: [inProgramme()] as const,
	request: { params: slugParam },
	responses: { 200: json('De fasen met begin, eind en evaluatiemoment'), ...refusals(401, 403, 404) }
});
const list = route({
	method: 'get',
	path: '/{slug}/evaluations',
	tags,
	summary: 'Evaluaties van vervolgstappen, eventueel van één fase',
	middleware: [inProgramme()] as const,
	request: { params: slugParam, query: z.object({ phase: id.optional() }) },
	responses: { 200: json('De evaluaties'), ...refusals(400, 401, 403, 404) }
});
const save = route({
	method: 'put',
	path: '/{slug}/evaluations/{nextStepId}/{phaseId}',
	tags,
	summary: 'Het concept van een evaluatie (vervolgstap × fase) opslaan',
	middleware: [inProgramme('evaluation:write')] as const,
	request: {
		params: slugParam.extend({ nextStepId: id, phaseId: id }),
		body: { required: true, content: { 'application/json': { schema: evaluationInputSchema } } }
	},
	responses: { 200: json('Het opgeslagen concept'), ...refusals(400, 401, 403, 404, 409, 413, 415, 422) }
});
const finaliseRoute = route({
	method: 'post',
	path: '/{slug}/evaluations/{id}/finalise',
	tags,
	summary: 'Een evaluatie definitief maken',
	middleware: [inProgramme('evaluation:write')] as const,
	request: { params: slugParam.extend({ id }), body: optional('EvaluatieVersie', versionBody) },
	responses: { 200: json('De definitieve evaluatie'), ...refusals(400, 401, 403, 404, 409, 413, 422) }
});
const reopenRoute = route({
	method: 'post',
	path: '/{slug}/evaluations/{id}/reopen',
	tags,
	summary: 'Een definitieve evaluatie heropenen, met een reden',
	middleware: [inProgramme('evaluation:write')] as const,
	request: { params: slugParam.extend({ id }), body: optional('EvaluatieHeropenen', reopenBody) },
	responses: { 200: json('De heropende evaluatie'), ...refusals(400, 401, 403, 404, 409, 413) }
});

/** School-year phases and the evaluations of next steps per phase. */
export const evaluationRoutes = router
	.openapi(phases, async (c) => c.json(await listPhases(c.var.ctx, todayIso()), 200))
	.openapi(list, async (c) => {
		const { phase } = c.req.valid('query');
		return c.json(await evaluations.listEvaluations(c.var.ctx, phase === undefined ? undefined : [phase]), 200);
	})
	.openapi(save, async (c) => {
		const { nextStepId, phaseId } = c.req.valid('param');
		const r = await evaluations.saveDraft(c.var.ctx, nextStepId, phaseId, c.req.valid('json'));
		return c.json(unwrap(r), 200);
	})
	.openapi(finaliseRoute, async (c) => {
		const { version } = await optionalBody(c, versionBody);
		const r = await evaluations.finalise(c.var.ctx, c.req.valid('param').id, { version });
		return c.json(unwrap(r), 200);
	})
	.openapi(reopenRoute, async (c) => {
		const { version, reason } = await optionalBody(c, reopenBody);
		const r = await evaluations.reopen(c.var.ctx, c.req.valid('param').id, reason ?? '', version);
		return c.json(unwrap(r), 200);
	});
