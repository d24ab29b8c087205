import { cpSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/** src/bin/build-state.js in a scratch checkout of its own (it finds the checkout from its own location). */
const root = mkdtempSync(join(tmpdir(), 'kompas-build-state-'));
cpSync('src/bin', join(root, 'src/bin'), { recursive: true });
const at = (path: string, seconds: number) => utimesSync(join(root, path), seconds, seconds);

describe('build state (npm start and the commands launcher)', () => {
	afterAll(() => rmSync(root, { recursive: true, force: true }));

	it('should call a build missing, current, or stale once any source is newer than its stamp', async () => {
		const { buildState, hasSources, BUILD_DIR } = await import(
			pathToFileURL(join(root, 'src/bin/build-state.js')).href
		);
		mkdirSync(join(root, 'src/lib'), { recursive: true });
		mkdirSync(join(root, 'src/routes'), { recursive: true });
		writeFileSync(join(root, 'src/lib/a.ts'), '');
		writeFileSync(join(root, 'package-lock.json'), '{}');
		expect(hasSources()).toBe(true);
		expect(buildState()).toBe('missing');

		mkdirSync(BUILD_DIR, { recursive: true });
		writeFileSync(join(BUILD_DIR, 'index.js'), '');
		expect(buildState()).toBe('missing'); // no stamp: a build that never finished
		const stamp = join(BUILD_DIR, '.build-stamp');
		writeFileSync(stamp, '');
		for (const path of [
			'src/lib/a.ts',
			'src/lib',
			'src/routes',
			'src/bin/build-state.js',
			'src/bin/cli.js',
			'src/bin',
			'src',
			'package-lock.json'
		])
			at(path, 1_000_000);
		utimesSync(stamp, 2_000_000, 2_000_000);
		expect(buildState()).toBe('current');

		at('src/lib/a.ts', 3_000_000);
		expect(buildState()).toBe('stale');
		at('src/lib/a.ts', 1_000_000);
		at('package-lock.json', 3_000_000);
		expect(buildState()).toBe('stale');
	});
});
