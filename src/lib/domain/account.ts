import { z } from 'zod';
import { plural } from './dutch-format.ts';
import { ROLES } from './permissions.ts';

export const MIN_PASSWORD_LENGTH = 12;

export const emailSchema = z
	.email('Vul een geldig e-mailadres in.')
	.max(254)
	.transform((e) => e.toLowerCase());
export const passwordSchema = z
	.string()
	.min(MIN_PASSWORD_LENGTH, `Een wachtwoord heeft minstens ${MIN_PASSWORD_LENGTH} tekens.`)
	.max(256, 'Een wachtwoord heeft hoogstens 256 tekens.');

export const newUserSchema = z.object({
	email: emailSchema,
	name: z.string().trim().min(1, 'Vul een naam in.').max(200),
	password: passwordSchema,
	isAdmin: z.boolean().default(false)
});
export type NewUser = z.infer<typeof newUserSchema>;

/** An account made by invitation: the person sets the password through the link. */
export const inviteSchema = newUserSchema.omit({ password: true });
export type Invite = z.infer<typeof inviteSchema>;

/** A password set through a one-time link. */
export const setPasswordSchema = z
	.object({ password: passwordSchema, repeat: z.string() })
	.refine((v) => v.password === v.repeat, { path: ['repeat'], message: 'De twee wachtwoorden zijn niet gelijk.' });

export const resetRequestSchema = z.object({ email: emailSchema });

export const roleSchema = z.enum(ROLES, 'Kies een rol: lead, aanjager of funder.');

export const loginSchema = z.object({
	email: z.string().trim().min(1, 'Vul je e-mailadres in.').max(254),
	password: z.string().min(1, 'Vul je wachtwoord in.').max(256)
});

export const passwordChangeSchema = z
	.object({ current: z.string().min(1, 'Vul je huidige wachtwoord in.'), next: passwordSchema, repeat: z.string() })
	.refine((v) => v.next === v.repeat, { path: ['repeat'], message: 'De twee nieuwe wachtwoorden zijn niet gelijk.' });

export const apiTokenSchema = z.object({
	programme: z.string().min(1).max(100),
	role: roleSchema,
	name: z.string().trim().min(1, 'Geef het token een naam.').max(100)
});

/** The answer to a sign-in or password check over the limit, saying when to try again. */
export const tooManyAttempts = (retryAfterSeconds: number) =>
	`Te veel mislukte pogingen. Probeer het over ${plural(Math.max(1, Math.ceil(retryAfterSeconds / 60)), 'minuut', 'minuten')} opnieuw.`;

/** The answer to too many "Wachtwoord vergeten?" requests, saying when to try again. */
export const resetRequestLimited = (retryAfterSeconds: number) =>
	`Te veel aanvragen. Probeer het over ${plural(Math.max(1, Math.ceil(retryAfterSeconds / 60)), 'minuut', 'minuten')} opnieuw.`;

/** a path on this site: one `/`, then anything but a second `/` or a `\` (which browsers read as `/`) */
const SITE_PATH = /^\/(?![/\\])/;
const DUMMY_ORIGIN = 'http://kompas.invalid';

/**
 * Where to go after signing in: a path on this site only, so the login page cannot send anyone elsewhere.
 * The path is normalised as a browser does (dot segments, `\` read as `/`, tabs and line breaks dropped)
 * and must then start with a single `/`; decoded once and normalised again it must too, for a proxy that
 * decodes `%2F` or `%5C`. Anything else (`//host`, `/.//host`, `/../\host`, `https://…`) falls back to `/`.
 */
export function safeNext(next: string | null): string {
	if (!next?.startsWith('/')) return '/';
	try {
		const target = new URL(next, DUMMY_ORIGIN);
		const decoded = new URL(decodeURIComponent(target.pathname), DUMMY_ORIGIN);
		const onSite = (u: URL) => u.origin === DUMMY_ORIGIN && SITE_PATH.test(u.pathname);
		return onSite(target) && onSite(decoded) ? `${target.pathname}${target.search}${target.hash}` : '/';
	} catch {
		return '/';
	}
}

/**
 * A sign-in through another address than the server's ORIGIN (an IP address, http instead of https, a second
 * name): the browser's Origin is refused by the cross-site defence, so say which address to use instead.
 */
export const wrongAddressMessage = (expected: string, used: string) =>
	`Deze server verwacht ${expected} — je gebruikt ${used}. Open ${expected}/login, of vraag de beheerder ORIGIN in te stellen op het adres dat je gebruikt.`;
