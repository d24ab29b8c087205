import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema.ts';
import type { Actor, Role } from '../../src/lib/domain/permissions.ts';
import { createUser, setMembership } from '../../src/lib/server/services/user.service.ts';

export const PASSWORD = 'correct horse battery staple';
let n = 0;

export interface Account {
	id: number;
	email: string;
	password: string;
}

/** A professional's account with one role on one programme, or an admin. */
export async function createAccount(
	db: Kysely<Database>,
	who: { role: Role; programme: string } | 'admin'
): Promise<Account> {
	const email = `${who === 'admin' ? 'admin' : `${who.role}.${who.programme}`}.${process.pid}.${n++}@test.nl`;
	const r = await createUser(
		{ db, actor: null },
		{ email, name: email.split('@')[0], password: PASSWORD, isAdmin: who === 'admin' }
	);
	if (!r.ok) throw new Error(r.refusal.message);
	if (who !== 'admin') await setMembership({ db, actor: null }, r.value.id, who.programme, who.role);
	return { id: r.value.id, email, password: PASSWORD };
}

/** Signs in through the JSON API; returns the `Cookie` header value. */
export async function signIn(
	fetcher: (path: string, init: RequestInit) => Promise<Response>,
	account: Account
): Promise<string> {
	const res = await fetcher('/api/v1/session', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email: account.email, password: account.password })
	});
	if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
	const cookie = res.headers.get('set-cookie')!;
	return cookie.split(';')[0];
}

/** The six kinds of caller every route is checked against. */
export const CALLERS = ['anonymous', 'funder', 'aanjager', 'otherLead', 'lead', 'admin'] as const;
export type Caller = (typeof CALLERS)[number];

/** One account per caller kind, for programme `slug` (otherLead leads `otherSlug`). Cookie per caller. */
export async function signInAll(
	db: Kysely<Database>,
	fetcher: (path: string, init: RequestInit) => Promise<Response>,
	slug: string,
	otherSlug: string
): Promise<Record<Caller, { account: Account | null; cookie: string | null }>> {
	const accounts: Record<Caller, Account | null> = {
		anonymous: null,
		funder: await createAccount(db, { role: 'funder', programme: slug }),
		aanjager: await createAccount(db, { role: 'aanjager', programme: slug }),
		otherLead: await createAccount(db, { role: 'lead', programme: otherSlug }),
		lead: await createAccount(db, { role: 'lead', programme: slug }),
		admin: await createAccount(db, 'admin')
	};
	const out = {} as Record<Caller, { account: Account | null; cookie: string | null }>;
	for (const c of CALLERS)
		out[c] = { account: accounts[c], cookie: accounts[c] ? await signIn(fetcher, accounts[c]!) : null };
	return out;
}

/** Someone who only reads a programme (a funder without an account row): approved figures, shareable stories. */
export const funderOf = (programmeId: number, name = 'financier'): Actor => ({
	userId: null,
	name,
	email: null,
	isAdmin: false,
	roles: { [programmeId]: 'funder' },
	via: 'session'
});
