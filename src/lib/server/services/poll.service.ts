import { randomInt } from 'node:crypto';
import type { ProgrammeContext, RequestContext } from '../request-context.ts';
import { nowIso, transact } from '../db/types.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { writeAudit } from '../repositories/audit.repository.ts';
import { findRegion, listProgrammeRegions } from '../repositories/region.repository.ts';
import * as repo from '../repositories/poll.repository.ts';
import { pollState, type PollState } from './poll-answer.service.ts';
import { closeIfOverdue, closePoll as closeAndMeasure } from './poll-close.service.ts';
import { parsePollOutcome, type PollOutcome } from '../../domain/poll-outcome.ts';
import { regionTree } from './action-options.service.ts';
import { can } from '../../domain/permissions.ts';
import { inDutch } from '../../domain/zod-messages.ts';
import { parseDimensions, parseIndicatorDimensions } from '../../domain/breakdown.ts';
import { todayIso } from '../../domain/dutch-format.ts';
import { invalid, issuesOf, notFound, ok, type Result } from '../../domain/result.ts';
import {
	DEFAULT_MAX_ANSWERS,
	parsePollAnswers,
	parsePollQuestions,
	parsePollTemplates,
	resolveQuestions,
	templateIssues,
	type PollTemplate,
	type TemplateContext
} from '../../domain/poll.ts';
import { groupResult, tally, type GroupResult, type PollTally } from '../../domain/poll-results.ts';
import { defaultClosesAt, pollInputSchema, POLL_CODE_ALPHABET, POLL_CODE_LENGTH } from '../../domain/poll-input.ts';

/**
 * The facilitator's side of a poll (issue 18): create one from a template of the plan, list them, show one
 * with its public link and the group's result, and the live result a classroom screen polls. Used by the
 * pages under /p/{programme}/peilingen and the API alike. Respondents answer through poll-answer.service.ts;
 * closing is poll-close.service.ts.
 */

/** The list shows the newest polls, at most this many. */
export const POLL_LIST_LIMIT = 100;
/** A fresh code collides with a stored one about never (49 bits); still, a collision draws again. */
const CODE_ATTEMPTS = 5;

type Row = NonNullable<Awaited<ReturnType<typeof repo.findPoll>>>;

export interface PollSummary {
	id: number;
	name: string;
	template: string;
	region: { slug: string; name: string };
	date: string;
	/** open, full (its maximum reached) or closed (by hand or by its closing time) */
	state: PollState;
	answers: number;
	maxAnswers: number;
	closesAt: string;
	closedAt: string | null;
}

export interface PollView extends PollSummary {
	/** the public code and link; only for who may run polls (a funder needs no way to answer) */
	code: string | null;
	link: string | null;
	/** each question as asked, with the indicator it feeds and the unit of the figure it makes there */
	questions: { key: string; kind: string; text: string; indicator: string | null; unit: 'percent' | 'score' | null }[];
	/** the open question's text when this poll asks it */
	openQuestion: string | null;
	minGroupSize: number;
	/** the group's result (hidden below the minimum group size); null when this caller may not see it yet */
	result: GroupResult | null;
	outcome: PollOutcome | null;
	/** when the raw answers (and the open answers) were deleted; null while they are held */
	answersDeletedAt: string | null;
	createdAt: string;
}

/** What the live page polls: the state, how many answered, and the group's result (hidden below the threshold). */
export interface LiveBoard {
	state: PollState;
	respondents: number;
	minGroupSize: number;
	result: GroupResult;
}

const summaryOf = (p: Row, now: string): PollSummary => ({
	id: p.id,
	name: p.name,
	template: p.template_key,
	region: { slug: p.region_slug, name: p.region_name },
	date: p.date,
	state: pollState(p, now),
	answers: p.answer_count,
	maxAnswers: p.max_answers,
	closesAt: p.closes_at,
	closedAt: p.closed_at
});

/** The public address of a poll: what the QR code holds and respondents open. */
export const pollLink = (origin: string, code: string) => `${origin}/peiling/${code}`;

/** A fresh unguessable code: POLL_CODE_LENGTH characters without look-alikes, drawn by the CSPRNG. */
export function newPollCode(): string {
	let code = '';
	for (let i = 0; i < POLL_CODE_LENGTH; i++) code += POLL_CODE_ALPHABET[randomInt(POLL_CODE_ALPHABET.length)];
	return code;
}

/** The plan's indicators and dimensions as templates are checked against them. */
async function templateContext({ db, programme }: ProgrammeContext): Promise<TemplateContext> {
	const rows = await repo.templateIndicators(db, programme.id);
	return {
		indicators: new Map(
			rows.map((i) => [
				i.code,
				{ unit: i.unit, derived: i.derived !== null, dimensions: parseIndicatorDimensions(i.dimensions) }
			])
		),
		dimensions: parseDimensions(programme.dimensions)
	};
}

/** What the "Nieuwe peiling" form offers: the plan's templates, the regions, and the defaults. */
export async function pollFormOptions({ db, programme }: ProgrammeContext, now = nowIso()) {
	const templates: PollTemplate[] = parsePollTemplates(programme.poll_templates);
	return {
		templates: templates.map((t) => ({
			key: t.key,
			name: t.name,
			questions: t.questions.length,
			openQuestion: t.openQuestion ?? null
		})),
		regions: regionTree(await listProgrammeRegions(db, programme.id)),
		defaults: { date: todayIso(new Date(now)), closesAt: defaultClosesAt(now), maxAnswers: DEFAULT_MAX_ANSWERS }
	};
}

/**
 * Creates a poll from a template of the plan: the questions as asked are stored with it (a later change of
 * the plan never alters them), under a fresh code, with its audit entry, in one transaction.
 */
export async function createPoll(
	ctx: RequestContext,
	input: unknown,
	{ origin, now = nowIso() }: { origin: string; now?: string }
): Promise<Result<PollView>> {
	const { db, programme, actor } = ctx;
	const parsed = pollInputSchema(now).safeParse(input, inDutch);
	if (!parsed.success) return invalid(issuesOf(parsed.error.issues));
	const p = parsed.data;
	const templates = parsePollTemplates(programme.poll_templates);
	if (templates.length === 0)
		return invalid({
			template:
				'Dit programma heeft nog geen peilingsjablonen. Een projectleider zet ze in het meetplan (pollTemplates).'
		});
	const template = templates.find((t) => t.key === p.template);
	if (!template) return invalid({ template: 'Onbekend sjabloon: kies een van de sjablonen.' });
	const region = await findRegion(db, programme.id, p.region);
	if (!region) return invalid({ region: 'Onbekende regio in dit programma.' });
	if (p.openQuestion && !template.openQuestion) return invalid({ openQuestion: 'Dit sjabloon heeft geen open vraag.' });
	const context = await templateContext(ctx);
	const issues = templateIssues(template, context);
	if (issues.length)
		return invalid({
			template: `Dit sjabloon past niet meer bij het meetplan (${issues[0].path}: ${issues[0].message}). Vraag een projectleider het aan te passen.`
		});
	const closesAt = p.closesAt ?? defaultClosesAt(now);
	for (let attempt = 1; ; attempt++) {
		try {
			const id = await transact(db, async (tx) => {
				const { id } = await repo.insertPoll(tx, {
					programme_id: programme.id,
					region_id: region.id,
					template_key: template.key,
					name: p.name,
					date: p.date,
					code: newPollCode(),
					questions: JSON.stringify(resolveQuestions(template, context)),
					open_question: p.openQuestion ? template.openQuestion! : null,
					max_answers: p.maxAnswers,
					closes_at: closesAt,
					status: 'open',
					created_by: actor.userId,
					created_at: now,
					updated_at: now
				});
				await writeAudit(tx, {
					by: actor,
					programmeId: programme.id,
					entity: 'poll',
					entityId: id,
					action: 'create',
					after: {
						name: p.name,
						template: template.key,
						region: region.slug,
						date: p.date,
						closesAt,
						maxAnswers: p.maxAnswers,
						openQuestion: p.openQuestion
					}
				});
				return id;
			});
			return ok((await pollDetail(ctx, id, { origin, now }))!);
		} catch (e) {
			if (!isUniqueViolation(e) || attempt >= CODE_ATTEMPTS) throw e;
		}
	}
}

/** The programme's polls, newest first (by date, then by creation), at most POLL_LIST_LIMIT. */
export async function listPolls({ db, programme }: ProgrammeContext, now = nowIso()): Promise<PollSummary[]> {
	return (await repo.listPolls(db, programme.id, POLL_LIST_LIMIT)).map((p) => summaryOf(p, now));
}

/** The counts of a poll: kept on the poll once closed, else counted from its raw answers (at most max_answers). */
async function countsOf(db: ProgrammeContext['db'], p: Row): Promise<PollTally> {
	if (p.results) return JSON.parse(p.results) as PollTally;
	const answers = (await repo.responseAnswers(db, p.id)).map((r) => parsePollAnswers(r.answers));
	return tally(parsePollQuestions(p.questions), answers);
}

/**
 * One poll as the detail page and the API show it. Who may run polls sees its link and, at any time, the
 * group's result (hidden below the minimum group size); who only reads sees the result once it is closed.
 */
export async function pollDetail(
	{ db, programme, actor }: RequestContext,
	id: number,
	{ origin, now = nowIso() }: { origin: string; now?: string }
): Promise<PollView | null> {
	await closeIfOverdue(db, programme.id, id, now);
	const p = await repo.findPoll(db, programme.id, id);
	if (!p) return null;
	const runs = can(actor, 'poll:run', programme.id);
	const summary = summaryOf(p, now);
	const questions = parsePollQuestions(p.questions);
	const mayResult = runs || summary.state === 'closed';
	return {
		...summary,
		code: runs ? p.code : null,
		link: runs ? pollLink(origin, p.code) : null,
		questions: questions.map((q) => ({
			key: q.key,
			kind: q.kind,
			text: q.text,
			indicator: q.indicator ?? null,
			unit: !q.measure ? null : q.measure === 'mean' ? 'score' : 'percent'
		})),
		openQuestion: p.open_question,
		minGroupSize: programme.min_group_size,
		result: mayResult ? groupResult(questions, await countsOf(db, p), programme.min_group_size) : null,
		outcome: parsePollOutcome(p.outcome),
		answersDeletedAt: p.answers_deleted_at,
		createdAt: p.created_at
	};
}

/** The live result of a poll for the classroom screen (who may run polls); null for an unknown poll. */
export async function liveResult(
	{ db, programme }: ProgrammeContext,
	id: number,
	now = nowIso()
): Promise<LiveBoard | null> {
	await closeIfOverdue(db, programme.id, id, now);
	const p = await repo.findPoll(db, programme.id, id);
	if (!p) return null;
	const result = groupResult(parsePollQuestions(p.questions), await countsOf(db, p), programme.min_group_size);
	return {
		state: pollState(p, now),
		respondents: result.respondents,
		minGroupSize: programme.min_group_size,
		result
	};
}

/** The open answers of a poll, for who may read them (leads), while the raw answers are held; at most max_answers. */
export async function openAnswersOf({ db, programme, actor }: RequestContext, id: number): Promise<string[] | null> {
	if (!can(actor, 'poll:read-open', programme.id)) return null;
	const p = await repo.findPoll(db, programme.id, id);
	if (!p || p.open_question === null || p.answers_deleted_at !== null) return null;
	return (await repo.openAnswers(db, p.id, p.max_answers)).map((r) => r.open_answer!);
}

/** Closes a poll by hand (poll-close.service.ts makes its measurements) and answers it as it now is. */
export async function closeByHand(
	ctx: RequestContext,
	id: number,
	{ origin, now = nowIso() }: { origin: string; now?: string }
): Promise<Result<PollView>> {
	if (!(await repo.findPoll(ctx.db, ctx.programme.id, id))) return notFound('Peiling');
	const closed = await closeAndMeasure(ctx.db, ctx.programme.id, id, ctx.actor, now);
	if (!closed.ok) return closed;
	return ok((await pollDetail(ctx, id, { origin, now }))!);
}
