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
	const result = await importMeasurements({ db, programme, operator: true }, createReadStream(file), {
		fileName: basename(file),
		replace: values.replace!
	});
	if (!result.ok) {
		const { refusal } = result;
		console.error(
			`Geweigerd: ${file} (${plural(refusal.counts?.problems ?? 0, 'probleem', 'problemen')}). Er is niets geïmporteerd.`
		);
		for (const i of refusal.issues ?? [])
			console.error(`  ${formatIssue({ row: i.row ?? 0, column: i.column ?? '', message: i.message })}`);
		process.exitCode = 1;
		return;
	}
	console.log(
		`${file}: ${plural(result.value.rows, 'rij', 'rijen')} gelezen; ${dutchCount(result.value.added)} toegevoegd, ${dutchCount(result.value.replaced)} vervangen, ${dutchCount(result.value.unchanged)} ongewijzigd (programma ${programme.slug}).`
	);
});
