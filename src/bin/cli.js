// Launches an operator command: `node src/bin/cli.js NAME [arguments]` (what the package.json scripts run).
// Plain JavaScript, so it runs on Node 20 in a production install without tsx. It runs the built command
// (build/cli/NAME.js) when the build is current or when this is a production install without sources; in a
// development checkout whose sources changed since the last build it runs the source with tsx, so a developer
// never runs a stale command and needs no rebuild.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUILD_DIR, BUILD_HINT, buildState, hasSources, installed, ROOT } from './build-state.js';

const [name] = process.argv.splice(2, 1);
const built = join(BUILD_DIR, 'cli', `${name}.js`);
const source = join(ROOT, 'src/lib/server/cli', `${name}.ts`);
if (!name || !(existsSync(built) || existsSync(source))) {
	console.error(`Onbekende opdracht: ${name ?? '(geen)'}.`);
	process.exit(2);
}

// `npm run` starts in the installation folder; file arguments mean what they meant where the command was typed
if (process.env.INIT_CWD && existsSync(process.env.INIT_CWD)) process.chdir(process.env.INIT_CWD);

const useBuilt = existsSync(built) && (!hasSources() || buildState() === 'current');
if (useBuilt) await import(pathToFileURL(built).href);
else if (existsSync(source) && installed('tsx')) {
	const { register } = await import('tsx/esm/api');
	register();
	await import(pathToFileURL(source).href);
} else if (existsSync(built)) await import(pathToFileURL(built).href);
else {
	console.error(`De opdracht ${name} is niet gebouwd: ${BUILD_HINT}.`);
	process.exit(1);
}
