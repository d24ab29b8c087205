import { seedDemo } from '../services/demo.service.ts';
import { runCli } from './run.ts';

await runCli(async ({ db }) => {
	const n = await seedDemo(db);
	console.log(`${n} demo-metingen aangeboden (bestaande metingen blijven ongemoeid); alle gemarkeerd als demo.`);
});
