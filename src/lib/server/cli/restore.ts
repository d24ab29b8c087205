import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RestoreRefused, restoreDatabase } from '../db/restore.ts';
import { env } from '../env.ts';

const USAGE = 'Gebruik: npm run db:restore -- BESTAND [--force]';

const parsed = (() => {
	try {
		return parseArgs({ options: { force: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
	} catch (e) {
		console.error(`${e instanceof Error ? e.message : e}\n${USAGE}`);
		process.exit(2);
	}
})();
if (parsed.positionals.length !== 1) {
	console.error(USAGE);
	process.exit(2);
}
const file = resolve(parsed.positionals[0]);

try {
	const url = env().DATABASE_URL;
	await restoreDatabase(url, file, { force: parsed.values.force });
	console.log(`Teruggezet uit ${file} en bijgewerkt naar de laatste migratie.`);
} catch (e) {
	console.error(e instanceof RestoreRefused ? `Geweigerd: ${e.message}` : e instanceof Error ? e.message : e);
	process.exitCode = 1;
}
