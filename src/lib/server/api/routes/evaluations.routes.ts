import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { ApiEnv } from '../context.ts';
import { inProgramme } from '../access.ts';
import { ApiError, zodToIssues } from '../errors.ts';
import { validate } from '../validate.ts';
import { evaluationInputSchema } from '../../../domain/evaluation.ts';
import * as evaluations from '../../services/evaluation.service.ts';
import { listPhases } from '../../services/phase.service.ts';
import { idField, idNumber } from '../../../domain/ids.ts';
import { inDutch } from '../../../domain/zod-messages.ts';
import { todayIso } from '../../../domain/dutch-format.ts';

const id = idField();
const STATUS = { not_found: 404, conflict: 409, locked: 409, not_final: 409, too_early: 409, incomplete: 422, invalid: 400 } as const;

/** A refused evaluation change as the API answers it. */
function refused(r: Exclude<evaluations.Result<unknown>, { ok: true }>): never {
	throw new ApiError(STATUS[r.reason], r.reason === 'invalid' ? 'invalid_input' : r.reason, r.message, 'issues' in r ? r.issues : undefined);
}

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

/** School-year phases and the evaluations of next steps per phase. */
export const evaluationRoutes = new Hono<ApiEnv>()
	.get('/:slug/phases', inProgramme(), async (c) => c.json(await listPhases(c.get('db').db, c.get('programme'), todayIso()), 200))
	.get('/:slug/evaluations', inProgramme(), validate('query', z.object({ phase: id.optional() })), async (c) => {
		const { phase } = c.req.valid('query');
		return c.json(await evaluations.listEvaluations(c.get('db').db, c.get('programme'), phase === undefined ? undefined : [phase]), 200);
	})
	.put(
		'/:slug/evaluations/:nextStepId/:phaseId',
		inProgramme('evaluation:write'),
		validate('param', z.object({ nextStepId: id, phaseId: id })),
		validate('json', evaluationInputSchema),
		async (c) => {
			const { nextStepId, phaseId } = c.req.valid('param');
			const r = await evaluations.saveDraft(c.get('db').db, c.get('programme'), c.get('actor')!, nextStepId, phaseId, c.req.valid('json'));
			if (!r.ok) refused(r);
			return c.json(r.value, 200);
		}
	)
	.post('/:slug/evaluations/:id/finalise', inProgramme('evaluation:write'), validate('param', z.object({ id })), async (c) => {
		const { version } = await optionalBody(c, versionBody);
		const r = await evaluations.finalise(c.get('db').db, c.get('programme'), c.get('actor')!, c.req.valid('param').id, version);
		if (!r.ok) refused(r);
		return c.json(r.value, 200);
	})
	.post('/:slug/evaluations/:id/reopen', inProgramme('evaluation:write'), validate('param', z.object({ id })), async (c) => {
		const { version, reason } = await optionalBody(c, reopenBody);
		const r = await evaluations.reopen(c.get('db').db, c.get('programme'), c.get('actor')!, c.req.valid('param').id, reason ?? '', version);
		if (!r.ok) refused(r);
		return c.json(r.value, 200);
	});
