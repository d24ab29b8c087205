import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Actor } from '../../domain/permissions.ts';
import { dummyHash, hashPassword, verifyPassword } from '../auth/password.ts';
import { hashToken, newToken } from '../auth/tokens.ts';
import * as sessions from '../repositories/session.repository.ts';
import * as users from '../repositories/user.repository.ts';
import { writeAudit } from '../repositories/audit.repository.ts';
import { withKeyLocks } from '../db/locks.ts';
import { tooManyAttempts } from '../../domain/account.ts';
import { invalid, ok, rateLimited, refuse, type Result } from '../../domain/result.ts';
import { countSignInRefusal } from '../metrics.ts';

export const SESSION_COOKIE = 'kompas_session';
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000; // a working day without activity
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
const TOUCH_AFTER_MS = 60 * 1000; // write last_seen_at at most once a minute

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

const iso = (ms: number) => new Date(ms).toISOString();

export interface SignedIn {
	token: string;
	userId: number;
	expires: Date;
}

/** An unknown e-mail, a blocked account and a wrong password all get this one answer. */
const INVALID_CREDENTIALS = 'E-mailadres of wachtwoord klopt niet.';
const WRONG_CURRENT = 'Het huidige wachtwoord klopt niet.';

const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;

/**
 * Reserves one password check for the account and the client address before it is made: under a lock
 * on both keys it counts the attempts of the window and, below both limits, records this one (as a
 * failure until `release`). So however many requests arrive at once, on one server or several, at most
 * the limit of checks is made per window. A check that never ends (a crash) keeps counting as a failure.
 * Sign-in and "Mijn account" share it: one budget per account.
 */
async function reserveAttempt(
	db: Kysely<Database>,
	email: string,
	address: string,
	now: number
): Promise<Result<number[]>> {
	const limits = [
		{ key: accountKey(email), max: MAX_FAILURES_PER_ACCOUNT },
		{ key: `address:${address}`, max: MAX_FAILURES_PER_ADDRESS }
	];
	const since = iso(now - LOGIN_WINDOW_MS);
	return withKeyLocks(
		db,
		limits.map((l) => l.key),
		async (tx) => {
			for (const { key, max } of limits) {
				const { n, first } = await sessions.countRecentAttempts(tx, key, since);
				if (Number(n) >= max) {
					const retry = Date.parse(String(first)) + LOGIN_WINDOW_MS - now;
					const seconds = Math.max(1, Math.ceil(retry / 1000));
					return rateLimited(tooManyAttempts(seconds), seconds);
				}
			}
			const ids: number[] = [];
			for (const { key } of limits) ids.push(await sessions.recordAttempt(tx, key, iso(now)));
			return ok(ids);
		}
	);
}

/** After a failed check: its reservation stays as the failure; attempts older than the window go. */
const forgetOldAttempts = (db: Kysely<Database>, now: number) => sessions.pruneAttempts(db, iso(now - LOGIN_WINDOW_MS));

/**
 * Sign in with e-mail and password. An unknown e-mail and a wrong password answer the same (and take
 * as long); failures are limited per account and per address (`reserveAttempt`). A success takes back
 * only its own reservation: the failures before it in the window still count.
 */
export async function login(
	db: Kysely<Database>,
	{ email, password, address, now = Date.now() }: { email: string; password: string; address: string; now?: number }
): Promise<Result<SignedIn>> {
	const reservation = await reserveAttempt(db, email, address, now);
	if (!reservation.ok) {
		countSignInRefusal('rate_limited');
		return reservation;
	}

	const user = await users.findUserByEmail(db, email.trim());
	const valid =
		user && !user.disabled_at
			? await verifyPassword(user.password_hash, password)
			: (await verifyPassword(await dummyHash(), password), false);
	if (!valid || !user) {
		await forgetOldAttempts(db, now);
		countSignInRefusal('wrong_credentials');
		return refuse({ code: 'invalid_credentials', status: 401, message: INVALID_CREDENTIALS });
	}
	const token = newToken();
	const expires = now + SESSION_ABSOLUTE_MS;
	await db.transaction().execute(async (tx) => {
		await sessions.deleteAttempts(tx, reservation.value);
		await sessions.insertSession(tx, {
			user_id: user.id,
			token_hash: hashToken(token),
			created_at: iso(now),
			last_seen_at: iso(now),
			expires_at: iso(expires)
		});
	});
	return ok({ token, userId: user.id, expires: new Date(expires) });
}

/** The signed-in actor of a session token, or null when it is unknown, idle too long or expired. */
export async function actorFromSession(db: Kysely<Database>, token: string, now = Date.now()): Promise<Actor | null> {
	const hash = hashToken(token);
	const s = await sessions.findSession(db, hash);
	if (!s) return null;
	const lastSeen = Date.parse(s.last_seen_at);
	if (s.disabled_at || now - lastSeen > SESSION_IDLE_MS || now > Date.parse(s.expires_at)) {
		await sessions.deleteSession(db, hash);
		return null;
	}
	if (now - lastSeen > TOUCH_AFTER_MS) await sessions.touchSession(db, s.id, iso(now));
	return {
		userId: s.user_id,
		name: s.name,
		email: s.email,
		isAdmin: s.is_admin === 1,
		roles: s.roles,
		via: 'session'
	};
}

/**
 * Housekeeping: deletes the sessions `actorFromSession` would refuse (idle longer than SESSION_IDLE_MS, or
 * past their absolute end) and sign-in attempts older than the limit window, which no longer count.
 */
export async function deleteExpired(db: Kysely<Database>, now = Date.now()) {
	return db.transaction().execute(async (tx) => {
		const s = await sessions.deleteExpiredSessions(tx, iso(now - SESSION_IDLE_MS), iso(now));
		const a = await sessions.pruneAttempts(tx, iso(now - LOGIN_WINDOW_MS));
		return { sessions: Number(s.numDeletedRows), attempts: Number(a[0]?.numDeletedRows ?? 0) };
	});
}

/** The actor of an API token: one programme, one role, no user session. */
export async function actorFromApiToken(db: Kysely<Database>, token: string): Promise<Actor | null> {
	const t = await sessions.findApiToken(db, hashToken(token));
	if (!t) return null;
	return {
		userId: null,
		name: `API-token ${t.name}`,
		email: null,
		isAdmin: false,
		roles: { [t.programme_id]: t.role },
		via: 'token',
		apiTokenId: t.id
	};
}

export const logout = (db: Kysely<Database>, token: string) => sessions.deleteSession(db, hashToken(token));

/**
 * Change a password; every session of the user ends (the caller signs in again). Checking the current
 * password counts against the same limit as signing in, so a session holder cannot guess it either.
 */
export async function changePassword(
	db: Kysely<Database>,
	{
		userId,
		current,
		next,
		address,
		now = Date.now()
	}: { userId: number; current: string; next: string; address: string; now?: number }
): Promise<Result<null>> {
	const user = await users.findUserById(db, userId);
	if (!user) return invalid({ current: WRONG_CURRENT }, WRONG_CURRENT);
	const reservation = await reserveAttempt(db, user.email, address, now);
	// the check of the current password is what is limited: the form says so beside that field
	if (!reservation.ok)
		return refuse({ ...reservation.refusal, issues: [{ path: 'current', message: reservation.refusal.message }] });
	if (!(await verifyPassword(user.password_hash, current))) {
		await forgetOldAttempts(db, now);
		return invalid({ current: WRONG_CURRENT }, WRONG_CURRENT);
	}
	const hash = await hashPassword(next);
	await db.transaction().execute(async (tx) => {
		await sessions.deleteAttempts(tx, reservation.value);
		await users.updatePasswordHash(tx, userId, hash, new Date(now).toISOString());
		await sessions.deleteSessionsOf(tx, userId);
		await writeAudit(tx, {
			by: { userId },
			programmeId: null,
			entity: 'user',
			entityId: userId,
			action: 'password_change'
		});
	});
	return ok(null);
}

/** Session cookie: HttpOnly, SameSite=Lax, Secure when served over https, whole site. */
export function sessionCookieOptions(url: string, expires: Date) {
	return { path: '/', httpOnly: true, sameSite: 'Lax' as const, secure: url.startsWith('https:'), expires };
}
