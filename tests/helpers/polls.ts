import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema.ts';
import {
	pollTemplateSchema,
	resolveQuestions,
	templateIssues,
	type PollTemplate,
	type TemplateContext
} from '../../src/lib/domain/poll.ts';
import { parseDimensions, parseIndicatorDimensions } from '../../src/lib/domain/breakdown.ts';
import { insertPoll } from '../../src/lib/server/repositories/poll.repository.ts';
import { answerPoll } from '../../src/lib/server/services/poll-answer.service.ts';
import { newPollCode } from '../../src/lib/server/services/poll.service.ts';

/**
 * Polls for integration tests, made through the repository from a template of our own against the ZKL seed
 * plan (loaded with `loadBothPlans`): a dimension question (geslacht) that splits the measurements of the
 * indicators split by it, a scale question feeding a percentage split by geslacht (share agreeing), a scale
 * question feeding a score (mean), a yes/no question feeding a percentage (share yes), and a scale question
 * feeding another percentage that few answer.
 */
export const ZKL_SLUG = 'zkl-onder-druk';
export const TEMPLATE: PollTemplate = pollTemplateSchema.parse({
	key: 'pilotklas',
	name: 'Peiling pilotklas',
	intro: 'Een paar vragen over hoe jij je voelt op school. Je naam vragen we niet.',
	questions: [
		{ key: 'geslacht', kind: 'choice', text: 'Ben je een meisje, een jongen of iets anders?', dimension: 'geslacht' },
		{ key: 'druk', kind: 'scale', text: 'Ik voel vaak druk om goede cijfers te halen.', indicator: 'ZKL-MR-1-PILOT' },
		{ key: 'welzijn', kind: 'scale', text: 'Ik voel me goed op school.', indicator: 'ZKL-MR-2-WELZIJN' },
		{ key: 'steun', kind: 'yesno', text: 'Ik mag zelf keuzes maken.', indicator: 'ZKL-MR-3-AUTONOMIE' },
		{ key: 'nut', kind: 'scale', text: 'De les was nuttig.', indicator: 'ZKL-T1-S1-NUT' }
	]
});

/** The programme, a region, and the template's questions resolved against the loaded plan (no issues). */
export async function pollSetup(db: Kysely<Database>, regionSlug = 'lyceum-sancta-maria') {
	const programme = await db
		.selectFrom('programmes')
		.selectAll()
		.where('slug', '=', ZKL_SLUG)
		.executeTakeFirstOrThrow();
	const region = await db
		.selectFrom('regions')
		.select(['id', 'slug'])
		.where('programme_id', '=', programme.id)
		.where('slug', '=', regionSlug)
		.executeTakeFirstOrThrow();
	const indicators = await db
		.selectFrom('indicators')
		.select(['id', 'code', 'unit', 'derived', 'dimensions'])
		.where('programme_id', '=', programme.id)
		.execute();
	const ctx: TemplateContext = {
		indicators: new Map(
			indicators.map((i) => [
				i.code,
				{ unit: i.unit, derived: i.derived !== null, dimensions: parseIndicatorDimensions(i.dimensions) }
			])
		),
		dimensions: parseDimensions(programme.dimensions)
	};
	const issues = templateIssues(TEMPLATE, ctx);
	if (issues.length) throw new Error(`test template does not fit the plan: ${JSON.stringify(issues)}`);
	const indicatorId = (code: string) => indicators.find((i) => i.code === code)!.id;
	return { programme, region, questions: resolveQuestions(TEMPLATE, ctx), indicatorId };
}

export type PollSetup = Awaited<ReturnType<typeof pollSetup>>;

/** A new device with an address of its own, so the in-memory abuse limits never count test answers together. */
export const respondent = () => ({
	deviceToken: randomBytes(32).toString('base64url'),
	address: `test-${randomBytes(6).toString('hex')}`
});

/** A new open poll of the template, for `date` in the setup's region, open until `closesAt`. */
export async function makePoll(
	db: Kysely<Database>,
	s: PollSetup,
	{
		name,
		date,
		closesAt,
		createdAt,
		regionId = s.region.id,
		demo = 0,
		openQuestion = null
	}: {
		name: string;
		date: string;
		closesAt: string;
		createdAt: string;
		regionId?: number;
		demo?: number;
		openQuestion?: string | null;
	}
) {
	const poll = {
		programme_id: s.programme.id,
		region_id: regionId,
		template_key: TEMPLATE.key,
		name,
		date,
		code: newPollCode(),
		questions: JSON.stringify(s.questions),
		open_question: openQuestion,
		max_answers: 300,
		closes_at: closesAt,
		status: 'open' as const,
		demo,
		created_by: null,
		created_at: createdAt,
		updated_at: createdAt
	};
	const { id } = await insertPoll(db, poll);
	return { id, code: poll.code };
}

/** One answer per respondent, each from a device of its own, through the respondents' service at `now`. */
export async function answerAll(
	db: Kysely<Database>,
	pollCode: string,
	respondents: readonly Record<string, string>[],
	now: string
) {
	for (const answers of respondents) {
		const r = await answerPoll(db, pollCode, respondent(), (k) => answers[k] ?? null, now);
		if (!r.ok) throw new Error(`answer refused: ${r.refusal.message}`);
	}
}

/**
 * Twelve respondents whose figures are known by hand:
 * - druk (scale → ZKL-MR-1-PILOT, percent agreeing 4–5): 12 answered, 5 agree → 41,7 %; meisjes 3 of 6 → 50 %;
 *   jongens 1 of 5 → 20 %; one without geslacht counts in the total only; anders/onbekend chosen by nobody.
 * - welzijn (scale → ZKL-MR-2-WELZIJN, mean): 11 answered, sum 41 → 3,73.
 * - steun (yes/no → ZKL-MR-3-AUTONOMIE, share ja): 10 answered, 7 ja → 70 %.
 * - nut (scale → ZKL-T1-S1-NUT): 3 answered, below the minimum group size 10 → no measurement.
 */
export const TWELVE: Record<string, string>[] = [
	{ geslacht: 'meisje', druk: '5', welzijn: '5', steun: 'ja', nut: '4' },
	{ geslacht: 'meisje', druk: '4', welzijn: '4', steun: 'ja', nut: '5' },
	{ geslacht: 'meisje', druk: '4', welzijn: '4', steun: 'ja', nut: '2' },
	{ geslacht: 'meisje', druk: '3', welzijn: '4', steun: 'ja' },
	{ geslacht: 'meisje', druk: '2', welzijn: '3', steun: 'ja' },
	{ geslacht: 'meisje', druk: '1', welzijn: '3', steun: 'ja' },
	{ geslacht: 'jongen', druk: '5', welzijn: '3', steun: 'ja' },
	{ geslacht: 'jongen', druk: '2', welzijn: '2', steun: 'nee' },
	{ geslacht: 'jongen', druk: '2', welzijn: '4', steun: 'nee' },
	{ geslacht: 'jongen', druk: '1', welzijn: '5', steun: 'nee' },
	{ geslacht: 'jongen', druk: '1', welzijn: '4' },
	{ druk: '4' }
];
