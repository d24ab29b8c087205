import type { Handle, ServerInit } from '@sveltejs/kit';
import { app, startApp } from '$lib/server/app-context';

export const init: ServerInit = async () => {
	await startApp();
};

export const handle: Handle = async ({ event, resolve }) => {
	event.locals.db = app().db.db;
	const response = await resolve(event);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'same-origin');
	return response;
};
