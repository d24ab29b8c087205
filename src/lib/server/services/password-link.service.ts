import type { Kysely } from 'kysely';
import type { Database, PasswordTokenPurpose } from '../db/schema.ts';
import { hashPassword } from '../auth/password.ts';
import { hashToken, newToken } from '../auth/tokens.ts';
import { withKeyLocks } from '../db/locks.ts';
import { transact, type Conn } from '../db/types.ts';
import type { Mail, Send } from '../mail.ts';
import { log, logError } from '../log.ts';
import { writeAudit } from '../repositories/audit.repository.ts';
import * as links from '../repositories/password-token.repository.ts';
import * as sessions from '../repositories/session.repository.ts';
import * as users from '../repositories/user.repository.ts';
import { resetRequestLimited } from '../../domain/account.ts';
import { ok, rateLimited, refuse, type Result } from '../../domain/result.ts';
import { LOGIN_WINDOW_MS } from './auth.service.ts';

/** How long a link works: an invitation waits in a mailbox for a day; a reset is asked for by someone waiting for it. */
export const LINK_VALID_MS: Record<PasswordTokenPurpose, number> = {
	invite: 24 * 60 * 60 * 1000,
	reset: 60 * 60 * 1000
};
/** Reset requests per address asked for, and per client address, within the sign-in window (15 minutes). */
export const MAX_RESETS_PER_ACCOUNT = 3;
export const MAX_RESETS_PER_ADDRESS = 10;

export const LINK_REFUSED =
	'Deze link is verlopen of al gebruikt. Vraag een nieuwe aan via "Wachtwoord vergeten?" of bij de beheerder.';
export const RESET_ANSWER =
	'Als dit adres bij ons bekend is, ontvang je binnen enkele minuten een e-mail met een link om een nieuw wachtwoord in te stellen. De link werkt één uur.';

const iso = (ms: number) => new Date(ms).toISOString();

/** Where a link leads: the page that sets the password. */
export const linkUrl = (origin: string, token: string) => `${origin}/wachtwoord/${token}`;

/**
 * A new one-time link for the account, in the caller's transaction: earlier links not used yet stop
 * working (a second invitation replaces the first). Answers the token itself; only its hash is stored.
 */
export async function issueLink(db: Conn, userId: number, purpose: PasswordTokenPurpose, now = Date.now()) {
	const token = newToken();
	await transact(db, async (tx) => {
		await links.deleteOpenTokensOf(tx, userId);
		await links.insertPasswordToken(tx, {
			user_id: userId,
			token_hash: hashToken(token),
			purpose,
			created_at: iso(now),
			expires_at: iso(now + LINK_VALID_MS[purpose])
		});
	});
	return token;
}

/** The e-mail with a link, in Dutch. */
export function linkMail(purpose: PasswordTokenPurpose, to: { email: string; name: string }, url: string): Mail {
	if (purpose === 'invite')
		return {
			to: [to.email],
			subject: 'Uitnodiging voor Kompas Monitor',
			text: [
				`Beste ${to.name},`,
				'',
				'Er is een account voor je aangemaakt in Kompas Monitor. Stel via deze link je eigen wachtwoord in:',
				'',
				url,
				'',
				'De link werkt 24 uur en één keer. Daarna log je in met je e-mailadres en dat wachtwoord.',
				'Verlopen? Vraag de beheerder om een nieuwe uitnodiging.'
			].join('\n')
		};
	return {
		to: [to.email],
		subject: 'Nieuw wachtwoord instellen voor Kompas Monitor',
		text: [
			`Beste ${to.name},`,
			'',
			'Je hebt gevraagd om een nieuw wachtwoord. Stel het in via deze link:',
			'',
			url,
			'',
			'De link werkt één uur en één keer. Heb je dit niet gevraagd? Dan kun je deze e-mail negeren: je wachtwoord blijft wat het was.'
		].join('\n')
	};
}

/** What the page of a link shows before the password is set: whose account, or the refusal. */
export async function linkStatus(
	db: Kysely<Database>,
	token: string,
	now = Date.now()
): Promise<Result<{ email: string; purpose: PasswordTokenPurpose }>> {
	const link = await links.findUsableToken(db, hashToken(token), iso(now));
	if (!link || link.disabled_at) return refusedLink();
	return ok({ email: link.email, purpose: link.purpose });
}

const refusedLink = () => refuse({ code: 'link_refused', status: 400, message: LINK_REFUSED });

/**
 * Sets the password through a link. The link is claimed and the password stored in one transaction, so
 * of two uses at the same moment exactly one sets it; the account's sessions end (whoever held one).
 */
export async function setPasswordWithLink(
	db: Kysely<Database>,
	{ token, password, now = Date.now() }: { token: string; password: string; now?: number }
): Promise<Result<{ email: string }>> {
	const link = await links.findUsableToken(db, hashToken(token), iso(now));
	if (!link || link.disabled_at) return refusedLink();
	const hash = await hashPassword(password); // slow on purpose: before the transaction, not inside it
	return db.transaction().execute(async (tx): Promise<Result<{ email: string }>> => {
		if (!(await links.claimToken(tx, link.id, iso(now)))) return refusedLink();
		await users.updatePasswordHash(tx, link.user_id, hash, iso(now));
		await sessions.deleteSessionsOf(tx, link.user_id);
		await writeAudit(tx, {
			by: { userId: link.user_id },
			programmeId: null,
			entity: 'user',
			entityId: link.user_id,
			action: link.purpose === 'invite' ? 'password_set' : 'password_reset_link'
		});
		return ok({ email: link.email });
	});
}

/**
 * "Wachtwoord vergeten?": a reset link by e-mail. The answer is the same whether the address is known or
 * not (the e-mail is sent without waiting for it, so neither does the time differ); requests are limited
 * per address asked for and per client address, counted under a lock on both (as sign-in attempts are).
 * Without e-mail (`send` null) nothing is sent: the same answer, and a warning in the log.
 */
export async function requestReset(
	db: Kysely<Database>,
	{
		email,
		address,
		origin,
		send,
		now = Date.now()
	}: { email: string; address: string; origin: string; send: Send | null; now?: number }
): Promise<Result<{ message: string }>> {
	const normalised = email.trim().toLowerCase();
	const limits = [
		{ key: `reset:${normalised}`, max: MAX_RESETS_PER_ACCOUNT },
		{ key: `reset-address:${address}`, max: MAX_RESETS_PER_ADDRESS }
	];
	const since = iso(now - LOGIN_WINDOW_MS);
	const counted = await withKeyLocks(
		db,
		limits.map((l) => l.key),
		async (tx): Promise<Result<null>> => {
			for (const { key, max } of limits) {
				const { n, first } = await sessions.countRecentAttempts(tx, key, since);
				if (Number(n) >= max) {
					const seconds = Math.max(1, Math.ceil((Date.parse(String(first)) + LOGIN_WINDOW_MS - now) / 1000));
					return rateLimited(resetRequestLimited(seconds), seconds);
				}
			}
			for (const { key } of limits) await sessions.recordAttempt(tx, key, iso(now));
			return ok(null);
		}
	);
	if (!counted.ok) return counted;
	const user = await users.findUserByEmail(db, normalised);
	if (user && !user.disabled_at) {
		const token = await issueLink(db, user.id, 'reset', now);
		if (send)
			send(linkMail('reset', user, linkUrl(origin, token))).catch((e) => logError(e, 'password reset e-mail failed'));
		else log().warn('password reset asked, but SMTP_URL is not set: no e-mail sent');
	}
	return ok({ message: RESET_ANSWER });
}

/** Housekeeping: links past their end. */
export async function deleteExpiredLinks(db: Kysely<Database>, now = Date.now()) {
	return Number((await links.deleteExpiredTokens(db, iso(now))).numDeletedRows);
}
