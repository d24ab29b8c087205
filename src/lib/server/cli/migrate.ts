import { runCli } from './run.ts';

await runCli(async (db) => console.log(`Database (${db.dialect}) is bijgewerkt naar de laatste migratie.`));
