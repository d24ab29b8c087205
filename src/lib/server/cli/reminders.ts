import { parseArgs } from 'node:util';
import { plural } from '../../domain/dutch-format.ts';
import { isIsoDate } from '../../domain/phase-calendar.ts';
import { readMailEnv, smtpSender } from '../mail.ts';
import { buildDigests, REMINDERS_JOB, sendDigests } from '../services/reminder.service.ts';
import { doneElsewhere, runOnce } from '../services/job.service.ts';

import { runCli } from './run.ts';
import { todayIso } from '../../domain/dutch-format.ts';

const USAGE = 'Gebruik: npm run reminders -- [--today JJJJ-MM-DD] [--programme SLUG] [--force]';

const { values } = parseArgs({
	options: { today: { type: 'string' }, programme: { type: 'string' }, force: { type: 'boolean' } },
	strict: true
});
if (values.today !== undefined && !isIsoDate(values.today)) {
	console.error(`--today: geen geldige datum. ${USAGE}`);
	process.exit(2);
}

await runCli(async ({ db }) => {
	const env = readMailEnv();
	const today = values.today ?? todayIso();
	const digests = await buildDigests(db, today, { programme: values.programme, baseUrl: env.ORIGIN ?? null });
	if (values.programme && digests.length === 0) throw new Error(`Onbekend programma: ${values.programme}`);
	const send = smtpSender(env);
	if (!send) {
		console.log('Geen SMTP_URL ingesteld: er wordt geen e-mail verstuurd. Dit zou worden verstuurd:\n');
		for (const d of digests) {
			console.log(
				`Aan: ${d.to.length ? d.to.join(', ') : '(geen projectleiders)'}${d.empty ? '  [niets open: wordt niet verstuurd]' : ''}`
			);
			console.log(`Onderwerp: ${d.subject}\n\n${d.text}\n\n${'─'.repeat(72)}\n`);
		}
		return;
	}
	// one run per day (and programme) across machines; each digest is recorded too, so a rerun sends none twice
	const force = values.force ?? false;
	const runKey = values.programme ? `${today}/${values.programme}` : today;
	const done = await runOnce(
		db,
		REMINDERS_JOB,
		runKey,
		async () => {
			const report = await sendDigests(digests, send, { db, today, force });
			console.log(`${plural(report.sent, 'e-mail', 'e-mails')} verstuurd.`);
			for (const s of report.skipped) console.log(`Niet verstuurd voor ${s.programme}: ${s.reason}.`);
			return { sent: report.sent, skipped: report.skipped.length };
		},
		{ force }
	);
	if (!done.ran)
		console.log(
			`${doneElsewhere(`reminders voor ${runKey}`, done.previous)}; niets verstuurd (--force verstuurt opnieuw).`
		);
});
