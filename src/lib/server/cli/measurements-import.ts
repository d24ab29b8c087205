import { createReadStream, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { findProgrammeBySlug } from '../repositories/kompas.repository.ts';
import { importMeasurements } from '../services/measurement-import.service.ts';
import { formatIssue } from '../../domain/measurement-import.ts';
import { dutchCount, plural } from '../../domain/dutch-format.ts';
import { runCli } from './run.ts';

const USAGE = 'Gebruik: npm run measurements:import -- --programme SLUG [--replace] BESTAND.csv|BESTAND.xlsx';

const { values, positionals } = parseArgs({
	options: { programme: { type: 'string' }, replace: { type: 'boolean', default: false } },
	allowPositionals: true,
	strict: true
});
const file = positionals[0];
if (!values.programme || !file || positionals.length > 1) {
	console.error(USAGE);
	process.exit(2);
}
if (!existsSync(file)) {
	console.error(`Bestand niet gevonden: ${file}`);
	process.exit(2);
}

await runCli(async ({ db }) => {
	const programme = await findProgrammeBySlug(db, values.programme!);
	if (!programme) throw new Error(`Onbekend programma: ${values.programme}`);
	const result = await importMeasurements(db, programme, { operator: true }, createReadStream(file), { fileName: basename(file), replace: values.replace! });
	if (!result.ok) {
		console.error(`Geweigerd: ${file} (${plural(result.problems, 'probleem', 'problemen')}). Er is niets geïmporteerd.`);
		for (const issue of result.issues) console.error(`  ${formatIssue(issue)}`);
		process.exitCode = 1;
		return;
	}
	console.log(
		`${file}: ${plural(result.rows, 'rij', 'rijen')} gelezen; ${dutchCount(result.added)} toegevoegd, ${dutchCount(result.replaced)} vervangen, ${dutchCount(result.unchanged)} ongewijzigd (programma ${programme.slug}).`
	);
});
