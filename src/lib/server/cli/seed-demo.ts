import { seedDemo } from '../services/demo.service.ts';
import { runCli } from './run.ts';

await runCli(async ({ db }) => {
	const n = await seedDemo(db);
	console.log(`${n.measurements} demo-metingen aangeboden (bestaande metingen blijven ongemoeid) en ${n.actions} demo-acties toegevoegd (alleen bij programma's zonder acties); alle gemarkeerd als demo.`);
});
