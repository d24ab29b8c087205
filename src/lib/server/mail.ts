import nodemailer from 'nodemailer';
import { env, readEnv, type Env } from './env.ts';

/** E-mail is optional: without SMTP_URL nothing is sent and nothing fails (see env.ts). */
export type MailEnv = Pick<Env, 'SMTP_URL' | 'MAIL_FROM' | 'ORIGIN'>;

/** The mail settings of this process, or of the given variables (tests). */
export function readMailEnv(source?: NodeJS.ProcessEnv): MailEnv {
	const { SMTP_URL, MAIL_FROM, ORIGIN } = source ? readEnv(source) : env();
	return { SMTP_URL, MAIL_FROM, ORIGIN };
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

/** This process's sender (null without SMTP_URL), for a request that sends one e-mail. */
export const mailSender = (): Send | null => smtpSender(readMailEnv());
