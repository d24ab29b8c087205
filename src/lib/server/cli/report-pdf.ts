import { parseArgs } from 'node:util';
import { plural } from '../../domain/dutch-format.ts';
import { env } from '../env.ts';
import { PdfError, printReportPdf } from '../services/report-pdf.service.ts';
import { runCli } from './run.ts';

const { values } = parseArgs({
	options: {
		programme: { type: 'string' },
		region: { type: 'string' },
		phase: { type: 'string' },
		out: { type: 'string' },
		url: { type: 'string' }
	}
});

if (!values.programme || !values.out?.endsWith('.pdf')) {
	console.error(
		'Gebruik: npm run report -- --programme SLUG [--region REGIO] [--phase FASE-ID|SCHOOLJAAR] --out BESTAND.pdf [--url http://draaiende-server]'
	);
	process.exit(2);
}

await runCli(async (db) => {
	try {
		const pages = await printReportPdf(db.db, {
			databaseUrl: env().DATABASE_URL,
			programme: values.programme!,
			region: values.region,
			phase: values.phase,
			out: values.out!,
			baseUrl: values.url,
			chromium: env().CHROMIUM_PATH,
			buildDir: env().BUILD_DIR
		});
		console.log(`Rapport geschreven naar ${values.out} (${plural(pages, 'pagina', "pagina's")} A4)`);
	} catch (e) {
		if (!(e instanceof PdfError)) throw e;
		console.error(e.message);
		process.exitCode = 1;
	}
});
