import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import {
	ANSWER,
	createTestPoll,
	openPoll,
	responsesOf,
	sendAnswers,
	type PollOptions,
	type Reply
} from '../helpers/poll-respondents.ts';
import { deviceHash } from '../../src/lib/server/services/poll-answer.service.ts';

/**
 * Issue 18, the respondent: the public page /peiling/[code] over real HTTP against the built server, on
 * SQLite and PostgreSQL. One answer per device (its cookie), the gates (closed, past its closing time,
 * full), an unknown code that reveals nothing, the abuse limits (a second server with lowered limits,
 * reading addresses from X-Forwarded-For), and answers sent at the same moment.
 */
const NOW = '2026-11-20T10:00:00.000Z';
const LIMITS = { POLL_ADDRESS_LIMIT: '4', POLL_UNKNOWN_LIMIT: '3', POLL_FLOOD_LIMIT: '5' };

describe.each(DIALECTS)('answering a poll on %s', (dialect) => {
	let db: TestDb;
	let server: RunningServer;
	let limited: RunningServer;
	const poll = (o: PollOptions = {}) => createTestPoll(db.db, { now: NOW, ...o });
	const rows = (pollId: number) => responsesOf(db.db, pollId);

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db);
		server = await startServer({ DATABASE_URL: db.url, SEED_ON_EMPTY: 'false', QUERY_STATS: 'true' }, { now: NOW });
		limited = await startServer(
			{ DATABASE_URL: db.url, SEED_ON_EMPTY: 'false', ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1', ...LIMITS },
			{ now: NOW }
		);
	}, 120_000);
	afterAll(async () => {
		await server?.stop();
		await limited?.stop();
		await db?.drop();
	});

	it('should give a first visit the form and a device cookie for the poll pages only, kept nowhere', async () => {
		const { code } = await poll();
		const page = await openPoll(server.url, code);
		expect(page.status).toBe(200);
		expect(page.body).toContain('Peiling druk in de klas');
		expect(page.body).toContain('Je naam vragen we niet.');
		expect(page.body).toContain('Versturen');
		// the scale in words, each answer a radio button named by its question
		expect(page.body).toContain('Helemaal niet');
		expect(page.body).toMatch(/<input type="radio" name="keuze" value="5"/);
		// no app chrome for respondents, and nothing of what the answers feed
		expect(page.body).not.toContain('Kompas Monitor');
		expect(page.body).not.toContain('ZKL-');
		expect(page.body).not.toContain('dimension');
		expect(page.body).not.toContain('measure');
		expect(page.setCookie).toMatch(/^kompas_apparaat=[A-Za-z0-9_-]{43}; Max-Age=31536000; Path=\/peiling; .*HttpOnly/);
		expect(page.setCookie).toMatch(/SameSite=Lax/);
		expect(page.headers.get('cache-control')).toBe('no-store');
		expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
		expect(page.headers.get('x-frame-options')).toBe('DENY');
	});

	it('should store an answer once, under a hash of the device, and thank the device with what is still needed', async () => {
		const { id, code } = await poll();
		const device = (await openPoll(server.url, code)).device!;
		const sent = await sendAnswers(server.url, code, ANSWER, { device });
		expect(sent.status).toBe(303);
		expect(sent.location).toBe(`/peiling/${code}`);
		const stored = await rows(id);
		expect(stored).toHaveLength(1);
		expect(Object.keys(stored[0]).sort()).toEqual(['answers', 'device_hash', 'id', 'open_answer', 'poll_id']);
		expect(stored[0].device_hash).toBe(deviceHash(id, device));
		expect(stored[0].device_hash).not.toContain(device);
		expect(JSON.parse(stored[0].answers)).toEqual(ANSWER);
		expect(stored[0].open_answer).toBeNull();

		const again = await openPoll(server.url, code, { device });
		expect(again.status).toBe(200);
		// below the minimum group size the answers are not read at all
		expect(Number(again.headers.get('x-query-count'))).toBe(2);
		expect(again.body).toContain('Bedankt!');
		expect(again.body).toContain('Nu nog 9 nodig.');
		expect(again.body).not.toContain('Versturen');
		expect(again.setCookie).toBeNull();

		// a second answer from the same device: refused kindly, nothing more stored
		const second = await sendAnswers(server.url, code, { ...ANSWER, keuze: '1' }, { device });
		expect(second.status).toBe(409);
		expect(second.body).toContain('Je hebt al meegedaan op dit apparaat.');
		expect(second.body).toContain('Bedankt!');
		expect(await rows(id)).toHaveLength(1);
		// nothing of the respondent in the log: the request line names the route pattern only
		expect(server.output()).toContain('/peiling/[code]');
		expect(server.output()).not.toContain(code);
		expect(server.output()).not.toContain(device);
	});

	it('should give a device that posts without a cookie its token then, and count it as that device', async () => {
		const { id, code } = await poll({ openQuestion: true });
		const sent = await sendAnswers(server.url, code, { ...ANSWER, open: '  Het is leuk in de klas.  ' });
		expect(sent.status).toBe(303);
		expect(sent.device).toMatch(/^[A-Za-z0-9_-]{43}$/);
		const [row] = await rows(id);
		expect(row.device_hash).toBe(deviceHash(id, sent.device!));
		expect(row.open_answer).toBe('Het is leuk in de klas.');
		expect((await openPoll(server.url, code, { device: sent.device })).body).toContain('Bedankt!');
	});

	it('should show the group result once the minimum group size answered, as text, counting once per answer', async () => {
		const { code } = await poll();
		const queries = (r: Reply) => Number(r.headers.get('x-query-count'));
		let last: Reply | undefined;
		for (let i = 0; i < 10; i++)
			last = await sendAnswers(server.url, code, { ...ANSWER, praten: i < 4 ? 'ja' : 'nee' });
		// the poll, then the answer and its slot in one transaction
		expect(queries(last!)).toBe(5);
		const page = await openPoll(server.url, code, { device: last!.device });
		// the poll, whether this device answered, and the answers counted
		expect(queries(page)).toBe(3);
		// opened again with no new answer: the count is kept
		expect(queries(await openPoll(server.url, code, { device: last!.device }))).toBe(2);
		expect(page.body).toContain('10 mensen hebben meegedaan.');
		expect(page.body).toContain('Ja: 4 van de 10 (40 %)');
		expect(page.body).toContain('Nee: 6 van de 10 (60 %)');
		expect(page.body).not.toContain('nodig');
		// a device that has not answered still gets the form, not the result
		const fresh = await openPoll(server.url, code);
		expect(fresh.body).toContain('Versturen');
		expect(fresh.body).not.toContain('van de 10');
	});

	it('should refuse a tampered answer, store nothing and give the form back filled in', async () => {
		const { id, code } = await poll();
		const sent = await sendAnswers(server.url, code, { ...ANSWER, keuze: '9' });
		expect(sent.status).toBe(400);
		expect(sent.body).toContain('Dit antwoord kennen we niet.');
		expect(sent.body).toMatch(/name="praten" value="ja" checked/);
		const none = await sendAnswers(server.url, code, {});
		expect(none.status).toBe(400);
		expect(none.body).toContain('Kies bij minstens één vraag een antwoord.');
		expect(await rows(id)).toEqual([]);
		const count = await db.db.selectFrom('polls').select('answer_count').where('id', '=', id).executeTakeFirstOrThrow();
		expect(Number(count.answer_count)).toBe(0);
	});

	it('should refuse an open answer over 500 characters, and a body over 32 KB, storing nothing', async () => {
		const { id, code } = await poll({ openQuestion: true });
		const long = await sendAnswers(server.url, code, { ...ANSWER, open: 'a'.repeat(501) });
		expect(long.status).toBe(400);
		expect(long.body).toContain('hoogstens 500 tekens');
		const huge = await sendAnswers(server.url, code, { ...ANSWER, open: 'a'.repeat(40_000) });
		expect(huge.status).toBe(413);
		expect(huge.body).toContain('Je antwoorden zijn te lang.');
		// sent in chunks without a length: refused all the same
		const body = new URLSearchParams({ ...ANSWER, open: 'a'.repeat(40_000) }).toString();
		const chunked = await fetch(`${server.url}/peiling/${code}`, {
			method: 'POST',
			headers: { origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			body: new Blob([body]).stream(),
			duplex: 'half',
			redirect: 'manual'
		} as RequestInit);
		expect(chunked.status).toBe(413);
		expect(await rows(id)).toEqual([]);
		expect((await sendAnswers(server.url, code, { ...ANSWER, open: 'é'.repeat(500) })).status).toBe(303);
	});

	it.each([
		['closed by hand', { status: 'closed' as const }],
		['past its closing time', { closesAt: '2026-11-20T09:59:00.000Z' }]
	])('should show a poll %s as closed, friendly, and store nothing', async (_, options) => {
		const { id, code } = await poll(options);
		const page = await openPoll(server.url, code);
		expect(page.status).toBe(200);
		expect(page.body).toContain('Deze peiling is gesloten. Bedankt voor je hulp!');
		expect(page.body).not.toContain('Versturen');
		const sent = await sendAnswers(server.url, code, ANSWER, { device: page.device });
		expect(sent.status).toBe(409);
		expect(sent.body).toContain('Deze peiling is gesloten.');
		expect(await rows(id)).toEqual([]);
	});

	it('should refuse answers beyond the maximum and say the poll is full', async () => {
		const { id, code } = await poll({ maxAnswers: 1 });
		expect((await sendAnswers(server.url, code, ANSWER)).status).toBe(303);
		const late = await sendAnswers(server.url, code, ANSWER);
		expect(late.status).toBe(409);
		expect(late.body).toContain('Deze peiling is vol');
		expect((await openPoll(server.url, code)).body).toContain('Deze peiling is vol');
		expect(await rows(id)).toHaveLength(1);
	});

	it('should answer an unknown or malformed code with 404 and nothing else', async () => {
		await poll();
		for (const code of ['abcdefghjk', 'ABCDEFGHJK', 'kort', 'a'.repeat(200), "x'or'1'='1"]) {
			for (const reply of [
				await openPoll(server.url, encodeURIComponent(code)),
				await sendAnswers(server.url, encodeURIComponent(code), ANSWER)
			]) {
				expect(reply.status, code).toBe(404);
				expect(reply.body).toContain('Deze peiling bestaat niet.');
				for (const secret of ['ZKL', 'Onder Druk', 'Peiling druk in de klas', 'Kompas Monitor'])
					expect(reply.body).not.toContain(secret);
				expect(reply.setCookie).toBeNull();
			}
		}
	});

	it('should store exactly one of 20 answers sent at once from one device', async () => {
		const { id, code } = await poll();
		const device = (await openPoll(server.url, code)).device!;
		const sent = await Promise.all(Array.from({ length: 20 }, () => sendAnswers(server.url, code, ANSWER, { device })));
		expect(sent.map((s) => s.status).sort()).toEqual([303, ...Array(19).fill(409)]);
		expect(await rows(id)).toHaveLength(1);
	});

	it('should store exactly 10 of 20 devices answering at once a poll taking 10', async () => {
		const { id, code } = await poll({ maxAnswers: 10 });
		const sent = await Promise.all(Array.from({ length: 20 }, () => sendAnswers(server.url, code, ANSWER)));
		expect(sent.filter((s) => s.status === 303)).toHaveLength(10);
		expect(sent.filter((s) => s.status === 409)).toHaveLength(10);
		expect(await rows(id)).toHaveLength(10);
		const count = await db.db.selectFrom('polls').select('answer_count').where('id', '=', id).executeTakeFirstOrThrow();
		expect(Number(count.answer_count)).toBe(10);
	});

	describe('limits (POLL_ADDRESS_LIMIT 4, POLL_UNKNOWN_LIMIT 3, POLL_FLOOD_LIMIT 5)', () => {
		it('should refuse an address its fifth answer in 10 minutes with 429 and Retry-After, and not another address', async () => {
			const { id, code } = await poll();
			const address = '198.51.100.1';
			const statuses = [];
			for (let i = 0; i < 4; i++) statuses.push((await sendAnswers(limited.url, code, ANSWER, { address })).status);
			expect(statuses).toEqual([303, 303, 303, 303]);
			const fifth = await sendAnswers(limited.url, code, ANSWER, { address });
			expect(fifth.status).toBe(429);
			expect(fifth.body).toContain('Het is nu even te druk.');
			expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThan(500);
			expect(Number(fifth.headers.get('retry-after'))).toBeLessThanOrEqual(600);
			expect(await rows(id)).toHaveLength(4);
			expect((await sendAnswers(limited.url, code, ANSWER, { address: '198.51.100.2' })).status).toBe(303);
			// the address is counted in memory under a keyed hash: never in the log
			expect(limited.output()).not.toContain('198.51.100');
		});

		it('should refuse every code, known or not, to an address that guessed too many', async () => {
			const { code } = await poll();
			const address = '198.51.100.3';
			for (const guess of ['abcdefghjk', 'bcdefghjkm', 'cdefghjkmn'])
				expect((await openPoll(limited.url, guess, { address })).status).toBe(404);
			const known = await openPoll(limited.url, code, { address });
			expect(known.status).toBe(429);
			expect(known.body).not.toContain('Peiling druk in de klas');
			expect(Number(known.headers.get('retry-after'))).toBeGreaterThan(0);
			expect((await openPoll(limited.url, 'defghjkmnp', { address })).status).toBe(429);
			expect((await openPoll(limited.url, code, { address: '198.51.100.4' })).status).toBe(200);
		});

		it('should take at most 5 answers a minute for one poll, refused answers not counted', async () => {
			const { id, code } = await poll();
			const device = (await sendAnswers(limited.url, code, ANSWER, { address: '198.51.100.10' })).device;
			// a repeated answer is refused (409) and gives its place back
			expect((await sendAnswers(limited.url, code, ANSWER, { address: '198.51.100.10', device })).status).toBe(409);
			const statuses = [];
			for (let i = 11; i < 16; i++)
				statuses.push((await sendAnswers(limited.url, code, ANSWER, { address: `198.51.100.${i}` })).status);
			expect(statuses).toEqual([303, 303, 303, 303, 429]);
			expect(await rows(id)).toHaveLength(5);
		});
	});
});
