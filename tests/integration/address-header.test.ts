import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/lib/server/db/create-db.ts';
import { createAccount } from '../helpers/accounts.ts';
import { TMP } from '../helpers/databases.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * Behind a proxy the sign-in limit counts the address in ADDRESS_HEADER. A request that reaches the server
 * without that header (a health check of the load balancer, a call past the proxy) must still be answered.
 */
describe('a server with ADDRESS_HEADER set', () => {
	const dbFile = join(TMP, `address-header-${process.pid}.db`);
	let server: RunningServer;

	beforeAll(async () => {
		rmSync(dbFile, { force: true });
		server = await startServer({ DATABASE_URL: dbFile, SEED_ON_EMPTY: 'false', ADDRESS_HEADER: 'x-forwarded-for' });
	});
	afterAll(async () => {
		await server?.stop();
		for (const suffix of ['', '-wal', '-shm']) rmSync(dbFile + suffix, { force: true });
	});

	it('should answer health and sign-in without the header, and limit per forwarded address with it', async () => {
		expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(200);
		const db = createDb(dbFile);
		const admin = await createAccount(db.db, 'admin');
		await db.close();
		const signIn = (email: string, password: string, headers: Record<string, string> = {}) =>
			fetch(`${server.url}/api/v1/session`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', origin: server.url, ...headers },
				body: JSON.stringify({ email, password })
			});
		expect((await signIn(admin.email, admin.password)).status).toBe(200);
		// the last address in X-Forwarded-For (XFF_DEPTH 1) counts: 20 failures use up 10.9.9.9's budget only
		const stranger = (i: number) => `onbekend-${i}@example.org`;
		for (let i = 0; i < 20; i++)
			expect(
				(await signIn(stranger(i), 'een fout wachtwoord', { 'x-forwarded-for': `10.1.0.${i}, 10.9.9.9` })).status
			).toBe(401);
		expect((await signIn(stranger(20), 'een fout wachtwoord', { 'x-forwarded-for': '10.9.9.9' })).status).toBe(429);
		expect((await signIn(stranger(21), 'een fout wachtwoord', { 'x-forwarded-for': '10.8.8.8' })).status).toBe(401);
		expect((await signIn(admin.email, admin.password, { 'x-forwarded-for': '10.8.8.8' })).status).toBe(200);
	});
});
