import type { Conn } from '../db/types.ts';
import type { Role } from '../../domain/permissions.ts';

export const insertSession = (
	db: Conn,
	s: { user_id: number; token_hash: string; created_at: string; last_seen_at: string; expires_at: string }
) => db.insertInto('sessions').values(s).execute();

/** A session with its user and the user's memberships: one row per membership (one with nulls when none). */
export async function findSession(db: Conn, tokenHash: string) {
	const rows = await db
		.selectFrom('sessions as s')
		.innerJoin('users as u', 'u.id', 's.user_id')
		.leftJoin('memberships as m', 'm.user_id', 's.user_id')
		.select(['s.id', 's.user_id', 's.last_seen_at', 's.expires_at', 'u.name', 'u.email', 'u.is_admin', 'u.disabled_at'])
		.select(['m.programme_id', 'm.role'])
		.where('s.token_hash', '=', tokenHash)
		.execute();
	if (rows.length === 0) return undefined;
	const { programme_id: _p, role: _r, ...session } = rows[0];
	const roles: Record<number, Role> = {};
	for (const r of rows) if (r.programme_id !== null && r.role !== null) roles[r.programme_id] = r.role;
	return { ...session, roles };
}

export const touchSession = (db: Conn, id: number, at: string) =>
	db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();

export const deleteSession = (db: Conn, tokenHash: string) =>
	db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();

export const deleteSessionsOf = (db: Conn, userId: number) =>
	db.deleteFrom('sessions').where('user_id', '=', userId).execute();

export const findApiToken = (db: Conn, tokenHash: string) =>
	db
		.selectFrom('api_tokens')
		.selectAll()
		.where('token_hash', '=', tokenHash)
		.where('revoked_at', 'is', null)
		.executeTakeFirst();

export const insertApiToken = (
	db: Conn,
	t: { programme_id: number; role: Role; name: string; token_hash: string; created_by: number | null }
) => db.insertInto('api_tokens').values(t).returning('id').executeTakeFirstOrThrow();

/** Every token with its programme and its creator (null when created by a command line or a removed user). */
export const listApiTokens = (db: Conn) =>
	db
		.selectFrom('api_tokens as t')
		.innerJoin('programmes as p', 'p.id', 't.programme_id')
		.leftJoin('users as u', 'u.id', 't.created_by')
		.select([
			't.id',
			't.name',
			't.role',
			't.created_at',
			't.revoked_at',
			'p.slug',
			'p.name as programme',
			'u.name as creator',
			'u.disabled_at as creator_disabled_at'
		])
		.orderBy('t.created_at', 'desc')
		.execute();

/** The tokens a user created that still work. */
export const liveApiTokensCreatedBy = (db: Conn, userId: number) =>
	db
		.selectFrom('api_tokens as t')
		.innerJoin('programmes as p', 'p.id', 't.programme_id')
		.select(['t.id', 't.name', 'p.slug as programme'])
		.where('t.created_by', '=', userId)
		.where('t.revoked_at', 'is', null)
		.orderBy('t.id')
		.execute();

export const revokeApiToken = (db: Conn, id: number, at: string) =>
	db
		.updateTable('api_tokens')
		.set({ revoked_at: at })
		.where('id', '=', id)
		.where('revoked_at', 'is', null)
		.executeTakeFirst();

export const countRecentAttempts = (db: Conn, key: string, since: string) =>
	db
		.selectFrom('login_attempts')
		.select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('at').as('first')])
		.where('key', '=', key)
		.where('at', '>', since)
		.executeTakeFirstOrThrow();

export const recordAttempt = async (db: Conn, key: string, at: string): Promise<number> =>
	(await db.insertInto('login_attempts').values({ key, at }).returning('id').executeTakeFirstOrThrow()).id;

export const deleteAttempts = (db: Conn, ids: number[]) =>
	db.deleteFrom('login_attempts').where('id', 'in', ids).execute();

/** Forgets attempts that no longer count (older than the window), so the table stays small. */
export const pruneAttempts = (db: Conn, before: string) =>
	db.deleteFrom('login_attempts').where('at', '<=', before).execute();

/** Deletes sessions that can no longer be used: idle since before `idleBefore`, or ended before `endedBefore`. */
export const deleteExpiredSessions = (db: Conn, idleBefore: string, endedBefore: string) =>
	db
		.deleteFrom('sessions')
		.where((eb) => eb.or([eb('last_seen_at', '<', idleBefore), eb('expires_at', '<', endedBefore)]))
		.executeTakeFirst();
