import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMailEnv, smtpSender } from '../../src/lib/server/mail.ts';
import { buildDigests, sendDigests } from '../../src/lib/server/services/reminder.service.ts';
import { createAccount } from '../helpers/accounts.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';

const run = promisify(execFile);

/** A minimal SMTP server that accepts every message and keeps what it received. */
function fakeSmtp(): Promise<{ port: number; received: string[]; close(): Promise<void> }> {
	const received: string[] = [];
	const server: Server = createServer((socket) => {
		let buffer = '';
		let inData = false;
		socket.write('220 localhost ESMTP\r\n');
		socket.on('data', (chunk) => {
			buffer += chunk.toString('utf8');
			for (;;) {
				if (inData) {
					const end = buffer.indexOf('\r\n.\r\n');
					if (end === -1) return;
					received.push(buffer.slice(0, end));
					buffer = buffer.slice(end + 5);
					inData = false;
					socket.write('250 queued\r\n');
					continue;
				}
				const eol = buffer.indexOf('\r\n');
				if (eol === -1) return;
				const line = buffer.slice(0, eol).toUpperCase();
				buffer = buffer.slice(eol + 2);
				if (line.startsWith('EHLO')) socket.write('250-localhost\r\n250 OK\r\n');
				else if (line.startsWith('DATA')) {
					inData = true;
					socket.write('354 go ahead\r\n');
				} else if (line.startsWith('QUIT')) socket.end('221 bye\r\n');
				else socket.write('250 OK\r\n');
			}
		});
	});
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () =>
			resolve({
				port: (server.address() as { port: number }).port,
				received,
				close: () => new Promise((r) => server.close(() => r()))
			})
		)
	);
}

describe.each(DIALECTS)('reminders on %s', (dialect) => {
	let db: TestDb;
	let leadEmail: string;

	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db, { demo: true });
		leadEmail = (await createAccount(db.db, { role: 'lead', programme: 'vleuten-versterkt' })).email;
	});
	afterAll(async () => db?.drop());

	it('should build one digest per programme with what is open, addressed to its leads', async () => {
		const digests = await buildDigests(db.db, '2026-11-23', { baseUrl: 'https://kompas.example' });
		const vv = digests.find((d) => d.programme === 'vleuten-versterkt')!;
		expect(vv.to).toEqual([leadEmail]);
		expect(vv.empty).toBe(false);
		expect(vv.subject).toMatch(/^Kompas Monitor · Vleuten Versterkt: \d+ punten open$/);
		expect(vv.text).toContain('Evaluaties (5)');
		expect(vv.text).toContain('https://kompas.example/p/vleuten-versterkt/evaluaties/open');
		expect(digests.find((d) => d.programme === 'zkl-onder-druk')!.to).toEqual([]);
	});

	it('should send the digests over SMTP when SMTP_URL is set, skipping programmes without leads', async () => {
		const smtp = await fakeSmtp();
		try {
			const send = smtpSender(
				readMailEnv({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: 'Kompas <kompas@test.nl>' })
			)!;
			const report = await sendDigests(await buildDigests(db.db, '2026-11-23'), send);
			expect(report).toEqual({ sent: 1, skipped: [{ programme: 'zkl-onder-druk', reason: 'geen projectleiders' }] });
			expect(smtp.received).toHaveLength(1);
			expect(smtp.received[0]).toContain(`To: ${leadEmail}`);
			expect(smtp.received[0]).toMatch(/Subject: .*Vleuten/);
		} finally {
			await smtp.close();
		}
	});

	it('should e-mail each digest once when `npm run reminders` runs on two machines at once, and record the runs', async () => {
		const smtp = await fakeSmtp();
		try {
			const env = { ...process.env, DATABASE_URL: db.url, SMTP_URL: `smtp://127.0.0.1:${smtp.port}` };
			const reminders = (...args: string[]) =>
				run('npx', ['tsx', 'src/lib/server/cli/reminders.ts', '--today', '2026-11-24', ...args], { env });
			const outputs = (await Promise.all([reminders(), reminders()])).map((r) => r.stdout);
			expect(smtp.received).toHaveLength(1);
			expect(outputs.filter((o) => o.includes('1 e-mail verstuurd.'))).toHaveLength(1);
			expect(
				outputs.filter((o) => /^reminders voor 2026-11-24 al (bezig|gedaan) door .+ niets verstuurd \(--force/m.test(o))
			).toHaveLength(1);
			const runs = await db.db
				.selectFrom('job_runs')
				.select(['job', 'run_key', 'outcome', 'counts'])
				.where('run_key', 'like', '2026-11-24%')
				.orderBy('job')
				.execute();
			expect(runs).toEqual([
				{ job: 'reminder-mail', run_key: '2026-11-24/vleuten-versterkt', outcome: 'ok', counts: '{"to":1}' },
				{ job: 'reminders', run_key: '2026-11-24', outcome: 'ok', counts: '{"sent":1,"skipped":1}' }
			]);

			// the day's run lost (failed half-way): a rerun may run, but sends no digest a second time
			await db.db.updateTable('job_runs').set({ outcome: 'failed' }).where('job', '=', 'reminders').execute();
			const rerun = (await reminders()).stdout;
			expect(rerun).toContain('0 e-mails verstuurd.');
			expect(rerun).toMatch(/Niet verstuurd voor vleuten-versterkt: e-mail van 2026-11-24 al gedaan door /);
			expect(smtp.received).toHaveLength(1);

			// --force sends again, deliberately
			expect((await reminders('--force')).stdout).toContain('1 e-mail verstuurd.');
			expect(smtp.received).toHaveLength(2);
		} finally {
			await smtp.close();
		}
	});

	it('should mean no e-mail, never an error, without an e-mail setting', () => {
		expect(smtpSender(readMailEnv({}))).toBeNull();
		expect(smtpSender(readMailEnv({ SMTP_URL: '' }))).toBeNull();
		expect(() => readMailEnv({ SMTP_URL: 'http://mail.example' })).toThrow(/SMTP_URL/);
	});

	it('should print what it would send when `npm run reminders` runs without SMTP_URL', async () => {
		const env = { ...process.env, DATABASE_URL: db.url, SMTP_URL: '' };
		const { stdout } = await run(
			'npx',
			['tsx', 'src/lib/server/cli/reminders.ts', '--today', '2026-11-23', '--programme', 'vleuten-versterkt'],
			{ env }
		);
		expect(stdout).toContain('Geen SMTP_URL ingesteld');
		expect(stdout).toContain(`Aan: ${leadEmail}`);
		expect(stdout).toContain('Onderwerp: Kompas Monitor · Vleuten Versterkt');
	});
});
