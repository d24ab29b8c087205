import { json, text } from '@sveltejs/kit';
import { wrongAddressMessage } from '../domain/account.ts';

/** The content types a cross-site form can send (SvelteKit's list, with its own binary form encoding). */
const FORM_TYPES = new Set([
	'application/x-www-form-urlencoded',
	'multipart/form-data',
	'text/plain',
	'application/x-sveltekit-formdata'
]);
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const LOGIN_ROUTE = '/login';

const isForm = (request: Request) =>
	FORM_TYPES.has((request.headers.get('content-type') ?? '').split(';', 1)[0].trim().toLowerCase());

/**
 * SvelteKit's cross-site form check (`csrf.checkOrigin`, switched off in svelte.config.js), done here with the
 * same scope — every POST/PUT/PATCH/DELETE with a form content type whose Origin is not the server's — so a
 * refusal can say why. When the browser's Origin names the very host it sent the request to, it is no other
 * site but a user on another address than ORIGIN (an IP address, http instead of https): the sign-in form
 * then gets `wrong-address` and refuses with a message naming the address to use; any other form a Dutch 403.
 * A real cross-site post gets SvelteKit's own 403.
 */
export function crossSiteRefusal(
	request: Request,
	url: URL,
	routeId: string | null
): Response | 'wrong-address' | null {
	if (!UNSAFE.has(request.method) || !isForm(request)) return null;
	const origin = request.headers.get('origin');
	if (origin === url.origin) return null;
	if (origin && hostOf(origin) === request.headers.get('host')?.toLowerCase()) {
		if (routeId === LOGIN_ROUTE && request.method === 'POST') return 'wrong-address';
		return text(wrongAddressMessage(url.origin, origin), { status: 403 });
	}
	const message = `Cross-site ${request.method} form submissions are forbidden`;
	return request.headers.get('accept') === 'application/json'
		? json({ message }, { status: 403 })
		: text(message, { status: 403 });
}

function hostOf(origin: string): string | null {
	try {
		return new URL(origin).host;
	} catch {
		return null;
	}
}
