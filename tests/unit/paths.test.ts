import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findInstallRoot, installRoot, resolvePaths } from '../../src/lib/server/paths.ts';
import { readEnv } from '../../src/lib/server/env.ts';

const ROOT = process.cwd(); // vitest runs in the checkout, whose package.json is kompas-monitor

describe(findInstallRoot.name, () => {
	const scratch = mkdtempSync(join(tmpdir(), 'kompas-root-'));
	afterAll(() => rmSync(scratch, { recursive: true, force: true }));

	it('should find the folder of the kompas-monitor package.json above the source, a build chunk or a built command', () => {
		expect(installRoot()).toBe(ROOT);
		writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'kompas-monitor' }));
		mkdirSync(join(scratch, 'build/server/chunks'), { recursive: true });
		mkdirSync(join(scratch, 'build/cli/chunks'), { recursive: true });
		expect(findInstallRoot(join(scratch, 'build/server/chunks/env-abc.js'))).toBe(scratch);
		expect(findInstallRoot(join(scratch, 'build/cli/chunks/env-abc.js'))).toBe(scratch);
	});

	it('should pass over another package.json on the way up, and give null outside an installation', () => {
		mkdirSync(join(scratch, 'node_modules/other'), { recursive: true });
		writeFileSync(join(scratch, 'node_modules/other/package.json'), JSON.stringify({ name: 'other' }));
		expect(findInstallRoot(join(scratch, 'node_modules/other/index.js'))).toBe(scratch);
		expect(findInstallRoot('/usr/share/misc/file.js')).toBeNull();
	});
});

describe(resolvePaths.name, () => {
	it('should put the data folder, database, plans, backups and build in the installation folder by default', () => {
		expect(resolvePaths({})).toEqual({
			DATA_DIR: join(ROOT, 'data'),
			DATABASE_URL: join(ROOT, 'data/kompas.db'),
			PLANS_DIR: join(ROOT, 'indicators'),
			BACKUP_DIR: join(ROOT, 'data/backups'),
			BUILD_DIR: join(ROOT, 'build')
		});
	});

	it('should resolve relative settings against the installation folder, not the current directory', () => {
		expect(
			resolvePaths({ DATA_DIR: 'var', DATABASE_URL: 'file:./db/k.db', PLANS_DIR: 'plans', BACKUP_DIR: '../bak' })
		).toEqual({
			DATA_DIR: join(ROOT, 'var'),
			DATABASE_URL: join(ROOT, 'db/k.db'),
			PLANS_DIR: join(ROOT, 'plans'),
			BACKUP_DIR: join(ROOT, '../bak'),
			BUILD_DIR: join(ROOT, 'build')
		});
	});

	it('should keep absolute paths, a DATA_DIR-derived database and backups, and PostgreSQL URLs as given', () => {
		expect(resolvePaths({ DATA_DIR: '/srv/kompas' })).toMatchObject({
			DATABASE_URL: '/srv/kompas/kompas.db',
			BACKUP_DIR: '/srv/kompas/backups'
		});
		expect(resolvePaths({ DATABASE_URL: 'file:///srv/k.db' }).DATABASE_URL).toBe('/srv/k.db');
		const pg = 'postgres://kompas:pw@db:5432/kompas?sslmode=require';
		expect(resolvePaths({ DATABASE_URL: pg }).DATABASE_URL).toBe(pg);
		expect(resolvePaths({ DATABASE_URL: ':memory:' }).DATABASE_URL).toBe(':memory:');
	});

	it('should be what the configuration holds', () => {
		expect(readEnv({ DATA_DIR: 'var' })).toMatchObject({
			DATABASE_URL: join(ROOT, 'var/kompas.db'),
			BACKUP_DIR: join(ROOT, 'var/backups'),
			PLANS_DIR: join(ROOT, 'indicators')
		});
	});
});
