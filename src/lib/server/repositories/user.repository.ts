import type { Conn } from '../db/types.ts';
import type { Role } from '../../domain/permissions.ts';

export const findUserByEmail = (db: Conn, email: string) =>
	db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();

export const findUserById = (db: Conn, id: number) =>
	db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

export const listUsers = (db: Conn) => db.selectFrom('users').selectAll().orderBy('email').execute();

export const countUsers = (db: Conn) =>
	db
		.selectFrom('users')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow()
		.then((r) => Number(r.n));

export async function insertUser(
	db: Conn,
	u: { email: string; name: string; password_hash: string; is_admin: number }
) {
	const { id } = await db
		.insertInto('users')
		.values({ ...u, email: u.email.toLowerCase() })
		.returning('id')
		.executeTakeFirstOrThrow();
	return id;
}

export const updatePasswordHash = (db: Conn, userId: number, hash: string, at: string) =>
	db
		.updateTable('users')
		.set((eb) => ({ password_hash: hash, updated_at: at, version: eb('version', '+', 1) }))
		.where('id', '=', userId)
		.execute();

export const setDisabled = (db: Conn, userId: number, at: string | null, now: string) =>
	db
		.updateTable('users')
		.set((eb) => ({ disabled_at: at, updated_at: now, version: eb('version', '+', 1) }))
		.where('id', '=', userId)
		.execute();

/** Admins who can still sign in. */
export const countActiveAdmins = (db: Conn) =>
	db
		.selectFrom('users')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('is_admin', '=', 1)
		.where('disabled_at', 'is', null)
		.executeTakeFirstOrThrow()
		.then((r) => Number(r.n));

export const membershipsOf = (db: Conn, userId: number) =>
	db
		.selectFrom('memberships as m')
		.innerJoin('programmes as p', 'p.id', 'm.programme_id')
		.select(['m.id', 'm.programme_id', 'm.role', 'p.slug', 'p.name'])
		.where('m.user_id', '=', userId)
		.orderBy('p.name')
		.execute();

export const listMemberships = (db: Conn) =>
	db
		.selectFrom('memberships as m')
		.innerJoin('programmes as p', 'p.id', 'm.programme_id')
		.innerJoin('users as u', 'u.id', 'm.user_id')
		.select([
			'm.id',
			'm.user_id',
			'm.programme_id',
			'm.role',
			'p.slug',
			'p.name as programme',
			'u.email',
			'u.name as user'
		])
		.orderBy('p.name')
		.orderBy('u.email')
		.execute();

export async function upsertMembership(db: Conn, userId: number, programmeId: number, role: Role) {
	await db
		.insertInto('memberships')
		.values({ user_id: userId, programme_id: programmeId, role })
		.onConflict((oc) => oc.columns(['user_id', 'programme_id']).doUpdateSet({ role }))
		.execute();
}

export const findMembership = (db: Conn, id: number) =>
	db.selectFrom('memberships').selectAll().where('id', '=', id).executeTakeFirst();

export const deleteMembership = (db: Conn, id: number) => db.deleteFrom('memberships').where('id', '=', id).execute();
