import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/lib/domain/result.ts';
import type * as actionOptions from '../../src/lib/server/services/action-options.service.ts';
import type * as adminOverview from '../../src/lib/server/services/admin-overview.service.ts';
import type * as action from '../../src/lib/server/services/action.service.ts';
import type * as audit from '../../src/lib/server/services/audit.service.ts';
import type * as auth from '../../src/lib/server/services/auth.service.ts';
import type * as dashboard from '../../src/lib/server/services/dashboard.service.ts';
import type * as demo from '../../src/lib/server/services/demo.service.ts';
import type * as dimensionEdit from '../../src/lib/server/services/dimension-edit.service.ts';
import type * as derived from '../../src/lib/server/services/derived.service.ts';
import type * as due from '../../src/lib/server/services/due.service.ts';
import type * as evaluationOverview from '../../src/lib/server/services/evaluation-overview.service.ts';
import type * as evaluation from '../../src/lib/server/services/evaluation.service.ts';
import type * as housekeeping from '../../src/lib/server/services/housekeeping.service.ts';
import type * as job from '../../src/lib/server/services/job.service.ts';
import type * as indicatorBreakdown from '../../src/lib/server/services/indicator-breakdown.service.ts';
import type * as indicatorPage from '../../src/lib/server/services/indicator-page.service.ts';
import type * as outsidePhases from '../../src/lib/server/services/outside-phases.service.ts';
import type * as passwordLink from '../../src/lib/server/services/password-link.service.ts';
import type * as indicatorEdit from '../../src/lib/server/services/indicator-edit.service.ts';
import type * as kompas from '../../src/lib/server/services/kompas.service.ts';
import type * as measurementExport from '../../src/lib/server/services/measurement-export.service.ts';
import type * as measurementImport from '../../src/lib/server/services/measurement-import.service.ts';
import type * as measurementList from '../../src/lib/server/services/measurement-list.service.ts';
import type * as measurementReview from '../../src/lib/server/services/measurement-review.service.ts';
import type * as measurement from '../../src/lib/server/services/measurement.service.ts';
import type * as organisation from '../../src/lib/server/services/organisation.service.ts';
import type * as overview from '../../src/lib/server/services/overview.service.ts';
import type * as phase from '../../src/lib/server/services/phase.service.ts';
import type * as planEdit from '../../src/lib/server/services/plan-edit.service.ts';
import type * as planExport from '../../src/lib/server/services/plan-export.service.ts';
import type * as planLoader from '../../src/lib/server/services/plan-loader.service.ts';
import type * as pollAnswer from '../../src/lib/server/services/poll-answer.service.ts';
import type * as pollClose from '../../src/lib/server/services/poll-close.service.ts';
import type * as poll from '../../src/lib/server/services/poll.service.ts';
import type * as programmeAdmin from '../../src/lib/server/services/programme-admin.service.ts';
import type * as progress from '../../src/lib/server/services/progress.service.ts';
import type * as readiness from '../../src/lib/server/services/readiness.service.ts';
import type * as reminder from '../../src/lib/server/services/reminder.service.ts';
import type * as reportPdf from '../../src/lib/server/services/report-pdf.service.ts';
import type * as report from '../../src/lib/server/services/report.service.ts';
import type * as snapshot from '../../src/lib/server/services/snapshot.service.ts';
import type * as story from '../../src/lib/server/services/story.service.ts';
import type * as systemMap from '../../src/lib/server/services/system-map.service.ts';
import type * as user from '../../src/lib/server/services/user.service.ts';

/**
 * Every service speaks one result shape. Two checks: at type level (`npm run check`), every exported service
 * function whose answer has an `ok` is a `Result<T>`; at run time, no service spells a result by hand, so a
 * new shape cannot creep in through a local type or literal.
 */

const SERVICES_DIR = join(import.meta.dirname, '../../src/lib/server/services');

type Services = {
	'action-options': typeof actionOptions;
	'admin-overview': typeof adminOverview;
	action: typeof action;
	audit: typeof audit;
	auth: typeof auth;
	dashboard: typeof dashboard;
	demo: typeof demo;
	'dimension-edit': typeof dimensionEdit;
	derived: typeof derived;
	due: typeof due;
	'evaluation-overview': typeof evaluationOverview;
	evaluation: typeof evaluation;
	housekeeping: typeof housekeeping;
	job: typeof job;
	'indicator-breakdown': typeof indicatorBreakdown;
	'indicator-edit': typeof indicatorEdit;
	'indicator-page': typeof indicatorPage;
	kompas: typeof kompas;
	'measurement-export': typeof measurementExport;
	'measurement-import': typeof measurementImport;
	'measurement-list': typeof measurementList;
	'measurement-review': typeof measurementReview;
	measurement: typeof measurement;
	organisation: typeof organisation;
	'outside-phases': typeof outsidePhases;
	'password-link': typeof passwordLink;
	overview: typeof overview;
	phase: typeof phase;
	'plan-edit': typeof planEdit;
	'plan-export': typeof planExport;
	'plan-loader': typeof planLoader;
	'poll-answer': typeof pollAnswer;
	'poll-close': typeof pollClose;
	poll: typeof poll;
	'programme-admin': typeof programmeAdmin;
	progress: typeof progress;
	readiness: typeof readiness;
	reminder: typeof reminder;
	'report-pdf': typeof reportPdf;
	report: typeof report;
	snapshot: typeof snapshot;
	story: typeof story;
	'system-map': typeof systemMap;
	user: typeof user;
};

/** The answers of a function that carry an `ok` (a read may also answer plain data or null). */
type Outcomes<F> = F extends (...args: never[]) => infer R ? Extract<Awaited<R>, { ok: unknown }> : never;
/** `service.function` for each exported function answering with an `ok` that is not a `Result<T>`. */
type OtherShapes = {
	[S in keyof Services]: {
		[F in keyof Services[S]]: [Outcomes<Services[S][F]>] extends [never]
			? never
			: [Outcomes<Services[S][F]>] extends [Result<unknown>]
				? never
				: `${S}.${F & string}`;
	}[keyof Services[S]];
}[keyof Services];

// fails `npm run check` naming the function, e.g. "Type 'true' is not assignable to type '"auth.login"'"
const onlyResults: [OtherShapes] extends [never] ? true : OtherShapes = true;

const sources = () =>
	readdirSync(SERVICES_DIR)
		.filter((f) => f.endsWith('.service.ts'))
		.map((f) => ({ file: f, text: readFileSync(join(SERVICES_DIR, f), 'utf8') }));

describe('service results', () => {
	it('should check every service module at type level', () => {
		const listed: Record<keyof Services, true> = {
			'action-options': true,
			'admin-overview': true,
			action: true,
			audit: true,
			auth: true,
			dashboard: true,
			demo: true,
			'dimension-edit': true,
			derived: true,
			due: true,
			'evaluation-overview': true,
			evaluation: true,
			housekeeping: true,
			job: true,
			'indicator-breakdown': true,
			'indicator-edit': true,
			'indicator-page': true,
			kompas: true,
			'measurement-export': true,
			'measurement-import': true,
			'measurement-list': true,
			'measurement-review': true,
			measurement: true,
			organisation: true,
			'outside-phases': true,
			'password-link': true,
			overview: true,
			phase: true,
			'plan-edit': true,
			'plan-export': true,
			'plan-loader': true,
			'poll-answer': true,
			'poll-close': true,
			poll: true,
			'programme-admin': true,
			progress: true,
			readiness: true,
			reminder: true,
			'report-pdf': true,
			report: true,
			snapshot: true,
			story: true,
			'system-map': true,
			user: true
		};
		expect(onlyResults).toBe(true);
		const files = sources().map((s) => s.file.replace(/\.service\.ts$/, ''));
		expect(files.length).toBeGreaterThan(20);
		expect(files.sort()).toEqual(Object.keys(listed).sort());
	});

	it('should build results only with the constructors of domain/result.ts', () => {
		const handMade = sources().flatMap(({ file, text }) =>
			text
				.split('\n')
				.map((line, i) => ({ line, at: `${file}:${i + 1}` }))
				// `{ ok: false, … }`, `{ ok: true as const, … }`, `ok: boolean` in a type: a result spelled by hand
				.filter(({ line }) => /\bok\s*:\s*(true|false|boolean)\b/.test(line))
				.map(({ at, line }) => `${at}: ${line.trim()}`)
		);
		expect(handMade).toEqual([]);
	});

	it('should declare no result types of its own', () => {
		const declared = sources().flatMap(({ file, text }) =>
			[
				...text.matchAll(
					/export\s+(?:type|interface)\s+(\w*(?:Result|Outcome|Refusal|Failure|Refused|Created|Problem)\w*)/g
				)
			].map((m) => `${file}: ${m[1]}`)
		);
		expect(declared).toEqual([]);
	});

	it('should catch a hand-made result (the check bites)', () => {
		const sample = "if (!user) return { ok: false, reason: 'invalid' };\nreturn { ok: true as const, value: null };";
		expect(sample.split('\n').filter((l) => /\bok\s*:\s*(true|false|boolean)\b/.test(l))).toHaveLength(2);
	});
});
