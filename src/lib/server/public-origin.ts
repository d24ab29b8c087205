import { env } from './env.ts';

/**
 * The address links for people outside the app start with (a poll's public link and QR code): ORIGIN, the
 * address users type, else the address this request came in on.
 */
export function publicOrigin(requestUrl: string | URL): string {
	const configured = env().ORIGIN;
	return configured ? new URL(configured).origin : new URL(requestUrl).origin;
}
