import type { RequestHandler } from './$types';
import { app } from '$lib/server/app-context';

/** Every /api request goes to the Hono app. */
const toHono: RequestHandler = ({ request }) => app().api.fetch(request);

export const GET = toHono;
export const POST = toHono;
export const PUT = toHono;
export const PATCH = toHono;
export const DELETE = toHono;
export const OPTIONS = toHono;
export const HEAD = toHono;
