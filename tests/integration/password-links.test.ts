import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/lib/server/auth/tokens.ts';
import type { Mail } from '../../src/lib/server/mail.ts';
import { actorFromSession, login } from '../../src/lib/server/services/auth.service.ts';
import {
	issueLink,
	LINK_REFUSED,
	LINK_VALID_MS,
	linkStatus,
	MAX_RESETS_PER_ACCOUNT,
	MAX_RESETS_PER_ADDRESS,
	requestReset,
	RESET_ANSWER,
	setPasswordWithLink
} from '../../src/lib/server/services/password-link.service.ts';
import { inviteUser, resendInvite } from '../../src/lib/server/services/user.service.ts';
import { createAccount } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';

const ORIGIN = 'https://monitor.example.nl';
const NEW_PASSWORD = 'een eigen wachtwoord van mij';
let n = 0;
const email = () => `link.${process.pid}.${n++}@test.nl`;
/** The token in a link as the e-mail or the admin's page shows it. */
const tokenOf = (text: string) => /\/wachtwoord\/([\w-]+)/.exec(text)![1];

/** A sender that keeps what it was given, and a way to wait for a mail sent without being awaited. */
function outbox() {
	const sent: Mail[] = [];
	let arrived: () => void = () => {};
	const next = () => new Promise<void>((resolve) => (arrived = resolve));
	return {
		sent,
		next,
		send: async (mail: Mail) => {
			sent.push(mail);
			arrived();
		}
	};
}

describe.each(DIALECTS)('one-time password links on %s', (dialect) => {
	let db: TestDb;
	let admin: Awaited<ReturnType<typeof createAccount>>;
	const adminCtx = () => ({
		db: db.db,
		actor: {
			userId: admin.id,
			name: 'Beheerder',
			email: admin.email,
			isAdmin: true,
			roles: {},
			via: 'session' as const
		}
	});

	beforeAll(async () => {
		db = await migratedDb(dialect);
		admin = await createAccount(db.db, 'admin');
	});
	afterAll(async () => db?.drop());

	it('should invite by e-mail, store only a hash, and let the link set the password exactly once', async () => {
		const box = outbox();
		const address = email();
		const invited = await inviteUser(
			adminCtx(),
			{ email: address, name: 'Nieuwe Collega', isAdmin: false },
			undefined,
			{
				send: box.send,
				origin: ORIGIN
			}
		);
		expect(invited.ok && invited.value.link).toBe(null); // sent by e-mail: not shown to the admin
		expect(box.sent).toHaveLength(1);
		expect(box.sent[0].to).toEqual([address]);
		expect(box.sent[0].subject).toBe('Uitnodiging voor Kompas Monitor');
		expect(box.sent[0].text).toContain('24 uur');
		const token = tokenOf(box.sent[0].text);
		const stored = await db.db.selectFrom('password_tokens').selectAll().execute();
		expect(stored.filter((row) => row.token_hash === hashToken(token)).map((row) => row.purpose)).toEqual(['invite']);
		expect(JSON.stringify(stored)).not.toContain(token);

		// nobody knows the account's password until the link sets one
		expect((await login(db.db, { email: address, password: NEW_PASSWORD, address: 'a1' })).ok).toBe(false);
		expect(await linkStatus(db.db, token)).toEqual({ ok: true, value: { email: address, purpose: 'invite' } });
		const used = await setPasswordWithLink(db.db, { token, password: NEW_PASSWORD });
		expect(used).toEqual({ ok: true, value: { email: address } });
		expect((await login(db.db, { email: address, password: NEW_PASSWORD, address: 'a1' })).ok).toBe(true);

		const again = await setPasswordWithLink(db.db, { token, password: 'nog een ander wachtwoord' });
		expect(again.ok ? null : again.refusal.message).toBe(LINK_REFUSED);
		expect((await linkStatus(db.db, token)).ok).toBe(false);
		expect((await login(db.db, { email: address, password: NEW_PASSWORD, address: 'a1' })).ok).toBe(true);
	});

	it('should show the link to the admin without e-mail, and make a resent invitation replace the earlier link', async () => {
		const invited = await inviteUser(adminCtx(), { email: email(), name: 'Zonder Mail', isAdmin: false }, undefined, {
			send: null,
			origin: ORIGIN
		});
		if (!invited.ok) throw new Error(invited.refusal.message);
		expect(invited.value.link).toMatch(new RegExp(`^${ORIGIN}/wachtwoord/[\\w-]{43}$`));
		const first = tokenOf(invited.value.link!);
		const resent = await resendInvite(adminCtx(), invited.value.id, { send: null, origin: ORIGIN });
		if (!resent.ok) throw new Error(resent.refusal.message);
		const second = tokenOf(resent.value.link!);
		expect(second).not.toBe(first);
		expect((await setPasswordWithLink(db.db, { token: first, password: NEW_PASSWORD })).ok).toBe(false);
		expect((await setPasswordWithLink(db.db, { token: second, password: NEW_PASSWORD })).ok).toBe(true);
		const audit = await db.db
			.selectFrom('audit_log')
			.select('action')
			.where('entity', '=', 'user')
			.where('entity_id', '=', invited.value.id)
			.orderBy('id')
			.execute();
		expect(audit.map((a) => a.action)).toEqual(['create', 'invite', 'password_set']);
	});

	it('should show the link to the admin when the invitation e-mail cannot be sent', async () => {
		const invited = await inviteUser(adminCtx(), { email: email(), name: 'Mail Kapot', isAdmin: false }, undefined, {
			send: () => Promise.reject(new Error('smtp down')),
			origin: ORIGIN
		});
		if (!invited.ok) throw new Error(invited.refusal.message);
		expect(invited.value.link).toMatch(new RegExp(`^${ORIGIN}/wachtwoord/[\\w-]{43}$`));
		expect((await linkStatus(db.db, tokenOf(invited.value.link!))).ok).toBe(true);
	});

	it('should refuse a link at the instant it expires (fixed clock), and accept it a millisecond before', async () => {
		const account = await createAccount(db.db, 'admin');
		const NOW = Date.parse('2026-12-04T09:00:00.000Z');
		const token = await issueLink(db.db, account.id, 'invite', NOW);
		const end = NOW + LINK_VALID_MS.invite;
		expect(LINK_VALID_MS.invite).toBe(24 * 3600_000);
		const late = await setPasswordWithLink(db.db, { token, password: NEW_PASSWORD, now: end });
		expect(late.ok ? null : late.refusal.message).toBe(LINK_REFUSED);
		expect((await linkStatus(db.db, token, end)).ok).toBe(false);
		expect((await setPasswordWithLink(db.db, { token, password: NEW_PASSWORD, now: end - 1 })).ok).toBe(true);
		const reset = await issueLink(db.db, account.id, 'reset', NOW);
		expect((await linkStatus(db.db, reset, NOW + 3600_000)).ok).toBe(false); // a reset link works one hour
		expect((await linkStatus(db.db, reset, NOW + 3600_000 - 1)).ok).toBe(true);
	});

	it('should let exactly one of two simultaneous uses of a link set the password', async () => {
		const account = await createAccount(db.db, 'admin');
		for (let round = 0; round < 3; round++) {
			const token = await issueLink(db.db, account.id, 'reset');
			const results = await Promise.all(
				['eerste wachtwoord van twee', 'tweede wachtwoord van twee'].map((password) =>
					setPasswordWithLink(db.db, { token, password })
				)
			);
			expect(results.filter((r) => r.ok)).toHaveLength(1);
			const winner = results.findIndex((r) => r.ok) === 0 ? 'eerste wachtwoord van twee' : 'tweede wachtwoord van twee';
			expect((await login(db.db, { email: account.email, password: winner, address: `race${round}` })).ok).toBe(true);
			const used = await db.db
				.selectFrom('password_tokens')
				.select('used_at')
				.where('user_id', '=', account.id)
				.execute();
			expect(used.every((row) => row.used_at !== null)).toBe(true);
		}
	});

	it('should answer a reset request for a known and an unknown address alike, mail only the known one, and end its sessions', async () => {
		const account = await createAccount(db.db, 'admin');
		const session = await login(db.db, { email: account.email, password: account.password, address: 'r0' });
		if (!session.ok) throw new Error('sign-in failed');
		const box = outbox();
		const arrived = box.next();
		const known = await requestReset(db.db, { email: account.email, address: 'r1', origin: ORIGIN, send: box.send });
		const unknown = await requestReset(db.db, { email: email(), address: 'r2', origin: ORIGIN, send: box.send });
		expect(known).toEqual({ ok: true, value: { message: RESET_ANSWER } });
		expect(unknown).toEqual(known);
		await arrived;
		expect(box.sent).toHaveLength(1);
		expect(box.sent[0].to).toEqual([account.email]);
		expect(box.sent[0].subject).toBe('Nieuw wachtwoord instellen voor Kompas Monitor');

		expect(await actorFromSession(db.db, session.value.token)).not.toBeNull();
		const used = await setPasswordWithLink(db.db, { token: tokenOf(box.sent[0].text), password: NEW_PASSWORD });
		expect(used.ok).toBe(true);
		expect(await actorFromSession(db.db, session.value.token)).toBeNull(); // every other session ended
		expect((await login(db.db, { email: account.email, password: NEW_PASSWORD, address: 'r0' })).ok).toBe(true);
	});

	it('should limit reset requests per address asked for and per client address, known or not alike', async () => {
		const NOW = Date.parse('2026-12-04T10:00:00.000Z');
		const known = await createAccount(db.db, 'admin');
		for (const target of [known.email, email()]) {
			const answers = [];
			for (let i = 0; i <= MAX_RESETS_PER_ACCOUNT; i++)
				answers.push(
					await requestReset(db.db, { email: target, address: `c-${target}`, origin: ORIGIN, send: null, now: NOW })
				);
			expect(answers.slice(0, MAX_RESETS_PER_ACCOUNT).every((a) => a.ok)).toBe(true);
			const last = answers[MAX_RESETS_PER_ACCOUNT];
			expect(last.ok ? null : [last.refusal.status, last.refusal.message, last.refusal.retryAfterSeconds]).toEqual([
				429,
				'Te veel aanvragen. Probeer het over 15 minuten opnieuw.',
				900
			]);
		}
		// one client asking for many addresses
		const results = [];
		for (let i = 0; i <= MAX_RESETS_PER_ADDRESS; i++)
			results.push(
				await requestReset(db.db, { email: email(), address: 'flood', origin: ORIGIN, send: null, now: NOW })
			);
		expect(results.map((r) => (r.ok ? 200 : r.refusal.status))).toEqual([
			...Array(MAX_RESETS_PER_ADDRESS).fill(200),
			429
		]);
		// after the window the client may ask again
		const later = await requestReset(db.db, {
			email: email(),
			address: 'flood',
			origin: ORIGIN,
			send: null,
			now: NOW + 15 * 60_000 + 1
		});
		expect(later.ok).toBe(true);
	});
});
