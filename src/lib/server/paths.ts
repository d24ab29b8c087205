import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'kompas-monitor';

/**
 * The installation folder: the nearest folder above this module whose package.json is Kompas Monitor's.
 * Found from the code's own location, so the same answer comes from `src/` (tsx, vite, vitest), from the
 * server's chunks under `build/server/` and from the operator commands under `build/cli/` — never from the
 * current directory, which is wherever the operator or systemd happened to start the process.
 */
export function findInstallRoot(from: string = fileURLToPath(import.meta.url)): string | null {
	for (let dir = dirname(from); ; dir = dirname(dir)) {
		const manifest = join(dir, 'package.json');
		if (existsSync(manifest)) {
			try {
				if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) return dir;
			} catch {
				/* not a readable manifest: keep looking */
			}
		}
		if (dirname(dir) === dir) return null;
	}
}

let root: string | null | undefined;

export function installRoot(): string {
	root ??= findInstallRoot();
	if (!root)
		throw new Error(
			`Installatiemap niet gevonden (geen package.json "${PACKAGE_NAME}" boven ${fileURLToPath(import.meta.url)}): zet DATA_DIR, PLANS_DIR en BUILD_DIR als absolute paden.`
		);
	return root;
}

/** An operator's path: absolute as given, relative against the installation folder (never the current directory). */
export const fromRoot = (path: string): string => (isAbsolute(path) ? path : resolve(installRoot(), path));

/** The file a SQLite DATABASE_URL names (a path or a `file:` URL), as written; null for PostgreSQL and `:memory:`. */
export function sqliteFileOf(url: string): string | null {
	if (/^postgres(ql)?:\/\//.test(url) || url === ':memory:') return null;
	return url.startsWith('file:') ? url.slice('file:'.length).replace(/^\/\/(?=\/)/, '') : url;
}

export interface PathSettings {
	DATA_DIR?: string;
	DATABASE_URL?: string;
	PLANS_DIR?: string;
	BACKUP_DIR?: string;
	BUILD_DIR?: string;
}

export interface ResolvedPaths {
	DATA_DIR: string;
	DATABASE_URL: string;
	PLANS_DIR: string;
	BACKUP_DIR: string;
	BUILD_DIR: string;
}

/**
 * The folders and the database of this installation: the operator's settings, relative ones resolved against the
 * installation folder, and the defaults `<root>/data`, `<data>/kompas.db`, `<root>/indicators`, `<data>/backups`,
 * `<root>/build`. A SQLite DATABASE_URL becomes an absolute file path; a PostgreSQL URL is kept as it is.
 */
export function resolvePaths(settings: PathSettings): ResolvedPaths {
	const dataDir = fromRoot(settings.DATA_DIR ?? 'data');
	const url = settings.DATABASE_URL ?? join(dataDir, 'kompas.db');
	const file = sqliteFileOf(url);
	return {
		DATA_DIR: dataDir,
		DATABASE_URL: file === null ? url : fromRoot(file),
		PLANS_DIR: fromRoot(settings.PLANS_DIR ?? 'indicators'),
		BACKUP_DIR: settings.BACKUP_DIR ? fromRoot(settings.BACKUP_DIR) : join(dataDir, 'backups'),
		BUILD_DIR: fromRoot(settings.BUILD_DIR ?? 'build')
	};
}
