import { z } from 'zod';
import { resolvePaths } from './paths.ts';

const envSchema = z.object({
	// --- installation paths (issue 15 "install"): defaults and relative paths resolve against the installation
	// folder (src/lib/server/paths.ts), never the current directory ---
	/** the data folder: the SQLite database and backups live here unless set otherwise; default `<install>/data` */
	DATA_DIR: z.string().min(1).optional(),
	/** a file path or `file:` URL selects SQLite, `postgres://…` PostgreSQL; default `<DATA_DIR>/kompas.db` */
	DATABASE_URL: z.string().min(1).optional(),
	/** the plans loaded into an empty database (and the indicator library); default `<install>/indicators` */
	PLANS_DIR: z.string().min(1).optional(),
	/** where `npm run db:backup` writes; default `<DATA_DIR>/backups` */
	BACKUP_DIR: z.string().min(1).optional(),
	/** the built server that `npm run report` starts; default `<install>/build` */
	BUILD_DIR: z.string().min(1).optional(),
	// --- end of installation paths ---
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

	// --- observability and PostgreSQL connection (issue 15, "observe") ---
	/** the request and error log's threshold (JSON lines on stdout) */
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
	/** /metrics answers 404 without it; with it, only to `Authorization: Bearer <METRICS_TOKEN>` */
	METRICS_TOKEN: z
		.string()
		.trim()
		.optional()
		.transform((v) => (v ? v : undefined))
		.pipe(z.string().min(16, 'METRICS_TOKEN: minstens 16 tekens').optional()),
	/** connections one server keeps to PostgreSQL at most */
	PG_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
	/** PostgreSQL ends a statement that runs longer (per connection; 0 = no limit) */
	PG_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),

	// --- the public poll page's abuse limits (issue 18; counted in memory per server: poll-limits.ts) ---
	/** answers one address may send per 10 minutes (a school's whole workshop shares one address) */
	POLL_ADDRESS_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(600),
	/** unknown poll codes one address may ask for per 10 minutes (guessing codes); then every code answers 429 */
	POLL_UNKNOWN_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(60),
	/** answers one poll takes per minute, besides its own maximum (a hall of 500 answering within a minute fits) */
	POLL_FLOOD_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(1000),

	// --- first start, database wait, scheduled jobs (issue 15 "start") ---
	/** how long to wait for an unreachable database at start before giving up (server default 60, commands 10) */
	DB_WAIT_SECONDS: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(0).max(3600).optional())
});

const configSchema = envSchema.transform((v) => ({ ...v, ...resolvePaths(v) }));

export type Env = z.infer<typeof configSchema>;

/** Environment parsed once; a bad value stops the start with a clear message. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
	const parsed = configSchema.safeParse(source);
	if (!parsed.success) {
		const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
		throw new Error(`Invalid environment:\n${lines}`);
	}
	return parsed.data;
}

let processEnv: Env | undefined;

/** This process's configuration, parsed on first use and kept: the one place the code reads the environment. */
export const env = (): Env => (processEnv ??= readEnv());
