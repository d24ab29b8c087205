import { parseArgs } from 'node:util';
import { plural } from '../../domain/dutch-format.ts';
import { isIsoDate } from '../../domain/phase-calendar.ts';
import { readMailEnv, smtpSender } from '../mail.ts';
import { buildDigests, sendDigests } from '../services/reminder.service.ts';

import { runCli } from './run.ts';
import { todayIso } from '../../domain/dutch-format.ts';

const USAGE = 'Gebruik: npm run reminders -- [--today JJJJ-MM-DD] [--programme SLUG]';

const { values } = parseArgs({ options: { today: { type: 'string' }, programme: { type: 'string' } }, strict: true });
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
	const report = await sendDigests(digests, send);
	console.log(`${plural(report.sent, 'e-mail', 'e-mails')} verstuurd.`);
	for (const s of report.skipped) console.log(`Niet verstuurd voor ${s.programme}: ${s.reason}.`);
});
