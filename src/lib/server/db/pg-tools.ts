import { spawn } from 'node:child_process';

/** A PostgreSQL client tool's invocation: what `ps` shows (command, args) and what it does not (env). */
export interface PgInvocation {
	command: string;
	args: string[];
	env: NodeJS.ProcessEnv;
}

/** libpq's environment variables for the query parameters a DATABASE_URL may carry. */
const QUERY_ENV: Record<string, string> = {
	sslmode: 'PGSSLMODE',
	sslrootcert: 'PGSSLROOTCERT',
	sslcert: 'PGSSLCERT',
	sslkey: 'PGSSLKEY',
	application_name: 'PGAPPNAME',
	connect_timeout: 'PGCONNECT_TIMEOUT',
	options: 'PGOPTIONS',
	host: 'PGHOST',
	port: 'PGPORT',
	user: 'PGUSER',
	password: 'PGPASSWORD',
	dbname: 'PGDATABASE'
};

/**
 * The connection of a `postgres://` URL as libpq environment variables, so that pg_dump, pg_restore and psql
 * get host, port, user, password, database and TLS settings without any of them on their command line
 * (where every user of the machine could read them with `ps`). What the URL leaves out comes from the PG*
 * variables already set, as it does for the server's own driver (node-postgres reads them too).
 */
export function pgEnvironment(url: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
	// libpq allows no host (`postgres://user@/db?host=/run/postgresql`: a socket), WHATWG URLs do not
	const start = /^postgres(?:ql)?:\/\/(?:[^/?#]*@)?/.exec(url)?.[0] ?? '';
	const noHost = /^[/?#]|^$/.test(url.slice(start.length));
	const u = new URL(noHost ? `${start}localhost${url.slice(start.length)}` : url);
	const env: NodeJS.ProcessEnv = { ...base };
	const set = (name: string, value: string) => {
		if (value !== '') env[name] = value;
	};
	if (!noHost) set('PGHOST', decodeURIComponent(u.hostname.replace(/^\[(.*)\]$/, '$1')));
	set('PGPORT', u.port);
	set('PGUSER', decodeURIComponent(u.username));
	set('PGPASSWORD', decodeURIComponent(u.password));
	set('PGDATABASE', decodeURIComponent(u.pathname.replace(/^\//, '')));
	for (const [key, value] of u.searchParams) if (QUERY_ENV[key]) set(QUERY_ENV[key], value);
	return env;
}

/** pg_dump in custom format into `out`; the database comes from PGDATABASE. */
export const pgDumpInvocation = (url: string, out: string): PgInvocation => ({
	command: 'pg_dump',
	args: ['--format=custom', '--no-password', `--file=${out}`],
	env: pgEnvironment(url)
});

/** pg_restore writing the dump as SQL to its output, for psql to run in one transaction. */
export const pgRestoreScriptInvocation = (url: string, file: string): PgInvocation => ({
	command: 'pg_restore',
	args: ['--no-owner', '--no-privileges', '--clean', '--if-exists', '--file=-', file],
	env: pgEnvironment(url)
});

/** psql running its standard input as one transaction, stopping at the first error. */
export const psqlInvocation = (url: string): PgInvocation => ({
	command: 'psql',
	args: ['--no-psqlrc', '--quiet', '--no-password', '--single-transaction', '--set=ON_ERROR_STOP=1', '--file=-'],
	env: pgEnvironment(url)
});

/** Runs a client tool to its end; a missing tool or a failure becomes an Error that says which. */
export function runPgTool(inv: PgInvocation): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(inv.command, inv.args, { env: inv.env, stdio: ['ignore', 'inherit', 'pipe'] });
		let stderr = '';
		child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
		child.on('error', (e) =>
			reject(new Error(`${inv.command} is niet gevonden: installeer de PostgreSQL-clienttools (${e.message})`))
		);
		child.on('close', (code) =>
			code === 0 ? resolve() : reject(new Error(`${inv.command} mislukte: ${stderr.trim() || `exit ${code}`}`))
		);
	});
}
