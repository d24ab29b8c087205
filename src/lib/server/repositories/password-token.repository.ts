import type { Conn } from '../db/types.ts';
import type { PasswordTokenPurpose } from '../db/schema.ts';

export const insertPasswordToken = (
	db: Conn,
	t: { user_id: number; token_hash: string; purpose: PasswordTokenPurpose; created_at: string; expires_at: string }
) => db.insertInto('password_tokens').values(t).execute();

/** The account's links not used yet: a new link replaces them. */
export const deleteOpenTokensOf = (db: Conn, userId: number) =>
	db.deleteFrom('password_tokens').where('user_id', '=', userId).where('used_at', 'is', null).execute();

/** A link that can still be used, with its account. */
export const findUsableToken = (db: Conn, tokenHash: string, now: string) =>
	db
		.selectFrom('password_tokens as t')
		.innerJoin('users as u', 'u.id', 't.user_id')
		.select(['t.id', 't.user_id', 't.purpose', 't.expires_at', 'u.email', 'u.name', 'u.disabled_at'])
		.where('t.token_hash', '=', tokenHash)
		.where('t.used_at', 'is', null)
		.where('t.expires_at', '>', now)
		.executeTakeFirst();

/**
 * Marks a usable link used; answers whether this call did. The condition is checked by the update itself,
 * so of two uses at the same moment one updates the row and the other finds it used (0 rows).
 */
export async function claimToken(db: Conn, id: number, now: string): Promise<boolean> {
	const result = await db
		.updateTable('password_tokens')
		.set({ used_at: now })
		.where('id', '=', id)
		.where('used_at', 'is', null)
		.where('expires_at', '>', now)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/** Housekeeping: links past their end, used or not. */
export const deleteExpiredTokens = (db: Conn, now: string) =>
	db.deleteFrom('password_tokens').where('expires_at', '<=', now).executeTakeFirst();
