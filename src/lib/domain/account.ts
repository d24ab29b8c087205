import { z } from 'zod';
import { ROLES } from './permissions.ts';

export const MIN_PASSWORD_LENGTH = 12;

export const emailSchema = z.email('Vul een geldig e-mailadres in.').max(254).transform((e) => e.toLowerCase());
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

/**
 * Where to go after signing in: a path on this site only, so the login page cannot send anyone elsewhere
 * (`//host`, `/\host`, a tab or other tricks that browsers read as another site all fall back to `/`).
 */
export function safeNext(next: string | null, origin: string): string {
	if (!next?.startsWith('/')) return '/';
	try {
		const target = new URL(next, origin);
		return target.origin === origin ? `${target.pathname}${target.search}${target.hash}` : '/';
	} catch {
		return '/';
	}
}
