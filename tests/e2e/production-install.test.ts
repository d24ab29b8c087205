import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/browser.ts';
import { TMP } from '../helpers/environment.ts';
import { freePort } from '../helpers/server.ts';

/**
 * The README's production install, done as an operator would: the built app with its production packages only
 * (`npm prune --omit=dev`), then the server and every operator command started from another folder, with no
 * tsx anywhere. What the install holds: package.json, package-lock.json, build/, indicators/, src/bin/ (the launcher)
 * and node_modules — no other sources.
 */
const BUILD = process.env.BUILD_DIR ?? 'build';
const base = join(TMP, `production-install-${process.pid}`);
const app = join(base, 'kompas');
const elsewhere = join(base, 'elders');

// the operator's environment: nothing of this checkout's configuration, no node_modules/.bin on PATH
const {
	DATABASE_URL: _d,
	DATA_DIR: _a,
	PLANS_DIR: _p,
	BACKUP_DIR: _b,
	BUILD_DIR: _u,
	INIT_CWD: _i,
	...inherited
} = process.env;
const operatorEnv = {
	...inherited,
	PATH: (process.env.PATH ?? '')
		.split(delimiter)
		.filter((p) => !p.includes('node_modules'))
		.join(delimiter),
	SMTP_URL: '',
	ORIGIN: 'http://localhost'
};

const children: ChildProcess[] = [];
function startFromElsewhere(command: string, args: string[], port: number) {
	const child = spawn(command, args, {
		cwd: elsewhere,
		env: { ...operatorEnv, PORT: String(port), HOST: '127.0.0.1', ORIGIN: `http://127.0.0.1:${port}` },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true // npm start and the server it starts end together
	});
	children.push(child);
	let log = '';
	child.stdout!.on('data', (d) => (log += d));
	child.stderr!.on('data', (d) => (log += d));
	return { child, log: () => log };
}
async function stop(child: ChildProcess) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	process.kill(-child.pid!, 'SIGTERM');
	await exited;
}
async function waitForHealth(url: string, log: () => string, child: ChildProcess) {
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`server exited early:\n${log()}`);
		const ok = await fetch(`${url}/api/v1/health`).then(
			(r) => r.ok,
			() => false
		);
		if (ok) return;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`server did not answer within 60 s:\n${log()}`);
}

/** An operator command through npm, typed in another folder. */
const npmRun = (script: string, ...args: string[]) =>
	spawnSync('npm', ['--prefix', app, 'run', '--silent', script, '--', ...args], {
		cwd: elsewhere,
		env: operatorEnv,
		encoding: 'utf8'
	});

describe('production install', () => {
	beforeAll(() => {
		if (!existsSync(join(BUILD, 'cli/migrate.js')))
			throw new Error(`${BUILD}/cli missing: run \`npm run build\` first (npm test does)`);
		rmSync(base, { recursive: true, force: true });
		mkdirSync(elsewhere, { recursive: true });
		for (const file of ['package.json', 'package-lock.json']) cpSync(file, join(app, file));
		cpSync(BUILD, join(app, 'build'), { recursive: true });
		for (const dir of ['indicators', 'src/bin']) cpSync(dir, join(app, dir), { recursive: true });
		// hard links: quick and small; npm prune only unlinks, and its hidden lockfile is written anew, not linked
		const link = spawnSync('cp', ['-al', 'node_modules', join(app, 'node_modules')]);
		expect(link.status, String(link.stderr)).toBe(0);
		rmSync(join(app, 'node_modules/.package-lock.json'), { force: true });
		const prune = spawnSync('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund'], {
			cwd: app,
			env: operatorEnv,
			encoding: 'utf8'
		});
		expect(prune.status, prune.stderr).toBe(0);
	});
	afterAll(async () => {
		for (const child of children) await stop(child);
		rmSync(base, { recursive: true, force: true });
	});

	it('should hold no dev packages after npm prune --omit=dev', () => {
		for (const dev of ['tsx', 'vite', 'vitest', '@sveltejs/kit', 'typescript'])
			expect(existsSync(join(app, 'node_modules', dev)), dev).toBe(false);
		expect(existsSync('node_modules/tsx')).toBe(true); // the checkout's own packages are untouched
	});

	it('should serve from another folder with the database in the installation data folder', async () => {
		const port = await freePort();
		const server = startFromElsewhere(process.execPath, [join(app, 'build')], port);
		const url = `http://127.0.0.1:${port}`;
		await waitForHealth(url, server.log, server.child);
		expect(await (await fetch(`${url}/api/v1/health`)).json()).toMatchObject({ database: 'sqlite' });
		const login = await fetch(`${url}/login`);
		expect(login.status).toBe(200);
		expect(await login.text()).toContain('<h1>Inloggen</h1>');
		await stop(server.child);
		expect(server.log()).toContain(`plan vleuten-versterkt geladen uit ${join(app, 'indicators')}`);
		expect(existsSync(join(app, 'data/kompas.db'))).toBe(true);
		expect(readdirSync(elsewhere)).toEqual([]);
	});

	it('should start with npm start without building, and say what to run when the build is missing', async () => {
		const port = await freePort();
		const server = startFromElsewhere('npm', ['--prefix', app, 'start', '--silent'], port);
		await waitForHealth(`http://127.0.0.1:${port}`, server.log, server.child);
		await stop(server.child);
		expect(server.log()).not.toMatch(/npm run build|vite/);

		const noBuild = join(base, 'without-build');
		mkdirSync(noBuild);
		cpSync(join(app, 'package.json'), join(noBuild, 'package.json'));
		cpSync(join(app, 'src/bin'), join(noBuild, 'src/bin'), { recursive: true });
		const started = spawnSync('npm', ['--prefix', noBuild, 'start'], {
			cwd: elsewhere,
			env: operatorEnv,
			encoding: 'utf8'
		});
		expect(started.status).not.toBe(0);
		expect(started.stderr).toContain('Kompas Monitor is niet gebouwd');
		expect(started.stderr).toContain('npm ci && npm run build');
	});

	it('should run every operator command from another folder without tsx', () => {
		const ok = (run: ReturnType<typeof npmRun>) => {
			expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
			return run.stdout;
		};
		expect(ok(npmRun('db:migrate'))).toContain('Database (sqlite) is bijgewerkt');
		const direct = spawnSync(process.execPath, [join(app, 'build/cli/migrate.js')], {
			cwd: elsewhere,
			env: operatorEnv,
			encoding: 'utf8'
		});
		expect(direct.status, direct.stderr).toBe(0);
		expect(
			ok(
				npmRun(
					'user:add',
					'--email',
					'beheer@install.test',
					'--password',
					'een lang wachtwoord',
					'--name',
					'B',
					'--admin'
				)
			)
		).toContain('Gebruiker beheer@install.test aangemaakt (beheerder)');
		// a file argument is relative to the folder the command was typed in
		expect(ok(npmRun('plan:load', '../kompas/indicators/vleuten-versterkt.yaml'))).toContain(
			'vleuten-versterkt geladen'
		);
		writeFileSync(
			join(elsewhere, 'metingen.csv'),
			'\uFEFFindicator;regio;datum;waarde;n;bron;toelichting\r\nVV-T1-AANDACHT;vleuten-de-meern;17-3-2025;61;;;\r\n'
		);
		expect(ok(npmRun('measurements:import', '--programme', 'vleuten-versterkt', '--replace', 'metingen.csv'))).toMatch(
			/1 rij gelezen/
		);
		expect(ok(npmRun('reminders', '--today', '2026-11-23'))).toContain('Geen SMTP_URL ingesteld');

		expect(ok(npmRun('db:backup'))).toContain(`Back-up geschreven naar ${join(app, 'data/backups/kompas-')}`);
		const [backup] = readdirSync(join(app, 'data/backups'));
		const refused = npmRun('db:restore', join(app, 'data/backups', backup));
		expect(refused.status).toBe(1);
		expect(refused.stderr).toContain('--force');
		expect(ok(npmRun('db:restore', join(app, 'data/backups', backup), '--force'))).toContain('Teruggezet uit');
		expect(readdirSync(elsewhere)).toEqual(['metingen.csv']);
	});

	it.runIf(hasChromium())(
		'should print the report PDF with the pruned install (playwright-core is no dev package)',
		() => {
			const run = npmRun('report', '--programme', 'vleuten-versterkt', '--out', 'rapport.pdf');
			expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
			expect(run.stdout).toContain(`Rapport geschreven naar rapport.pdf`);
			expect(readdirSync(elsewhere)).toContain('rapport.pdf');
		}
	);
});
