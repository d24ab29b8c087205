import type { Migration } from 'kysely';
import * as createModel from './20261123_0001_create_model.ts';
import * as createLoginAttempts from './20261123_0300_create_login_attempts.ts';
import * as addMeasurementReview from './20261123_0400_add_measurement_review.ts';
import * as addSchoolYearVersion from './20261123_0500_add_school_year_version.ts';
import * as addActionLogColumns from './20261123_0600_add_action_log_columns.ts';
import * as addProgressIndexes from './20261123_0700_add_progress_indexes.ts';
import * as addAuditApiToken from './20261124_0100_add_audit_api_token.ts';
import * as addIndicatorValidity from './20261203_0100_add_indicator_validity.ts';
import * as addIndicatorTargets from './20261203_0200_add_indicator_targets.ts';
import * as addSystemMapPlacement from './20261203_0300_add_system_map_placement.ts';
import * as createJobRuns from './20261203_0400_create_job_runs.ts';
import * as addApprovedLatestIndex from './20261203_1000_add_approved_latest_index.ts';
import * as addProgrammeVersions from './20261204_0050_add_programme_versions.ts';
import * as addValueRules from './20261204_0100_add_value_rules.ts';
import * as createPasswordTokens from './20261204_0100_create_password_tokens.ts';
import * as addAuditFilterIndexes from './20261204_0500_add_audit_filter_indexes.ts';
import * as addBreakdowns from './20261204_0600_add_breakdowns.ts';
import * as createPolls from './20261204_0700_create_polls.ts';

/**
 * Every migration, imported explicitly so it survives bundling (FileMigrationProvider reads the
 * file system at run time, which the built server does not have). Append new migrations here.
 */
export const migrations: Record<string, Migration> = {
	'20261123_0001_create_model': createModel,
	'20261123_0300_create_login_attempts': createLoginAttempts,
	'20261123_0400_add_measurement_review': addMeasurementReview,
	'20261123_0500_add_school_year_version': addSchoolYearVersion,
	'20261123_0600_add_action_log_columns': addActionLogColumns,
	'20261123_0700_add_progress_indexes': addProgressIndexes,
	'20261124_0100_add_audit_api_token': addAuditApiToken,
	'20261203_0100_add_indicator_validity': addIndicatorValidity,
	'20261203_0200_add_indicator_targets': addIndicatorTargets,
	'20261203_0300_add_system_map_placement': addSystemMapPlacement,
	'20261203_0400_create_job_runs': createJobRuns,
	'20261203_1000_add_approved_latest_index': addApprovedLatestIndex,
	'20261204_0050_add_programme_versions': addProgrammeVersions,
	'20261204_0100_add_value_rules': addValueRules,
	'20261204_0100_create_password_tokens': createPasswordTokens,
	'20261204_0500_add_audit_filter_indexes': addAuditFilterIndexes,
	'20261204_0600_add_breakdowns': addBreakdowns,
	'20261204_0700_create_polls': createPolls
};
