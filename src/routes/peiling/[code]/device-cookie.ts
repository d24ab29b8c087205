import type { Cookies } from '@sveltejs/kit';
import { DEVICE_COOKIE, isDeviceToken, newDeviceToken } from '$lib/server/services/poll-answer.service';

/** The device's token from its cookie, or null when it has none (or one this server did not make). */
export const deviceTokenOf = (cookies: Cookies): string | null => {
	const value = cookies.get(DEVICE_COOKIE);
	return isDeviceToken(value) ? value : null;
};

/**
 * Gives the device a new token for a year, sent only back to the poll pages (Path=/peiling); a form posted
 * without JavaScript then carries it.
 */
export function giveDeviceToken(cookies: Cookies, url: URL, token = newDeviceToken()): string {
	cookies.set(DEVICE_COOKIE, token, {
		path: '/peiling',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		maxAge: 365 * 24 * 60 * 60
	});
	return token;
}
