import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = createServer();
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as { port: number };
			srv.close(() => resolve(port));
		});
		srv.on('error', reject);
	});
}

export interface RunningServer {
	url: string;
	/** the server's process id (npm's when started with npmStart) */
	pid: number;
	output: () => string;
	stop(): Promise<void>;
	/** SIGKILL, as a crash or the OOM killer ends it: no shutdown code runs. Resolves once it has exited. */
	kill(): Promise<void>;
}

/**
 * Starts the built server (`build/index.js`, or `$BUILD_DIR/index.js`) on a free port against the given
 * database. With `npmStart` it is started exactly as the README says, by `npm start` (without its build step
 * and without ORIGIN or HOST), and reached at http://localhost. With `now` (an ISO instant) the server's clock
 * starts there and runs on (tests/helpers/server-clock.mjs), so its "today" does not depend on the day the test runs.
 * `origin` sets ORIGIN from the port (default: the address the server is reached at). `port` and
 * `buildDir` start another build at the address of one just stopped (a deploy, as a browser sees it).
 */
export async function startServer(
	env: Record<string, string>,
	{
		npmStart = false,
		now,
		origin,
		port: fixedPort,
		buildDir
	}: { npmStart?: boolean; now?: string; origin?: (port: number) => string; port?: number; buildDir?: string } = {}
): Promise<RunningServer> {
	if (now)
		env = {
			...env,
			KOMPAS_TEST_NOW: now,
			NODE_OPTIONS:
				`${process.env.NODE_OPTIONS ?? ''} --import ${fileURLToPath(new URL('./server-clock.mjs', import.meta.url))}`.trim()
		};
	const entry = `${npmStart ? 'build' : (buildDir ?? process.env.BUILD_DIR ?? 'build')}/index.js`;
	if (!existsSync(entry)) throw new Error(`${entry} missing: run \`npm run build\` first (npm test does)`);
	const port = fixedPort ?? (await freePort());
	let log = '';
	const { ORIGIN: _o, HOST: _h, ...inherited } = process.env;
	const child: ChildProcess = npmStart
		? spawn('npm', ['run', 'start', '--ignore-scripts', '--silent'], {
				env: { ...inherited, PORT: String(port), ...env },
				stdio: ['ignore', 'pipe', 'pipe'],
				detached: true
			})
		: spawn(process.execPath, [entry], {
				env: {
					...process.env,
					HOST: '127.0.0.1',
					PORT: String(port),
					ORIGIN: origin?.(port) ?? `http://127.0.0.1:${port}`,
					...env
				},
				stdio: ['ignore', 'pipe', 'pipe']
			});
	child.stdout!.on('data', (d) => (log += d));
	child.stderr!.on('data', (d) => (log += d));
	child.on('exit', (code, signal) => (log += `\n[server exited: ${signal ?? code}]\n`));
	const url = `http://${npmStart ? 'localhost' : '127.0.0.1'}:${port}`;
	const end = (signal: NodeJS.Signals) =>
		new Promise<void>((resolve) => {
			if (child.exitCode !== null || child.signalCode !== null) return resolve();
			child.once('exit', () => resolve());
			if (npmStart)
				process.kill(-child.pid!, signal); // npm and the server it started
			else child.kill(signal);
		});
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`server exited early:\n${log}`);
		try {
			const res = await fetch(`${url}/api/v1/health`);
			if (res.ok) break;
		} catch {
			/* not listening yet */
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	return {
		url,
		pid: child.pid!,
		output: () => log,
		stop: () => end('SIGTERM'),
		kill: () => end('SIGKILL')
	};
}
