import { redirect, type Cookies } from '@sveltejs/kit';
import { z } from 'zod';

/**
 * A message for the page a form action redirects to, shown once: a one-time cookie, scoped to that page,
 * read and removed by its load. So a reload neither posts again nor shows the message again, and a new
 * password or API token never appears in a URL (history, logs, Referer): it travels only in this cookie,
 * HttpOnly and SameSite=Strict, for at most a minute.
 */
export interface Flash {
	message: string;
	/** A new password or API token, shown once beside the message. */
	secret?: string;
	/** The account the message is about, for the page to name it. */
	user?: number;
}

const FLASH_COOKIE = 'kompas_flash';
/** Browsers drop cookies over 4 KB (and SvelteKit refuses to set them): the message is cut to fit. */
const MAX_ENCODED_LENGTH = 3000;
const flashSchema = z.object({
	message: z.string().max(MAX_ENCODED_LENGTH + 1),
	secret: z.string().max(200).optional(),
	user: z.number().int().positive().optional()
});

interface FlashEvent {
	cookies: Cookies;
	url: URL;
}

const options = (url: URL) => ({
	path: url.pathname,
	httpOnly: true,
	sameSite: 'strict' as const,
	secure: url.protocol === 'https:'
});

function fitting(message: string): string {
	let out = '';
	let length = 0;
	for (const char of message) {
		length += encodeURIComponent(char).length;
		if (length > MAX_ENCODED_LENGTH) return `${out}…`;
		out += char;
	}
	return out;
}

/** Stores the flash for this page and answers 303 to it (the address without `?/action`). */
export function redirectWithFlash(event: FlashEvent, flash: Flash): never {
	event.cookies.set(FLASH_COOKIE, JSON.stringify({ ...flash, message: fitting(flash.message) }), {
		...options(event.url),
		maxAge: 60
	});
	redirect(303, event.url.pathname);
}

/** The flash stored for this page, removed as it is read; null when there is none (or it is not ours). */
export function takeFlash(event: FlashEvent): Flash | null {
	const raw = event.cookies.get(FLASH_COOKIE);
	if (raw === undefined) return null;
	event.cookies.delete(FLASH_COOKIE, options(event.url));
	try {
		const parsed = flashSchema.safeParse(JSON.parse(raw));
		return parsed.success ? parsed.data : null;
	} catch {
		return null;
	}
}
