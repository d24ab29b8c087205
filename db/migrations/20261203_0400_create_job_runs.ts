import type { Kysely } from 'kysely';
import { withId } from '../schema-helpers.ts';

/**
 * Scheduled work (reminders, each reminder e-mail, session cleanup), claimed once per run key across every
 * server: the unique key decides who does it, the row says who did and how it ended.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await withId(db, db.schema.createTable('job_runs'))
		.addColumn('job', 'text', (c) => c.notNull())
		.addColumn('run_key', 'text', (c) => c.notNull())
		.addColumn('started_at', 'text', (c) => c.notNull())
		.addColumn('finished_at', 'text')
		.addColumn('host', 'text', (c) => c.notNull())
		.addColumn('pid', 'integer', (c) => c.notNull())
		.addColumn('outcome', 'text')
		.addColumn('counts', 'text')
		.addUniqueConstraint('job_runs_job_run_key', ['job', 'run_key'])
		.execute();
	await db.schema.createIndex('job_runs_started_at').on('job_runs').column('started_at').execute();
}

export async function down(): Promise<void> {
	throw new Error('Migrations are forward-only.');
}
