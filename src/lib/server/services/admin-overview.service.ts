import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { listProgrammes } from '../repositories/kompas.repository.ts';
import { listApiTokens, listUsersWithRoles } from './user.service.ts';

/** How many accounts and tokens an attention list on the overview names; the rest is counted. */
export const ATTENTION_LIMIT = 10;

/**
 * What an admin needs first: how many accounts, programmes and API tokens there are, and what asks for a
 * decision — live tokens whose creator has been blocked (they keep working until revoked) and active
 * accounts without any role (they see no programme).
 */
export async function adminOverview(db: Kysely<Database>) {
	const [users, programmes, tokens] = await Promise.all([
		listUsersWithRoles(db),
		listProgrammes(db),
		listApiTokens(db)
	]);
	const active = users.filter((user) => !user.disabled);
	const liveTokens = tokens.filter((token) => token.revoked_at === null);
	const orphanedTokens = liveTokens.filter((token) => token.creator_disabled_at !== null);
	const withoutRole = active.filter((user) => !user.isAdmin && user.memberships.length === 0);
	return {
		users: {
			active: active.length,
			blocked: users.length - active.length,
			admins: active.filter((user) => user.isAdmin).length
		},
		programmes: programmes.length,
		tokens: { live: liveTokens.length, revoked: tokens.length - liveTokens.length },
		orphanedTokens: {
			total: orphanedTokens.length,
			first: orphanedTokens
				.slice(0, ATTENTION_LIMIT)
				.map((token) => ({ id: token.id, name: token.name, programme: token.programme, creator: token.creator }))
		},
		withoutRole: {
			total: withoutRole.length,
			first: withoutRole.slice(0, ATTENTION_LIMIT).map((user) => ({ id: user.id, name: user.name, email: user.email }))
		}
	};
}
