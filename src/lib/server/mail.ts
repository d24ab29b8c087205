import nodemailer from 'nodemailer';
import { z } from 'zod';

/**
 * E-mail is optional: without SMTP_URL nothing is sent and nothing fails. Parsed once, with a clear
 * message for a malformed value.
 */
const mailEnvSchema = z.object({
	SMTP_URL: z
		.string()
		.trim()
		.optional()
		.transform((v) => (v ? v : undefined))
		.pipe(z.url({ protocol: /^smtps?$/, error: 'SMTP_URL: verwacht smtp://gebruiker:wachtwoord@host:poort of smtps://…' }).optional()),
	MAIL_FROM: z.string().trim().min(3).default('Kompas Monitor <kompas-monitor@localhost>'),
	/** where links in e-mails point to (adapter-node's ORIGIN by default) */
	ORIGIN: z.url().optional()
});

export type MailEnv = z.infer<typeof mailEnvSchema>;

export function readMailEnv(source: NodeJS.ProcessEnv = process.env): MailEnv {
	const parsed = mailEnvSchema.safeParse(source);
	if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('\n'));
	return parsed.data;
}

export interface Mail {
	to: string[];
	subject: string;
	text: string;
}

export type Send = (mail: Mail) => Promise<void>;

/** A sender over SMTP, or null when no SMTP_URL is set. */
export function smtpSender(env: MailEnv): Send | null {
	if (!env.SMTP_URL) return null;
	const transport = nodemailer.createTransport(env.SMTP_URL);
	return async (mail) => {
		await transport.sendMail({ from: env.MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text });
	};
}
