import { parseArgs } from 'node:util';
import { backupDatabase } from '../db/backup.ts';
import { env } from '../env.ts';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const url = env().DATABASE_URL;
const out = values.out ?? `backups/kompas-${stamp}.${url.startsWith('postgres') ? 'dump' : 'db'}`;

try {
	await backupDatabase(url, out);
	console.log(`Back-up geschreven naar ${out}`);
} catch (e) {
	console.error(e instanceof Error ? e.message : e);
	process.exitCode = 1;
}
