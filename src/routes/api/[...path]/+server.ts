import type { RequestHandler } from './$types';
import { app } from '$lib/server/app-context';
import { clientAddress } from '$lib/server/auth/client-address';

/** Every /api request goes to the Hono app, with the caller's address as the adapter sees it (ADDRESS_HEADER). */
const toHono: RequestHandler = ({ request, getClientAddress }) =>
	app().api.fetch(request, { clientAddress: clientAddress(getClientAddress) });

export const GET = toHono;
export const POST = toHono;
export const PUT = toHono;
export const PATCH = toHono;
export const DELETE = toHono;
export const OPTIONS = toHono;
export const HEAD = toHono;
