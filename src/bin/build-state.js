// Is the build current? One answer for `npm start` (build only when needed) and the operator commands'
// launcher (src/bin/cli.js). Plain JavaScript: it runs in a production install, without dev packages.
//   node src/bin/build-state.js stamp    written by `npm run build` as its last step
//   node src/bin/build-state.js ensure   run before `npm start`: builds when the build is missing or older than the source
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** the installation folder: this file is src/bin/build-state.js */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BUILD_DIR = resolve(ROOT, process.env.BUILD_DIR ?? 'build');
const STAMP = join(BUILD_DIR, '.build-stamp');
/** what a build is made from: a change to any of them makes the build stale */
const SOURCES = ['src', 'db', 'svelte.config.js', 'vite.config.ts', 'package.json', 'package-lock.json'];

/** @param {string} path */
function newestMtime(path) {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs; // a deleted file changes its folder
	for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
	return newest;
}

/** 'missing' (no build), 'stale' (a source is newer than the last build) or 'current'. */
export function buildState() {
	if (!existsSync(join(BUILD_DIR, 'index.js')) || !existsSync(STAMP)) return 'missing';
	const built = statSync(STAMP).mtimeMs;
	return SOURCES.some((s) => newestMtime(join(ROOT, s)) > built) ? 'stale' : 'current';
}

/** A checkout with its sources (development), as opposed to a production install (build/ and src/bin/ alone). */
export const hasSources = () => existsSync(join(ROOT, 'src/routes'));

/** Whether a package (a dev package such as vite or tsx) is installed here. */
/** @param {string} name */
export function installed(name) {
	try {
		createRequire(join(ROOT, 'package.json')).resolve(`${name}/package.json`);
		return true;
	} catch {
		return false;
	}
}

const BUILD_HINT = 'voer in de installatiemap `npm ci && npm run build` uit (daarna mag `npm prune --omit=dev`)';

function ensure() {
	const state = buildState();
	if (state === 'current') return 0;
	if (!hasSources() || !installed('vite')) {
		// a production install never builds: it has no sources and no build tools
		if (existsSync(join(BUILD_DIR, 'index.js'))) return 0;
		console.error(`Kompas Monitor is niet gebouwd (${BUILD_DIR} ontbreekt): ${BUILD_HINT}.`);
		return 1;
	}
	console.log(
		state === 'missing' ? 'Nog geen build: npm run build…' : 'De broncode is nieuwer dan de build: npm run build…'
	);
	return spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' }).status ?? 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const command = process.argv[2];
	if (command === 'stamp') writeFileSync(STAMP, `${new Date().toISOString()}\n`);
	else if (command === 'ensure') process.exitCode = ensure();
	else {
		console.error('Gebruik: node src/bin/build-state.js stamp|ensure');
		process.exitCode = 2;
	}
}

export { BUILD_HINT };
