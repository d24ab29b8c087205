import { z } from 'zod';

const envSchema = z.object({
	DATABASE_URL: z.string().min(1).default('./data/kompas.db'),
	PLANS_DIR: z.string().min(1).default('indicators'),
	/** load the plans and demo data into an empty database on start */
	SEED_ON_EMPTY: z
		.enum(['true', 'false'])
		.default('true')
		.transform((v) => v === 'true'),
	/** answer each request's number of SQL queries in a header (benchmarks and tests) */
	QUERY_STATS: z
		.enum(['true', 'false'])
		.default('false')
		.transform((v) => v === 'true'),
	/** the address users type (adapter-node reads it too); https turns on Strict-Transport-Security */
	ORIGIN: z.preprocess(
		(v) => (v === '' ? undefined : v),
		z.url('ORIGIN is een volledig adres, zoals https://monitor.example.nl').optional()
	),
	/** e-mail is optional: without SMTP_URL nothing is sent and nothing fails */
	SMTP_URL: z
		.string()
		.trim()
		.optional()
		.transform((v) => (v ? v : undefined))
		.pipe(
			z
				.url({ protocol: /^smtps?$/, error: 'SMTP_URL: verwacht smtp://gebruiker:wachtwoord@host:poort of smtps://…' })
				.optional()
		),
	MAIL_FROM: z.string().trim().min(3).default('Kompas Monitor <kompas-monitor@localhost>'),
	/** the Chromium that prints the report PDF */
	CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
	/** how many report PDFs one server renders at once (each runs a Chromium); more wait with 503 */
	PDF_RENDERS: z.coerce.number().int().min(1).max(16).default(2),
	/** the built server that `npm run report` starts */
	BUILD_DIR: z.string().min(1).default('build'),

	// --- first start, database wait, scheduled jobs (issue 15 "start") ---
	/** how long to wait for an unreachable database at start before giving up (server default 60, commands 10) */
	DB_WAIT_SECONDS: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(0).max(3600).optional())
});

export type Env = z.infer<typeof envSchema>;

/** Environment parsed once; a bad value stops the start with a clear message. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
	const parsed = envSchema.safeParse(source);
	if (!parsed.success) {
		const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
		throw new Error(`Invalid environment:\n${lines}`);
	}
	return parsed.data;
}

let processEnv: Env | undefined;

/** This process's configuration, parsed on first use and kept: the one place the code reads the environment. */
export const env = (): Env => (processEnv ??= readEnv());
