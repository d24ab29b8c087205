import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Invite, NewUser } from '../../domain/account.ts';
import type { Actor, Role } from '../../domain/permissions.ts';
import { hashPassword } from '../auth/password.ts';
import { hashToken, newToken, randomPassword } from '../auth/tokens.ts';
import { writeAudit } from '../repositories/audit.repository.ts';
import { findProgrammeBySlug, listProgrammes } from '../repositories/kompas.repository.ts';
import * as sessions from '../repositories/session.repository.ts';
import * as users from '../repositories/user.repository.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { transact, type Conn } from '../db/types.ts';
import { invalid, notFound, ok, refuse, type Result } from '../../domain/result.ts';
import type { RequestContext } from '../request-context.ts';
import type { Send } from '../mail.ts';
import { logError } from '../log.ts';
import { issueLink, linkMail, linkUrl } from './password-link.service.ts';

/** Who changes accounts: an admin, or (actor null) the system itself — the first start, the demo, the CLI. */
export type AccountContext = Pick<RequestContext, 'db'> & { actor: Actor | null };
/** A signed-in actor's request: the admin acts that depend on who asks (not on themselves), and "who am I". */
type ActorContext = Pick<RequestContext, 'db' | 'actor'>;

const EMAIL_TAKEN = 'Er bestaat al een account met dit e-mailadres.';
const UNKNOWN_PROGRAMME = 'Onbekend programma.';
/** Input naming something that is not there, or a rule of the accounts, beside its field. */
const refusedField = (field: string, message: string) => invalid({ [field]: message }, message);
/** An account or programme named in the path that does not exist: 404, and beside the field on a form. */
const unknown = (field: 'user' | 'programme') =>
	refuse({
		code: 'not_found',
		status: 404,
		message: field === 'user' ? 'Gebruiker niet gevonden.' : 'Programma niet gevonden.',
		issues: [{ path: field, message: field === 'user' ? 'Onbekende gebruiker.' : UNKNOWN_PROGRAMME }]
	});

const actorId = (a: Actor | null) => a?.userId ?? null;

/** A new account, optionally with a role on one programme; both or neither are stored. */
export async function createUser(
	{ db, actor: by }: AccountContext,
	input: NewUser,
	membership?: { programme: string; role: Role }
): Promise<Result<{ id: number }>> {
	if (await users.findUserByEmail(db, input.email)) return refusedField('email', EMAIL_TAKEN);
	const programme = membership ? await findProgrammeBySlug(db, membership.programme) : undefined;
	if (membership && !programme) return refusedField('programme', UNKNOWN_PROGRAMME);
	const password_hash = await hashPassword(input.password);
	const id = await insertAccount(
		db,
		by,
		{ ...input, password_hash },
		programme && membership && { programme, role: membership.role }
	).catch((e) => (isUniqueViolation(e) ? null : Promise.reject(e)));
	// the same address created at the same moment (a double click on "aanmaken"): the unique key decides
	if (id === null) return refusedField('email', EMAIL_TAKEN);
	return ok({ id });
}

/** How a link reaches the person: by e-mail, or (no SMTP_URL: `send` null) shown once to the admin. */
export interface LinkDelivery {
	send: Send | null;
	origin: string;
}

/**
 * A new account by invitation: no password is invented; the person gets a one-time link (24 h) to set
 * their own. The account, its role and the link are stored together. Without e-mail the answer holds the
 * link, for the admin to pass on; it is never stored in clear.
 */
export async function inviteUser(
	{ db, actor: by }: AccountContext,
	input: Invite,
	membership: { programme: string; role: Role } | undefined,
	delivery: LinkDelivery
): Promise<Result<{ id: number; link: string | null }>> {
	if (await users.findUserByEmail(db, input.email)) return refusedField('email', EMAIL_TAKEN);
	const programme = membership ? await findProgrammeBySlug(db, membership.programme) : undefined;
	if (membership && !programme) return refusedField('programme', UNKNOWN_PROGRAMME);
	// nobody knows this password: the account opens only through the link
	const password_hash = await hashPassword(randomPassword());
	const created = await transact(db, async (tx) => {
		const id = await insertAccount(
			tx,
			by,
			{ ...input, password_hash },
			programme && membership && { programme, role: membership.role }
		);
		return { id, token: await issueLink(tx, id, 'invite') };
	}).catch((e) => (isUniqueViolation(e) ? null : Promise.reject(e)));
	if (created === null) return refusedField('email', EMAIL_TAKEN);
	return ok({ id: created.id, link: await deliver(input, linkUrl(delivery.origin, created.token), delivery) });
}

/** A new invitation link for an account (the earlier one stops working), audited. */
export async function resendInvite(
	{ db, actor: by }: ActorContext,
	userId: number,
	delivery: LinkDelivery
): Promise<Result<{ link: string | null }>> {
	const user = await users.findUserById(db, userId);
	if (!user) return unknown('user');
	if (user.disabled_at) return refusedField('user', 'Dit account is geblokkeerd; laat het eerst weer toe.');
	const token = await transact(db, async (tx) => {
		const token = await issueLink(tx, userId, 'invite');
		await writeAudit(tx, {
			by,
			programmeId: null,
			entity: 'user',
			entityId: userId,
			action: 'invite',
			after: { user: user.email }
		});
		return token;
	});
	return ok({ link: await deliver(user, linkUrl(delivery.origin, token), delivery) });
}

/**
 * Sends the invitation; answers the link when there is no e-mail to send it with, or when sending failed
 * (the account exists by then: the admin passes the link on instead of meeting an error).
 */
async function deliver(to: { email: string; name: string }, url: string, { send }: LinkDelivery) {
	if (!send) return url;
	try {
		await send(linkMail('invite', to, url));
		return null;
	} catch (e) {
		logError(e, 'invitation e-mail failed');
		return url;
	}
}

/** Stores an account with its hashed password (and role), audited, in the caller's transaction or one of its own. */
async function insertAccount(
	db: Conn,
	by: Actor | null,
	input: { email: string; name: string; password_hash: string; isAdmin: boolean },
	membership?: { programme: { id: number }; role: Role }
): Promise<number> {
	return transact(db, async (tx) => {
		const id = await users.insertUser(tx, {
			email: input.email,
			name: input.name,
			password_hash: input.password_hash,
			is_admin: input.isAdmin ? 1 : 0
		});
		await writeAudit(tx, {
			by,
			programmeId: null,
			entity: 'user',
			entityId: id,
			action: 'create',
			after: { email: input.email, name: input.name, isAdmin: input.isAdmin }
		});
		if (membership) {
			await users.upsertMembership(tx, id, membership.programme.id, membership.role);
			await writeAudit(tx, {
				by,
				programmeId: membership.programme.id,
				entity: 'membership',
				entityId: id,
				action: 'create',
				after: { user: input.email, role: membership.role }
			});
		}
		return id;
	});
}

export async function setMembership(
	{ db, actor: by }: AccountContext,
	userId: number,
	programmeSlug: string,
	role: Role
): Promise<Result<null>> {
	const programme = await findProgrammeBySlug(db, programmeSlug);
	if (!programme) return unknown('programme');
	const user = await users.findUserById(db, userId);
	if (!user) return unknown('user');
	await db.transaction().execute(async (tx) => {
		const before = (await users.membershipsOf(tx, userId)).find((m) => m.programme_id === programme.id);
		await users.upsertMembership(tx, userId, programme.id, role);
		await writeAudit(tx, {
			by,
			programmeId: programme.id,
			entity: 'membership',
			entityId: userId,
			action: before ? 'update' : 'create',
			before: before ? { role: before.role } : null,
			after: { user: user.email, role }
		});
	});
	return ok(null);
}

export async function removeMembership({ db, actor: by }: AccountContext, membershipId: number): Promise<Result<null>> {
	return db.transaction().execute(async (tx) => {
		const m = await users.findMembership(tx, membershipId);
		if (!m) return notFound('Lidmaatschap');
		await users.deleteMembership(tx, membershipId);
		await writeAudit(tx, {
			by,
			programmeId: m.programme_id,
			entity: 'membership',
			entityId: m.user_id,
			action: 'delete',
			before: { role: m.role }
		});
		return ok(null);
	});
}

export type KeptToken = { id: number; name: string; programme: string };

/**
 * Blocks an account (someone left the programme) or lets it in again. Blocking ends its sessions at once;
 * memberships and everything the person logged stay. An admin cannot block itself or the last active admin.
 * API tokens belong to their programme, not to the admin who made them: they keep working, and the answer
 * (and the audit entry) names the live tokens the person created, so the admin can decide to revoke them.
 */
export async function setUserDisabled(
	{ db, actor: by }: ActorContext,
	userId: number,
	disabled: boolean
): Promise<Result<{ keptTokens: KeptToken[] }>> {
	if (disabled && userId === by.userId) return refusedField('user', 'Je kunt je eigen account niet blokkeren.');
	return db.transaction().execute(async (tx): Promise<Result<{ keptTokens: KeptToken[] }>> => {
		const user = await users.findUserById(tx, userId);
		if (!user) return unknown('user');
		const keptTokens = disabled ? await sessions.liveApiTokensCreatedBy(tx, userId) : [];
		if (disabled === (user.disabled_at !== null)) return ok({ keptTokens });
		if (disabled && user.is_admin === 1 && (await users.countActiveAdmins(tx)) <= 1)
			return refusedField('user', 'Dit is de laatste actieve beheerder; die kan niet worden geblokkeerd.');
		const now = new Date().toISOString();
		await users.setDisabled(tx, userId, disabled ? now : null, now);
		if (disabled) await sessions.deleteSessionsOf(tx, userId);
		const after = {
			user: user.email,
			disabled,
			...(keptTokens.length ? { apiTokensKept: keptTokens.map((t) => `${t.name} (${t.programme})`) } : {})
		};
		await writeAudit(tx, {
			by,
			programmeId: null,
			entity: 'user',
			entityId: userId,
			action: disabled ? 'disable' : 'enable',
			before: { disabled: !disabled },
			after
		});
		return ok({ keptTokens });
	});
}

/**
 * A new random password for someone who forgot theirs, shown once to the admin to pass on; it ends the
 * account's sessions. Admins change their own password under "mijn account".
 */
export async function resetPassword(
	{ db, actor: by }: ActorContext,
	userId: number
): Promise<Result<{ password: string }>> {
	if (userId === by.userId) return refusedField('user', 'Wijzig je eigen wachtwoord onder "Mijn account".');
	const user = await users.findUserById(db, userId);
	if (!user) return unknown('user');
	const password = randomPassword();
	const hash = await hashPassword(password);
	await db.transaction().execute(async (tx) => {
		await users.updatePasswordHash(tx, userId, hash, new Date().toISOString());
		await sessions.deleteSessionsOf(tx, userId);
		await writeAudit(tx, {
			by,
			programmeId: null,
			entity: 'user',
			entityId: userId,
			action: 'password_reset',
			after: { user: user.email }
		});
	});
	return ok({ password });
}

export async function listUsersWithRoles(db: Kysely<Database>) {
	const [all, memberships] = await Promise.all([users.listUsers(db), users.listMemberships(db)]);
	return all.map((u) => ({
		id: u.id,
		email: u.email,
		name: u.name,
		isAdmin: u.is_admin === 1,
		disabled: u.disabled_at !== null,
		memberships: memberships
			.filter((m) => m.user_id === u.id)
			.map((m) => ({ id: m.id, programme: m.slug, programmeName: m.programme, role: m.role }))
	}));
}

/** A new API token for one programme and role; the token itself is returned once and stored only as a hash. */
export async function createApiToken(
	{ db, actor: by }: AccountContext,
	input: { programme: string; role: Role; name: string }
): Promise<Result<{ id: number; token: string }>> {
	const programme = await findProgrammeBySlug(db, input.programme);
	if (!programme) return refusedField('programme', UNKNOWN_PROGRAMME);
	const token = newToken();
	const id = await db.transaction().execute(async (tx) => {
		const { id } = await sessions.insertApiToken(tx, {
			programme_id: programme.id,
			role: input.role,
			name: input.name,
			token_hash: hashToken(token),
			created_by: actorId(by)
		});
		await writeAudit(tx, {
			by,
			programmeId: programme.id,
			entity: 'api_token',
			entityId: id,
			action: 'create',
			after: { name: input.name, role: input.role }
		});
		return id;
	});
	return ok({ id, token });
}

/** Revokes a live token; an unknown or already revoked one is not found. */
export async function revokeApiToken({ db, actor: by }: AccountContext, id: number): Promise<Result<null>> {
	return db.transaction().execute(async (tx) => {
		const result = await sessions.revokeApiToken(tx, id, new Date().toISOString());
		if (Number(result.numUpdatedRows) === 0) return notFound('Token');
		await writeAudit(tx, { by, programmeId: null, entity: 'api_token', entityId: id, action: 'revoke' });
		return ok(null);
	});
}

export const listApiTokens = (db: Kysely<Database>) => sessions.listApiTokens(db);

/** A random password with its hash, made before the first start takes its lock (argon2 is slow on purpose). */
export interface PreparedPassword {
	password: string;
	hash: string;
}

export const preparePasswords = (n: number): Promise<PreparedPassword[]> =>
	Promise.all(
		Array.from({ length: n }, async () => {
			const password = randomPassword();
			return { password, hash: await hashPassword(password) };
		})
	);

/** A prepared password, or (when the caller prepared too few) one made now. */
const nextPassword = async (prepared: PreparedPassword[]) => prepared.shift() ?? (await preparePasswords(1))[0];

/**
 * First start without users: an admin with a random password. Returns the line to print — only after the
 * caller's transaction commits, so no password is shown for an account that another server created.
 */
export async function ensureInitialAdmin(db: Conn, prepared: PreparedPassword[]): Promise<string[]> {
	if ((await users.countUsers(db)) > 0) return [];
	const { password, hash } = await nextPassword(prepared);
	await insertAccount(db, null, { email: 'admin@kompas.local', name: 'Beheerder', password_hash: hash, isAdmin: true });
	return [
		`Eerste start: beheerder aangemaakt. E-mail: admin@kompas.local  wachtwoord: ${password}  (wordt niet nog eens getoond)`
	];
}

export const DEMO_ROLES = ['lead', 'aanjager', 'funder'] as const;

/** With the demo plans: one demo account per role and programme, random passwords; returns the lines to print after commit. */
export async function createDemoUsers(db: Conn, prepared: PreparedPassword[]): Promise<string[]> {
	const lines: string[] = [];
	for (const programme of await listProgrammes(db)) {
		for (const role of DEMO_ROLES) {
			const email = `${role}@${programme.slug}.demo`;
			if (await users.findUserByEmail(db, email)) continue;
			const { password, hash } = await nextPassword(prepared);
			await insertAccount(
				db,
				null,
				{ email, name: `Demo ${role} ${programme.name}`, password_hash: hash, isAdmin: false },
				{ programme, role }
			);
			lines.push(`Demo-account ${email} (${role}, ${programme.name}) wachtwoord: ${password}`);
		}
	}
	return lines;
}

/** Who am I: the actor with its roles by programme slug. */
export async function describeActor({ db, actor }: ActorContext) {
	const programmes = await listProgrammes(db);
	return {
		id: actor.userId,
		name: actor.name,
		email: actor.email,
		isAdmin: actor.isAdmin,
		via: actor.via,
		roles: programmes
			.filter((p) => actor.roles[p.id])
			.map((p) => ({ programme: p.slug, name: p.name, role: actor.roles[p.id] }))
	};
}
