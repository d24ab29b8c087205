import { z } from 'zod';
import { actorOf, inProgramme, signedIn } from '../access.ts';
import { notFound } from '../errors.ts';
import { unwrap } from '../service-result.ts';
import { apiRouter, json, refusals, route, slugParam } from '../openapi.ts';
import * as kompas from '../../services/kompas.service.ts';
import { listMeasurements } from '../../services/measurement.service.ts';

const tags = ['Programma’s'];
const region = z.object({ slug: z.string(), name: z.string(), parent: z.string().nullable() });

const list = route({
	method: 'get',
	path: '/',
	tags,
	summary: 'De programma’s die je mag zien, met hun regio’s',
	middleware: [signedIn] as const,
	responses: {
		200: json(
			'Programma’s met hun regioboom',
			z.array(z.object({ slug: z.string(), name: z.string(), regions: z.array(region) }))
		),
		...refusals(401)
	}
});
const kompasOf = route({
	method: 'get',
	path: '/{slug}/kompas',
	tags,
	summary: 'Het hele kompas: ambitie, uitkomsten, thema’s, vervolgstappen, oplossingen en hun indicatoren',
	middleware: [inProgramme()] as const,
	request: { params: slugParam },
	responses: { 200: json('Het kompas van het programma'), ...refusals(401, 403, 404) }
});
const indicatorMeasurements = route({
	method: 'get',
	path: '/{slug}/indicators/{code}/measurements',
	tags,
	summary: 'Goedgekeurde metingen van een indicator',
	description:
		'Elke meting heeft `pollId`: de peiling waaruit ze komt, of `null` (ingevoerd, geïmporteerd of afgeleid).',
	middleware: [inProgramme()] as const,
	request: {
		params: slugParam.extend({ code: z.string() }),
		query: z.object({ region: z.string().min(1).max(100).optional() })
	},
	responses: { 200: json('De metingen, oudste eerst'), ...refusals(400, 401, 403, 404) }
});

export const programmeRoutes = apiRouter()
	.openapi(list, async (c) => {
		const programmes = await kompas.listVisibleProgrammes({ db: c.get('db').db, actor: actorOf(c) });
		return c.json(
			programmes.map(({ slug, name, regions }) => ({
				slug,
				name,
				regions: regions.map(({ slug, name, parent }) => ({ slug, name, parent }))
			})),
			200
		);
	})
	.openapi(kompasOf, async (c) => c.json(await kompas.getKompas(c.var.ctx), 200))
	.openapi(indicatorMeasurements, async (c) => {
		const { db } = c.get('db');
		const programme = c.get('programme');
		const indicator = await kompas.findIndicator(c.var.ctx, c.req.param('code'));
		if (!indicator) throw notFound('Indicator');
		const list = unwrap(await listMeasurements({ db, programme }, indicator.id, c.req.valid('query').region));
		return c.json(
			list.map(({ poll, ...m }) => ({ ...m, pollId: poll?.id ?? null })),
			200
		);
	});
