import { Hono } from 'hono';
import { z } from 'zod';
import { actionFilterSchema, IDEMPOTENCY_KEY } from '../../../domain/action.ts';
import type { ApiEnv } from '../context.ts';
import { inProgramme } from '../access.ts';
import { ApiError, notFound } from '../errors.ts';
import { idParam, unwrap } from '../service-result.ts';
import { validate } from '../validate.ts';
import * as actions from '../../services/action.service.ts';
import { idField } from '../../../domain/ids.ts';

/** The Idempotency-Key header: a resubmission with the same key never creates a second action. */
function idempotencyKey(header: string | undefined): string | null {
	if (header === undefined) return null;
	if (!IDEMPOTENCY_KEY.test(header))
		throw new ApiError(400, 'invalid_input', 'Ongeldige Idempotency-Key', [{ path: 'Idempotency-Key', message: '8–200 tekens: letters, cijfers, - _ . :' }]);
	return header;
}

/** The action log: `/programmes/{slug}/actions`. */
export const actionRoutes = new Hono<ApiEnv>()
	.get('/:slug/actions', inProgramme(), validate('query', actionFilterSchema), async (c) => {
		const { actions: list, more } = await actions.listActions(c.get('db').db, c.get('programme'), c.get('actor'), c.req.valid('query'));
		c.header('X-More', more ? 'true' : 'false');
		return c.json(list, 200);
	})
	.post('/:slug/actions', inProgramme('action:log'), async (c) => {
		const key = idempotencyKey(c.req.header('idempotency-key'));
		const body = await c.req.json().catch(() => {
			throw new ApiError(400, 'invalid_input', 'Verwacht een JSON-object');
		});
		const result = await actions.createAction(c.get('db').db, c.get('programme'), c.get('actor')!, body, key);
		const value = unwrap(result);
		return c.json(value, result.ok && result.replayed ? 200 : 201);
	})
	.get('/:slug/actions/:id', inProgramme(), async (c) => {
		const action = await actions.getAction(c.get('db').db, c.get('programme'), c.get('actor'), idParam(c.req.param('id'), 'Actie'));
		if (!action) throw notFound('Actie');
		return c.json(action, 200);
	})
	.patch('/:slug/actions/:id', inProgramme('action:log'), async (c) => {
		const id = idParam(c.req.param('id'), 'Actie');
		const body = await c.req.json().catch(() => {
			throw new ApiError(400, 'invalid_input', 'Verwacht een JSON-object');
		});
		return c.json(unwrap(await actions.updateAction(c.get('db').db, c.get('programme'), c.get('actor')!, id, body)), 200);
	})
	.delete(
		'/:slug/actions/:id',
		inProgramme('action:log'),
		validate('query', z.object({ version: idField().optional() })),
		async (c) => {
			const id = idParam(c.req.param('id'), 'Actie');
			unwrap(await actions.deleteAction(c.get('db').db, c.get('programme'), c.get('actor')!, id, c.req.valid('query').version));
			return c.body(null, 204);
		}
	);
