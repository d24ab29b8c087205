import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import { withId, notNull } from '../schema-helpers.ts';

/**
 * The whole Kwaliteitskompas model of DESIGN.md in one go, so later work adds columns rather than re-models.
 * Conventions: ISO-8601 text for dates and times, integer 0/1 for booleans, JSON as text, `version` for optimistic locking.
 */
export async function up(db: Kysely<any>): Promise<void> {
	const now = sql`CURRENT_TIMESTAMP`;
	type Builder = CreateTableBuilder<string, any>;
	const table = (name: string): Builder => withId(db, db.schema.createTable(name));
	const audited = (t: Builder): Builder =>
		t
			.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
			.addColumn('created_at', 'text', (c) => c.notNull().defaultTo(now))
			.addColumn('updated_at', 'text', (c) => c.notNull().defaultTo(now));

	await table('programmes')
		.addColumn('slug', 'text', (c) => c.notNull().unique())
		.addColumn('name', 'text', notNull)
		.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('start_date', 'text', notNull)
		.addColumn('source', 'text', (c) => c.notNull().defaultTo(''))
		.$call(audited)
		.execute();

	await table('regions')
		.addColumn('programme_id', 'integer', (c) => c.notNull().references('programmes.id').onDelete('cascade'))
		.addColumn('parent_id', 'integer', (c) => c.references('regions.id'))
		.addColumn('slug', 'text', notNull)
		.addColumn('name', 'text', notNull)
		.addColumn('kind', 'text', notNull)
		.addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
		.addUniqueConstraint('regions_programme_slug', ['programme_id', 'slug'])
		.execute();

	await table('organisations')
		.addColumn('programme_id', 'integer', (c) => c.notNull().references('programmes.id').onDelete('cascade'))
		.addColumn('region_id', 'integer', (c) => c.references('regions.id'))
		.addColumn('name', 'text', notNull)
		.addColumn('kind', 'text', notNull)
		.addColumn('archived_at', 'text')
		.addUniqueConstraint('organisations_programme_name', ['programme_id', 'name'])
		.execute();

	// Plan nodes: Beleid (ambitions, outcomes) and Uitvoering (themes > next steps > solutions).
	const node = (name: string) =>
		table(name)
			.addColumn('programme_id', 'integer', (c) => c.notNull().references('programmes.id').onDelete('cascade'))
			.addColumn('code', 'text', notNull)
			.addColumn('title', 'text', notNull)
			.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
			.addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
			.addColumn('archived_at', 'text')
			.addUniqueConstraint(`${name}_programme_code`, ['programme_id', 'code']);

	await node('ambitions').$call(audited).execute();
	await node('outcomes').$call(audited).execute();
	await node('themes')
		.addColumn('number', 'integer', notNull)
		.addColumn('level', 'integer')
		.addColumn('trend', 'text')
		.$call(audited)
		.execute();
	await node('next_steps')
		.addColumn('theme_id', 'integer', (c) => c.notNull().references('themes.id'))
		.addColumn('goal', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('impact', 'text', (c) => c.notNull().defaultTo(''))
		.$call(audited)
		.execute();
	await node('solutions')
		.addColumn('next_step_id', 'integer', (c) => c.notNull().references('next_steps.id'))
		.$call(audited)
		.execute();

	await table('indicators')
		.addColumn('programme_id', 'integer', (c) => c.notNull().references('programmes.id').onDelete('cascade'))
		.addColumn('code', 'text', notNull)
		.addColumn('library_code', 'text')
		// exactly one of the five node references is set (checked below)
		.addColumn('ambition_id', 'integer', (c) => c.references('ambitions.id'))
		.addColumn('outcome_id', 'integer', (c) => c.references('outcomes.id'))
		.addColumn('theme_id', 'integer', (c) => c.references('themes.id'))
		.addColumn('next_step_id', 'integer', (c) => c.references('next_steps.id'))
		.addColumn('solution_id', 'integer', (c) => c.references('solutions.id'))
		.addColumn('name', 'text', notNull)
		.addColumn('definition', 'text', notNull)
		.addColumn('kind', 'text', notNull)
		.addColumn('unit', 'text', notNull)
		.addColumn('direction', 'text', notNull)
		.addColumn('rba', 'text', notNull)
		.addColumn('target_group', 'text', notNull)
		.addColumn('source', 'text', notNull)
		.addColumn('method', 'text', notNull)
		.addColumn('frequency', 'text', notNull)
		.addColumn('aggregation', 'text', notNull)
		.addColumn('owner', 'text')
		.addColumn('baseline_value', 'double precision')
		.addColumn('baseline_date', 'text')
		.addColumn('baseline_source', 'text')
		.addColumn('baseline_demo', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('target_value', 'double precision')
		.addColumn('target_date', 'text')
		.addColumn('target_demo', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('derived', 'text')
		.addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('archived_at', 'text')
		.$call(audited)
		.addUniqueConstraint('indicators_programme_code', ['programme_id', 'code'])
		.addCheckConstraint(
			'indicators_one_node',
			sql`(CASE WHEN ambition_id IS NULL THEN 0 ELSE 1 END + CASE WHEN outcome_id IS NULL THEN 0 ELSE 1 END
			   + CASE WHEN theme_id IS NULL THEN 0 ELSE 1 END + CASE WHEN next_step_id IS NULL THEN 0 ELSE 1 END
			   + CASE WHEN solution_id IS NULL THEN 0 ELSE 1 END) = 1`
		)
		.execute();

	await table('users')
		.addColumn('email', 'text', (c) => c.notNull().unique())
		.addColumn('name', 'text', notNull)
		.addColumn('password_hash', 'text', notNull)
		.addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('disabled_at', 'text')
		.$call(audited)
		.execute();

	await table('memberships')
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('programme_id', 'integer', (c) => c.notNull().references('programmes.id').onDelete('cascade'))
		.addColumn('role', 'text', notNull)
		.addColumn('created_at', 'text', (c) => c.notNull().defaultTo(now))
		.addUniqueConstraint('memberships_user_programme', ['user_id', 'programme_id'])
		.execute();

	await table('sessions')
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('created_at', 'text', notNull)
		.addColumn('last_seen_at', 'text', notNull)
		.addColumn('expires_at', 'text', notNull)
		.execute();

	await table('api_tokens')
		.addColumn('programme_id', 'integer', (c) => c.notNull().references('programmes.id').onDelete('cascade'))
		.addColumn('role', 'text', notNull)
		.addColumn('name', 'text', notNull)
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('created_by', 'integer', (c) => c.references('users.id'))
		.addColumn('created_at', 'text', (c) => c.notNull().defaultTo(now))
		.addColumn('revoked_at', 'text')
		.execute();

	await table('measurements')
		.addColumn('indicator_id', 'integer', (c) => c.notNull().references('indicators.id'))
		.addColumn('region_id', 'integer', (c) => c.notNull().references('regions.id'))
		.addColumn('date', 'text', notNull)
		.addColumn('value', 'double precision')
		.addColumn('text', 'text')
		.addColumn('n', 'integer')
		.addColumn('source', 'text')
		.addColumn('note', 'text')
		.addColumn('status', 'text', (c) => c.notNull().defaultTo('submitted'))
		.addColumn('review_comment', 'text')
		.addColumn('demo', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('created_by', 'integer', (c) => c.references('users.id'))
		.addColumn('reviewed_by', 'integer', (c) => c.references('users.id'))
		.$call(audited)
		.addUniqueConstraint('measurements_indicator_region_date', ['indicator_id', 'region_id', 'date'])
		.execute();

	await table('school_years')
		.addColumn('programme_id', 'integer', (c) => c.notNull().references('programmes.id').onDelete('cascade'))
		.addColumn('name', 'text', notNull)
		.addUniqueConstraint('school_years_programme_name', ['programme_id', 'name'])
		.execute();

	await table('phases')
		.addColumn('programme_id', 'integer', (c) => c.notNull().references('programmes.id').onDelete('cascade'))
		.addColumn('school_year_id', 'integer', (c) => c.notNull().references('school_years.id').onDelete('cascade'))
		.addColumn('name', 'text', notNull)
		.addColumn('start_date', 'text', notNull)
		.addColumn('end_date', 'text', notNull)
		.addColumn('evaluation_date', 'text', notNull)
		.addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();

	await table('evaluations')
		.addColumn('next_step_id', 'integer', (c) => c.notNull().references('next_steps.id'))
		.addColumn('phase_id', 'integer', (c) => c.notNull().references('phases.id'))
		.addColumn('state', 'text', (c) => c.notNull().defaultTo('draft'))
		.addColumn('status', 'text')
		.addColumn('done', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('story', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('learnings', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('decision', 'text')
		.addColumn('snapshot', 'text')
		.addColumn('finalised_at', 'text')
		.addColumn('finalised_by', 'integer', (c) => c.references('users.id'))
		.addColumn('created_by', 'integer', (c) => c.references('users.id'))
		.$call(audited)
		.addUniqueConstraint('evaluations_step_phase', ['next_step_id', 'phase_id'])
		.execute();

	await table('evaluation_follow_ups')
		.addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluations.id').onDelete('cascade'))
		.addColumn('description', 'text', notNull)
		.addColumn('owner', 'text', notNull)
		.addColumn('deadline', 'text', notNull)
		.addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();

	await table('actions')
		.addColumn('programme_id', 'integer', (c) => c.notNull().references('programmes.id').onDelete('cascade'))
		.addColumn('date', 'text', notNull)
		.addColumn('next_step_id', 'integer', (c) => c.notNull().references('next_steps.id'))
		.addColumn('solution_id', 'integer', (c) => c.references('solutions.id'))
		.addColumn('kind', 'text', notNull)
		.addColumn('organisation_id', 'integer', (c) => c.references('organisations.id'))
		.addColumn('region_id', 'integer', (c) => c.notNull().references('regions.id'))
		.addColumn('reached_jongeren', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('reached_ouders', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('reached_professionals', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('description', 'text', notNull)
		.addColumn('quote', 'text')
		.addColumn('quote_public', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('author_id', 'integer', (c) => c.references('users.id'))
		.addColumn('idempotency_key', 'text', (c) => c.unique())
		.addColumn('demo', 'integer', (c) => c.notNull().defaultTo(0))
		.$call(audited)
		.execute();

	await table('audit_log')
		.addColumn('at', 'text', (c) => c.notNull().defaultTo(now))
		.addColumn('user_id', 'integer', (c) => c.references('users.id'))
		.addColumn('programme_id', 'integer', (c) => c.references('programmes.id').onDelete('set null'))
		.addColumn('entity', 'text', notNull)
		.addColumn('entity_id', 'integer')
		.addColumn('action', 'text', notNull)
		.addColumn('before', 'text')
		.addColumn('after', 'text')
		.execute();

	const index = (name: string, on: string, cols: string[]) =>
		db.schema.createIndex(name).on(on).columns(cols).execute();
	await index('regions_parent', 'regions', ['parent_id']);
	await index('next_steps_theme', 'next_steps', ['theme_id']);
	await index('solutions_next_step', 'solutions', ['next_step_id']);
	await index('indicators_programme', 'indicators', ['programme_id', 'sort_order']);
	await index('measurements_region_date', 'measurements', ['region_id', 'date']);
	await index('memberships_programme', 'memberships', ['programme_id']);
	await index('sessions_user', 'sessions', ['user_id']);
	await index('phases_programme_start', 'phases', ['programme_id', 'start_date']);
	await index('evaluations_phase', 'evaluations', ['phase_id']);
	await index('actions_programme_date', 'actions', ['programme_id', 'date']);
	await index('actions_next_step', 'actions', ['next_step_id', 'date']);
	await index('actions_solution', 'actions', ['solution_id', 'date']);
	await index('audit_programme_at', 'audit_log', ['programme_id', 'at']);
}

export async function down(): Promise<void> {
	throw new Error('Migrations are forward-only.');
}
