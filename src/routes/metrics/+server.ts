import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { app } from '$lib/server/app-context';
import { scrape } from '$lib/server/metrics';

/** Prometheus metrics: unknown without METRICS_TOKEN, and then only for its bearer. */
export const GET: RequestHandler = async ({ request }) => {
	const token = app().metricsToken;
	if (!token) error(404, 'Not Found');
	const answer = await scrape(request.headers.get('authorization'), token);
	return new Response(answer.body, { status: answer.status, headers: answer.headers });
};
