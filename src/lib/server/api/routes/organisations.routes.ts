import { Hono } from 'hono';
import type { ApiEnv } from '../context.ts';
import { inProgramme } from '../access.ts';
import { ApiError } from '../errors.ts';
import { idParam, unwrap } from '../service-result.ts';
import * as organisations from '../../services/organisation.service.ts';

const json = (c: { req: { json: () => Promise<unknown> } }) =>
	c.req.json().catch(() => {
		throw new ApiError(400, 'invalid_input', 'Verwacht een JSON-object');
	});

/** The organisations of a programme: `/programmes/{slug}/organisations`; leads maintain them. */
export const organisationRoutes = new Hono<ApiEnv>()
	.get('/:slug/organisations', inProgramme(), async (c) =>
		c.json(await organisations.listOrganisations(c.get('db').db, c.get('programme'), c.req.query('archived') === 'true'), 200)
	)
	.post('/:slug/organisations', inProgramme('plan:edit'), async (c) =>
		c.json(unwrap(await organisations.createOrganisation(c.get('db').db, c.get('programme'), c.get('actor')!, await json(c))), 201)
	)
	.patch('/:slug/organisations/:id', inProgramme('plan:edit'), async (c) => {
		const id = idParam(c.req.param('id'), 'Organisatie');
		return c.json(unwrap(await organisations.updateOrganisation(c.get('db').db, c.get('programme'), c.get('actor')!, id, await json(c))), 200);
	});
