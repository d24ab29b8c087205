import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { formatDigest, type Digest } from '../../domain/digest.ts';
import { listProgrammes } from '../repositories/kompas.repository.ts';
import { listLeads } from '../repositories/due.repository.ts';
import type { Send } from '../mail.ts';
import { dueList } from './due.service.ts';
import { doneElsewhere, runOnce } from './job.service.ts';

export interface ProgrammeDigest extends Digest {
	programme: string;
	to: string[];
}

/** One digest per programme (or the one asked for): "Wat staat er open", addressed to its leads. */
export async function buildDigests(
	db: Kysely<Database>,
	today: string,
	options: { programme?: string; baseUrl?: string | null } = {}
): Promise<ProgrammeDigest[]> {
	const programmes = (await listProgrammes(db)).filter((p) => !options.programme || p.slug === options.programme);
	const out: ProgrammeDigest[] = [];
	for (const p of programmes) {
		const [due, leads] = await Promise.all([dueList({ db, programme: p }, today), listLeads(db, p.id)]);
		out.push({ programme: p.slug, to: leads.map((l) => l.email), ...formatDigest(p, due, options.baseUrl ?? null) });
	}
	return out;
}

export interface ReminderReport {
	sent: number;
	skipped: { programme: string; reason: string }[];
}

/** Where sent digests are recorded, so that a rerun for the same day never e-mails one twice (unless forced). */
export interface DigestRecord {
	db: Kysely<Database>;
	today: string;
	force?: boolean;
}

export const REMINDERS_JOB = 'reminders';
export const REMINDER_MAIL_JOB = 'reminder-mail';

/** Sends each digest that has something open and someone to send it to; with `record`, each at most once per day. */
export async function sendDigests(
	digests: ProgrammeDigest[],
	send: Send,
	record?: DigestRecord
): Promise<ReminderReport> {
	const report: ReminderReport = { sent: 0, skipped: [] };
	for (const d of digests) {
		if (d.empty) report.skipped.push({ programme: d.programme, reason: 'niets open' });
		else if (d.to.length === 0) report.skipped.push({ programme: d.programme, reason: 'geen projectleiders' });
		else {
			const mail = async () => {
				await send({ to: d.to, subject: d.subject, text: d.text });
				return { to: d.to.length };
			};
			const done = record
				? await runOnce(record.db, REMINDER_MAIL_JOB, `${record.today}/${d.programme}`, mail, {
						force: record.force,
						// a process that died while sending may have sent it: at most once, unless forced
						retakeUnfinished: false
					})
				: { ran: true as const, result: await mail() };
			if (done.ran) report.sent++;
			else
				report.skipped.push({
					programme: d.programme,
					reason: doneElsewhere(`e-mail van ${record?.today}`, done.previous)
				});
		}
	}
	return report;
}
