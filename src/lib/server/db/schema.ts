import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { ActionKind } from '../../domain/action.ts';
import type { Decision, EvaluationState, EvaluationStatus } from '../../domain/evaluation.ts';
import type { MeasurementStatus } from '../../domain/measurement.ts';
import type { Role } from '../../domain/permissions.ts';
import type { PollStatus } from '../../domain/poll.ts';
import type { Aggregation, Direction, Frequency, IndicatorKind, RbaCategory, Unit } from '../../domain/plan.schema.ts';

/**
 * Table types. Dates are ISO text, booleans integer 0/1, JSON as text — the same on SQLite and PostgreSQL.
 * Columns that hold one of a fixed set of values are typed with the domain's union: the code writes only
 * those (zod checks every input), so a read needs no cast.
 */
type Id = Generated<number>;
type Bool = number;
type Stamp = ColumnType<string, string | undefined, string>;
type Version = ColumnType<number, number | undefined, number>;

interface Audited {
	version: Version;
	created_at: Stamp;
	updated_at: Stamp;
}

export interface ProgrammeTable extends Audited {
	id: Id;
	slug: string;
	name: string;
	description: string;
	start_date: string;
	source: string;
	/** JSON of the programme's dimensions with their values (breakdown.ts `Dimension[]`); null = none */
	dimensions: string | null;
	/** the smallest group whose figure is shown (small-groups.ts), default 10 */
	min_group_size: Generated<number>;
	/** JSON of the programme's poll templates (poll.ts `PollTemplate[]`); null = none */
	poll_templates: string | null;
	/** days a closed poll's raw answers are kept before the housekeeping deletes them, default 90 */
	poll_retention_days: Generated<number>;
}

export interface RegionTable {
	id: Id;
	programme_id: number;
	parent_id: number | null;
	slug: string;
	name: string;
	kind: string;
	sort_order: number;
}

export interface OrganisationTable {
	id: Id;
	programme_id: number;
	region_id: number | null;
	name: string;
	kind: string;
	archived_at: string | null;
	version: Version;
}

interface NodeColumns extends Audited {
	id: Id;
	programme_id: number;
	code: string;
	title: string;
	description: string;
	sort_order: number;
	archived_at: string | null;
}

export type AmbitionTable = NodeColumns;
export type OutcomeTable = NodeColumns;
export interface ThemeTable extends NodeColumns {
	number: number;
	level: number | null;
	/** perspectives on the system map, comma-separated in PERSPECTIVES order (system-map.ts); null = none given */
	perspectives: string | null;
	trend: string | null;
}
export interface NextStepTable extends NodeColumns {
	theme_id: number;
	goal: string;
	impact: string;
	level: number | null;
	perspectives: string | null;
	trend: string | null;
}
export interface SolutionTable extends NodeColumns {
	next_step_id: number;
}

export interface IndicatorTable extends Audited {
	id: Id;
	programme_id: number;
	code: string;
	library_code: string | null;
	ambition_id: number | null;
	outcome_id: number | null;
	theme_id: number | null;
	next_step_id: number | null;
	solution_id: number | null;
	name: string;
	definition: string;
	kind: IndicatorKind;
	unit: Unit;
	direction: Direction;
	rba: RbaCategory;
	target_group: string;
	source: string;
	method: string;
	frequency: Frequency;
	aggregation: Aggregation;
	owner: string | null;
	baseline_value: number | null;
	baseline_date: string | null;
	baseline_source: string | null;
	baseline_demo: Bool;
	/** the area the baseline was measured for: a region slug, `nederland`; null = the programme's own */
	baseline_region: string | null;
	target_value: number | null;
	target_date: string | null;
	target_demo: Bool;
	/** JSON of the period targets between baseline and target (`parsePeriodTargets`), null = none */
	targets: string | null;
	/** JSON of the derivation rule, null for measured indicators */
	derived: string | null;
	/** how long a value stays valid, in months; null = by the frequency (validity.ts) */
	valid_months: number | null;
	/** values of every region compare with the baseline, whatever its scope */
	comparable: Generated<Bool>;
	/** shown among the key indicators on the dashboard */
	key_indicator: Generated<Bool>;
	/** validation rules (value-rules.ts): allowed range and largest change; null = no rule */
	rule_min: number | null;
	rule_max: number | null;
	rule_max_change: number | null;
	/** JSON list of the dimension keys the indicator is split by (breakdown.ts); null = none */
	dimensions: string | null;
	/** JSON of baseline and target per category (breakdown.ts `CategoryTarget[]`); null = none */
	category_targets: string | null;
	sort_order: number;
	archived_at: string | null;
}

export interface MeasurementTable extends Audited {
	id: Id;
	indicator_id: number;
	region_id: number;
	date: string;
	value: number | null;
	text: string | null;
	n: number | null;
	source: string | null;
	note: string | null;
	status: MeasurementStatus;
	review_comment: string | null;
	/** JSON list of Dutch reasons for the reviewer (value-rules.ts `storeFlags`); null = none */
	review_flags: string | null;
	/** JSON of the values per category (breakdown.ts `CategoryValue[]`); null = the total only */
	categories: string | null;
	/** the poll whose closing made it (issue 18); null = typed, imported or derived */
	poll_id: ColumnType<number | null, number | null | undefined, number | null>;
	demo: Bool;
	created_by: number | null;
	reviewed_by: number | null;
	reviewed_at: string | null;
}

export interface UserTable extends Audited {
	id: Id;
	email: string;
	name: string;
	password_hash: string;
	is_admin: Bool;
	disabled_at: string | null;
}

export interface MembershipTable {
	id: Id;
	user_id: number;
	programme_id: number;
	role: Role;
	created_at: Stamp;
}

export interface SessionTable {
	id: Id;
	user_id: number;
	token_hash: string;
	created_at: string;
	last_seen_at: string;
	expires_at: string;
}

export interface ApiTokenTable {
	id: Id;
	programme_id: number;
	role: Role;
	name: string;
	token_hash: string;
	created_by: number | null;
	created_at: Stamp;
	revoked_at: string | null;
}

export interface SchoolYearTable {
	id: Id;
	programme_id: number;
	name: string;
	version: Version;
}

export interface PhaseTable {
	id: Id;
	programme_id: number;
	school_year_id: number;
	name: string;
	start_date: string;
	end_date: string;
	evaluation_date: string;
	sort_order: number;
}

export interface EvaluationTable extends Audited {
	id: Id;
	next_step_id: number;
	phase_id: number;
	state: EvaluationState;
	status: EvaluationStatus | null;
	done: string;
	story: string;
	learnings: string;
	decision: Decision | null;
	snapshot: string | null;
	finalised_at: string | null;
	finalised_by: number | null;
	created_by: number | null;
}

export interface EvaluationFollowUpTable {
	id: Id;
	evaluation_id: number;
	description: string;
	owner: string;
	deadline: string;
	done: Bool;
	sort_order: number;
}

export interface ActionTable extends Audited {
	id: Id;
	programme_id: number;
	date: string;
	next_step_id: number;
	solution_id: number | null;
	kind: ActionKind;
	organisation_id: number | null;
	region_id: number;
	reached_jongeren: number;
	reached_ouders: number;
	reached_professionals: number;
	description: string;
	quote: string | null;
	quote_public: Bool;
	author_id: number | null;
	idempotency_key: string | null;
	demo: Bool;
	/** set when deleted: the row stays so its idempotency key still answers a late resubmission */
	deleted_at: string | null;
}

export interface AuditLogTable {
	id: Id;
	at: Stamp;
	user_id: number | null;
	/** set instead of user_id when the change was made with an API token */
	api_token_id: number | null;
	programme_id: number | null;
	entity: string;
	entity_id: number | null;
	action: string;
	before: string | null;
	after: string | null;
}

export interface LoginAttemptTable {
	id: Id;
	key: string;
	at: string;
}

export type PasswordTokenPurpose = 'invite' | 'reset';

/** A one-time link to set a password; only the token's hash is stored. */
export interface PasswordTokenTable {
	id: Id;
	user_id: number;
	token_hash: string;
	purpose: PasswordTokenPurpose;
	created_at: string;
	expires_at: string;
	used_at: string | null;
}

export type JobOutcome = 'ok' | 'failed';

/** One claimed run of a scheduled job; `outcome` null while it runs (or when its process died). */
export interface JobRunTable {
	id: Id;
	job: string;
	run_key: string;
	started_at: string;
	finished_at: string | null;
	host: string;
	pid: number;
	outcome: JobOutcome | null;
	/** JSON: what the run did, e.g. {"sent":1,"skipped":1} */
	counts: string | null;
}

/**
 * Rises with every change to what a programme's progress is computed from (kept by triggers, migration
 * 20261204_0050); bigint, so PostgreSQL returns it as a string.
 */
export interface ProgrammeVersionTable {
	programme_id: number;
	version: number | string;
}

/** An anonymous poll (peiling, issue 18): a snapshot of its template's questions, for one region and date. */
export interface PollTable {
	id: Id;
	programme_id: number;
	region_id: number;
	template_key: string;
	name: string;
	/** the date its measurements carry (ISO) */
	date: string;
	/** the unguessable code of its public link `/peiling/{code}` */
	code: string;
	/** JSON of the questions as asked (poll.ts `PollQuestion[]`) */
	questions: string;
	/** the open question's text when switched on for this poll; null = off */
	open_question: string | null;
	max_answers: number;
	/** answers received; raised in the same transaction as each answer (the limit's atomic gate) */
	answer_count: Generated<number>;
	/** when it closes by itself (ISO timestamp) */
	closes_at: string;
	status: PollStatus;
	closed_at: string | null;
	closed_by: number | null;
	/** JSON of the counts per question at closing (poll-results.ts `PollTally`), kept after the raw answers go */
	results: string | null;
	/** JSON of what closing made: the measurements and the questions it skipped, with why */
	outcome: string | null;
	/** when the retention job deleted its raw answers; null = still held */
	answers_deleted_at: string | null;
	demo: Generated<Bool>;
	created_by: number | null;
	version: Version;
	created_at: string;
	updated_at: string;
}

/** One respondent's answers. Nothing personal: a salted hash of a random device token, no time, no address. */
export interface PollResponseTable {
	id: Id;
	poll_id: number;
	device_hash: string;
	/** JSON: question key → answer (poll.ts `PollAnswers`) */
	answers: string;
	open_answer: string | null;
}

export interface Database {
	polls: PollTable;
	poll_responses: PollResponseTable;
	job_runs: JobRunTable;
	programme_versions: ProgrammeVersionTable;
	login_attempts: LoginAttemptTable;
	password_tokens: PasswordTokenTable;
	programmes: ProgrammeTable;
	regions: RegionTable;
	organisations: OrganisationTable;
	ambitions: AmbitionTable;
	outcomes: OutcomeTable;
	themes: ThemeTable;
	next_steps: NextStepTable;
	solutions: SolutionTable;
	indicators: IndicatorTable;
	measurements: MeasurementTable;
	users: UserTable;
	memberships: MembershipTable;
	sessions: SessionTable;
	api_tokens: ApiTokenTable;
	school_years: SchoolYearTable;
	phases: PhaseTable;
	evaluations: EvaluationTable;
	evaluation_follow_ups: EvaluationFollowUpTable;
	actions: ActionTable;
	audit_log: AuditLogTable;
}

export type JobRun = Selectable<JobRunTable>;
export type Programme = Selectable<ProgrammeTable>;
export type Poll = Selectable<PollTable>;
export type Region = Selectable<RegionTable>;
export type Indicator = Selectable<IndicatorTable>;
export type NewIndicator = Insertable<IndicatorTable>;
export type IndicatorUpdate = Updateable<IndicatorTable>;
export type Measurement = Selectable<MeasurementTable>;
export type NewMeasurement = Insertable<MeasurementTable>;
export type Phase = Selectable<PhaseTable>;
