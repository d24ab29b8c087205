import type { Kysely } from 'kysely';
import { notNull, withId } from '../schema-helpers.ts';

/**
 * Anonymous polls (peilingen, issue 18). A programme's poll templates live in its plan (JSON on the
 * programme's row, `poll.ts` `PollTemplate[]`), like its dimensions; `poll_retention_days` says how long
 * the raw answers of a closed poll are kept (default 90). A poll holds a snapshot of its template's
 * questions, so a later plan change never alters what respondents answered. `answer_count` is the
 * atomic gate for the answer limit and the closing (one row lock decides, on every server).
 *
 * `poll_responses` is the only table about respondents and holds nothing personal by design: the hash of
 * a random per-device token salted with the poll (so answers to two polls cannot be linked), the answers
 * and the optional open answer. No address, user agent, name, e-mail or time of answering.
 * Measurements made by closing a poll name it (`measurements.poll_id`): they come from a poll, not typed.
 */
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('programmes').addColumn('poll_templates', 'text').execute();
	await db.schema
		.alterTable('programmes')
		.addColumn('poll_retention_days', 'integer', (c) => c.notNull().defaultTo(90))
		.execute();

	await withId(db, db.schema.createTable('polls'))
		.addColumn('programme_id', 'integer', (c) => c.notNull().references('programmes.id').onDelete('cascade'))
		.addColumn('region_id', 'integer', (c) => c.notNull().references('regions.id'))
		.addColumn('template_key', 'text', notNull)
		.addColumn('name', 'text', notNull)
		.addColumn('date', 'text', notNull)
		.addColumn('code', 'text', (c) => c.notNull().unique())
		.addColumn('questions', 'text', notNull)
		.addColumn('open_question', 'text')
		.addColumn('max_answers', 'integer', notNull)
		.addColumn('answer_count', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('closes_at', 'text', notNull)
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
		.addColumn('closed_at', 'text')
		.addColumn('closed_by', 'integer', (c) => c.references('users.id'))
		.addColumn('results', 'text')
		.addColumn('outcome', 'text')
		.addColumn('answers_deleted_at', 'text')
		.addColumn('demo', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('created_by', 'integer', (c) => c.references('users.id'))
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('created_at', 'text', notNull)
		.addColumn('updated_at', 'text', notNull)
		.execute();
	await db.schema.createIndex('polls_programme_date').on('polls').columns(['programme_id', 'date']).execute();
	await db.schema.createIndex('polls_status_closes').on('polls').columns(['status', 'closes_at']).execute();

	await withId(db, db.schema.createTable('poll_responses'))
		.addColumn('poll_id', 'integer', (c) => c.notNull().references('polls.id').onDelete('cascade'))
		.addColumn('device_hash', 'text', notNull)
		.addColumn('answers', 'text', notNull)
		.addColumn('open_answer', 'text')
		.addUniqueConstraint('poll_responses_poll_device', ['poll_id', 'device_hash'])
		.execute();

	await db.schema
		.alterTable('measurements')
		.addColumn('poll_id', 'integer', (c) => c.references('polls.id'))
		.execute();
}

export async function down(): Promise<void> {
	throw new Error('Migrations are forward-only.');
}
