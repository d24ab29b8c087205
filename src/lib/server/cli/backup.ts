import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { backupDatabase } from '../db/backup.ts';
import { env } from '../env.ts';

const { values } = parseArgs({ options: { out: { type: 'string' } }, strict: true });
const { DATABASE_URL: url, BACKUP_DIR } = env();
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
// --out is the operator's own path (relative to where the command was typed); the default lives in BACKUP_DIR
const out = values.out
	? resolve(values.out)
	: join(BACKUP_DIR, `kompas-${stamp}.${url.startsWith('postgres') ? 'dump' : 'db'}`);

try {
	await backupDatabase(url, out);
	console.log(`Back-up geschreven naar ${out}`);
} catch (e) {
	console.error(e instanceof Error ? e.message : e);
	process.exitCode = 1;
}
