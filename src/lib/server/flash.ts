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
	/** Warnings beside the message (a plan's planning errors), as many as fit the cookie with it. */
	notes?: string[];
}

const FLASH_COOKIE = 'kompas_flash';
/** Browsers drop cookies over 4 KB (and SvelteKit refuses to set them): the message is cut to fit. */
const MAX_ENCODED_LENGTH = 3000;
const flashSchema = z.object({
	message: z.string().max(MAX_ENCODED_LENGTH + 1),
	secret: z.string().max(200).optional(),
	user: z.number().int().positive().optional(),
	notes: z.array(z.string().max(MAX_ENCODED_LENGTH)).max(100).optional()
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

function fitting(message: string, budget = MAX_ENCODED_LENGTH): string {
	let out = '';
	let length = 0;
	for (const char of message) {
		length += encodeURIComponent(char).length;
		if (length > budget) return `${out}…`;
		out += char;
	}
	return out;
}

/** The notes that fit beside the message (whole notes, in order), and how many more there were. */
function fittingNotes(message: string, notes: string[]): string[] {
	let budget = MAX_ENCODED_LENGTH - encodeURIComponent(message).length;
	const kept: string[] = [];
	for (const note of notes) {
		const cost = encodeURIComponent(JSON.stringify(note)).length + 3;
		// room is kept for the line that counts the rest
		if (cost > budget - 60) {
			kept.push(`en nog ${notes.length - kept.length} (zie npm run plan:load)`);
			return kept;
		}
		kept.push(note);
		budget -= cost;
	}
	return kept;
}

/** Stores the flash for this page and answers 303 to it (the address without `?/action`). */
export function redirectWithFlash(event: FlashEvent, flash: Flash): never {
	const message = fitting(flash.message);
	const notes = flash.notes?.length ? { notes: fittingNotes(message, flash.notes) } : {};
	event.cookies.set(FLASH_COOKIE, JSON.stringify({ ...flash, message, ...notes }), {
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
