import { plural } from '../../domain/dutch-format.ts';
import { readPlanFile } from '../plan-files.ts';
import { loadPlan } from '../services/plan-loader.service.ts';
import { warningLine } from '../../domain/plan-validation.ts';
import { runCli } from './run.ts';

const files = process.argv.slice(2);
if (files.length === 0) {
	console.error('Gebruik: npm run plan:load -- indicators/<programma>.yaml [meer bestanden]');
	process.exit(2);
}

await runCli(async ({ db }) => {
	// validate every file before loading any, so a broken file changes nothing
	const plans = files.map((file) => ({ file, ...readPlanFile(file) }));
	for (const { file, plan, library } of plans) {
		const s = await loadPlan(db, plan, library);
		console.log(
			`${file}: ${s.programme} geladen, ${plural(s.nodes, 'knooppunt', 'knooppunten')}, ${plural(s.indicators, 'indicator', 'indicatoren')}, ${plural(s.regions, 'regio', "regio's")}.`
		);
		for (const w of s.warnings) console.log(warningLine(w));
	}
});
