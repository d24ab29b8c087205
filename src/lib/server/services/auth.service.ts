import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Actor, Role } from '../../domain/permissions.ts';
import { dummyHash, hashPassword, verifyPassword } from '../auth/password.ts';
import { hashToken, newToken } from '../auth/tokens.ts';
import * as sessions from '../repositories/session.repository.ts';
import * as users from '../repositories/user.repository.ts';
import { writeAudit } from '../repositories/audit.repository.ts';

export const SESSION_COOKIE = 'kompas_session';
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000; // a working day without activity
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
const TOUCH_AFTER_MS = 60 * 1000; // write last_seen_at at most once a minute

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

const iso = (ms: number) => new Date(ms).toISOString();

export type LoginResult =
	| { ok: true; token: string; userId: number; expires: Date }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

async function limited(db: Kysely<Database>, key: string, max: number, now: number): Promise<number | null> {
	const { n, first } = await sessions.countRecentAttempts(db, key, iso(now - LOGIN_WINDOW_MS));
	if (Number(n) < max) return null;
	const retry = Date.parse(String(first)) + LOGIN_WINDOW_MS - now;
	return Math.max(1, Math.ceil(retry / 1000));
}

/**
 * Sign in with e-mail and password. An unknown e-mail and a wrong password answer the same (and take
 * as long); failures are limited per account and per address.
 */
export async function login(db: Kysely<Database>, email: string, password: string, address: string, now = Date.now()): Promise<LoginResult> {
	const accountKey = `account:${email.trim().toLowerCase()}`;
	const addressKey = `address:${address}`;
	const wait = (await limited(db, accountKey, MAX_FAILURES_PER_ACCOUNT, now)) ?? (await limited(db, addressKey, MAX_FAILURES_PER_ADDRESS, now));
	if (wait !== null) return { ok: false, reason: 'rate_limited', retryAfterSeconds: wait };

	const user = await users.findUserByEmail(db, email.trim());
	const valid = user && !user.disabled_at ? await verifyPassword(user.password_hash, password) : (await verifyPassword(await dummyHash(), password), false);
	if (!valid || !user) {
		await db.transaction().execute(async (tx) => {
			await sessions.pruneAttempts(tx, iso(now - LOGIN_WINDOW_MS));
			await sessions.recordAttempt(tx, accountKey, iso(now));
			await sessions.recordAttempt(tx, addressKey, iso(now));
		});
		return { ok: false, reason: 'invalid' };
	}
	const token = newToken();
	const expires = now + SESSION_ABSOLUTE_MS;
	await db.transaction().execute(async (tx) => {
		await sessions.clearAttempts(tx, accountKey);
		await sessions.insertSession(tx, { user_id: user.id, token_hash: hashToken(token), created_at: iso(now), last_seen_at: iso(now), expires_at: iso(expires) });
	});
	return { ok: true, token, userId: user.id, expires: new Date(expires) };
}

async function rolesFor(db: Kysely<Database>, userId: number): Promise<Record<number, Role>> {
	const rows = await sessions.rolesOf(db, userId);
	return Object.fromEntries(rows.map((r) => [r.programme_id, r.role as Role]));
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
	return { userId: s.user_id, name: s.name, email: s.email, isAdmin: s.is_admin === 1, roles: await rolesFor(db, s.user_id), via: 'session' };
}

/** The actor of an API token: one programme, one role, no user session. */
export async function actorFromApiToken(db: Kysely<Database>, token: string): Promise<Actor | null> {
	const t = await sessions.findApiToken(db, hashToken(token));
	if (!t) return null;
	return { userId: null, name: `API-token ${t.name}`, email: null, isAdmin: false, roles: { [t.programme_id]: t.role as Role }, via: 'token', apiTokenId: t.id };
}

export const logout = (db: Kysely<Database>, token: string) => sessions.deleteSession(db, hashToken(token));

export type PasswordChange = { ok: true } | { ok: false; field: 'current' | 'next'; message: string };

/** Change a password; every session of the user ends (the caller signs in again). */
export async function changePassword(db: Kysely<Database>, userId: number, current: string, next: string): Promise<PasswordChange> {
	const user = await users.findUserById(db, userId);
	if (!user || !(await verifyPassword(user.password_hash, current))) return { ok: false, field: 'current', message: 'Het huidige wachtwoord klopt niet.' };
	const hash = await hashPassword(next);
	await db.transaction().execute(async (tx) => {
		await users.updatePasswordHash(tx, userId, hash, new Date().toISOString());
		await sessions.deleteSessionsOf(tx, userId);
		await writeAudit(tx, { by: { userId }, programmeId: null, entity: 'user', entityId: userId, action: 'password_change' });
	});
	return { ok: true };
}

/** Session cookie: HttpOnly, SameSite=Lax, Secure when served over https, whole site. */
export function sessionCookieOptions(url: string, expires: Date) {
	return { path: '/', httpOnly: true, sameSite: 'Lax' as const, secure: url.startsWith('https:'), expires };
}
