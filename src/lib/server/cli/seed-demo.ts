import { plural } from '../../domain/dutch-format.ts';
import { seedDemo } from '../services/demo.service.ts';
import { runCli } from './run.ts';

await runCli(async ({ db }) => {
	const n = await seedDemo(db);
	console.log(
		`${plural(n.measurements, 'demo-meting', 'demo-metingen')} aangeboden (bestaande metingen blijven ongemoeid) en ${plural(n.actions, 'demo-actie', 'demo-acties')} toegevoegd (alleen bij programma's zonder acties); alle gemarkeerd als demo.`
	);
});
