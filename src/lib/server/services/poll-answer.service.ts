import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { transact } from '../db/types.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { conflict, ok, rateLimited, refuse, type Result } from '../../domain/result.ts';
import { OPEN_ANSWER_MAX, parsePollAnswers, parsePollQuestions, readAnswers } from '../../domain/poll.ts';
import { groupResult, tally, type GroupResult, type PollTally } from '../../domain/poll-results.ts';
import { pollLimits, type PollLimits } from '../poll-limits.ts';
import * as repo from '../repositories/poll.repository.ts';
import { POLL_CODE_PATTERN } from '../../domain/poll-input.ts';

/**
 * Answering a poll (issue 18), for respondents without an account. A device is known only by a random
 * token in its cookie; the database holds the token's hash salted with the poll's id, so one device's
 * answers to two polls cannot be linked, and one answer per device per poll is a unique key. The caller's
 * address only passes through the in-memory abuse limits (poll-limits.ts); it is never stored.
 */

/** The cookie holding the device's random token (HttpOnly; never sent anywhere else). */
export const DEVICE_COOKIE = 'kompas_apparaat';
/** What a device token this server made looks like (256 bits, base64url). */
const DEVICE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** A new device token: 256 random bits, base64url. */
export const newDeviceToken = (): string => randomBytes(32).toString('base64url');
/** Whether a cookie's value is a token this server could have made (anything else is replaced). */
export const isDeviceToken = (value: string | undefined): value is string =>
	value !== undefined && DEVICE_TOKEN.test(value);

export const deviceHash = (pollId: number, token: string): string =>
	createHash('sha256').update(`poll:${pollId}:${token}`).digest('hex');

/** Who is asking: the device's token (none yet on a first visit) and the address, for the limits only. */
export interface Respondent {
	deviceToken: string | null;
	address: string;
}

/** Where a poll stands for a respondent: open to answer, full, or closed (by hand or by its closing time). */
export type PollState = 'open' | 'full' | 'closed';

type PollRow = NonNullable<Awaited<ReturnType<typeof repo.findPollByCode>>>;

export function pollState(
	poll: Pick<PollRow, 'status' | 'closes_at' | 'answer_count' | 'max_answers'>,
	now: string
): PollState {
	if (poll.status === 'closed' || poll.closes_at <= now) return 'closed';
	return poll.answer_count >= poll.max_answers ? 'full' : 'open';
}

/**
 * The group's result as a respondent may see it (hidden below the programme's minimum group size). Below
 * it only the count is needed, and the poll's row has it. Above it, the answers are counted once per
 * number of answers: an open poll's answers only grow, so a tally is exact for its count, and a page opened
 * again and again (the "Kijk opnieuw" link, a reload) costs no reading of every answer.
 */
async function resultOf(db: Kysely<Database>, poll: PollRow): Promise<GroupResult> {
	const questions = parsePollQuestions(poll.questions);
	if (poll.results) return groupResult(questions, JSON.parse(poll.results), poll.min_group_size);
	if (poll.answer_count < poll.min_group_size)
		return groupResult(questions, { respondents: poll.answer_count, questions: [] }, poll.min_group_size);
	const key = `${poll.id}:${poll.answer_count}`;
	let counted = tallies.get(key);
	if (!counted) {
		counted = tally(
			questions,
			(await repo.responseAnswers(db, poll.id)).map((r) => parsePollAnswers(r.answers))
		);
		if (tallies.size >= TALLIES_KEPT) tallies.delete(tallies.keys().next().value!);
		tallies.set(key, counted);
	}
	return groupResult(questions, counted, poll.min_group_size);
}

/** Tallies kept in this server's memory (poll id and answer count → tally), the oldest dropped first. */
const TALLIES_KEPT = 200;
const tallies = new Map<string, PollTally>();

/**
 * The poll behind a code, unless the address has guessed too many codes (then 429 for every code, so the
 * answer says nothing about this one). A malformed or unknown code counts as a guess and answers 404.
 */
async function pollByCode(
	db: Kysely<Database>,
	code: string,
	address: string,
	limits: PollLimits
): Promise<Result<PollRow>> {
	const blocked = limits.lookupBlocked(address);
	if (!blocked.taken) return tooBusy(blocked.retryAfterSeconds);
	const poll = POLL_CODE_PATTERN.test(code) ? await repo.findPollByCode(db, code) : undefined;
	if (poll) return ok(poll);
	limits.unknownCode(address);
	return unknownPoll();
}

/**
 * What the public page shows for a code and a device: 404 for an unknown code, nothing else revealed. The
 * group's result only for a device that answered, or once nobody can answer any more (closed or full):
 * before that it would sway the answers.
 */
export async function pollForRespondent(
	db: Kysely<Database>,
	code: string,
	{ deviceToken, address }: Respondent,
	now = new Date().toISOString(),
	limits = pollLimits()
) {
	const found = await pollByCode(db, code, address, limits);
	if (!found.ok) return found;
	const poll = found.value;
	const answered = deviceToken !== null && (await repo.hasResponded(db, poll.id, deviceHash(poll.id, deviceToken)));
	const state = pollState(poll, now);
	return ok({
		name: poll.name,
		// what a respondent needs of each question: not the indicators or dimensions it feeds
		questions: parsePollQuestions(poll.questions).map(({ key, kind, text, options }) => ({ key, kind, text, options })),
		openQuestion: poll.open_question,
		openAnswerMax: OPEN_ANSWER_MAX,
		state,
		answered,
		result: answered || state !== 'open' ? await resultOf(db, poll) : null
	});
}

/**
 * Stores one device's answers: the poll must be open, before its closing time and below its limit (one
 * statement takes the slot), and the device must not have answered (the unique key decides). A refusal
 * changes nothing: the slot is taken in the same transaction as the answer, which a refusal rolls back.
 * Before the database, the address's and the poll's limits are taken; a refused answer gives the poll's back.
 */
export async function answerPoll(
	db: Kysely<Database>,
	code: string,
	{ deviceToken, address }: Respondent & { deviceToken: string },
	form: (name: string) => string | null,
	now = new Date().toISOString(),
	limits = pollLimits()
): Promise<Result<{ pollId: number }>> {
	const fromAddress = limits.answerFrom(address);
	if (!fromAddress.taken) return tooBusy(fromAddress.retryAfterSeconds);
	const found = await pollByCode(db, code, address, limits);
	if (!found.ok) return found;
	const poll = found.value;
	const read = readAnswers(parsePollQuestions(poll.questions), form, poll.open_question);
	if (!read.ok)
		return refuse({
			code: 'invalid_input',
			status: 400,
			message: read.message,
			issues: [{ path: 'form', message: read.message }]
		});
	const toPoll = limits.answerTo(poll.id);
	if (!toPoll.taken) return tooBusy(toPoll.retryAfterSeconds);
	const stored = await store(db, poll, deviceHash(poll.id, deviceToken), read, now);
	if (!stored.ok) limits.release(poll.id);
	return stored;
}

async function store(
	db: Kysely<Database>,
	poll: PollRow,
	hash: string,
	read: { answers: Record<string, string>; open: string | null },
	now: string
): Promise<Result<{ pollId: number }>> {
	try {
		// the answer first, then the slot: the unique key refuses a device's second answer without a query of
		// its own, and the poll's row (which every answer updates) stays locked only from the slot to the commit
		return await transact(db, async (tx) => {
			await repo.insertResponse(tx, {
				poll_id: poll.id,
				device_hash: hash,
				answers: JSON.stringify(read.answers),
				open_answer: read.open
			});
			if (!(await repo.takeAnswerSlot(tx, poll.id, now))) throw new NoSlot();
			return ok({ pollId: poll.id });
		});
	} catch (e) {
		// a device that answered before, or two answers from one device at once: the unique key lets one in
		if (isUniqueViolation(e)) return alreadyAnswered();
		if (e instanceof NoSlot) return refuse({ code: 'poll_closed', status: 409, message: closedMessage(poll, now) });
		throw e;
	}
}

/** No slot left (closed, past its closing time, or full): thrown so the stored answer is rolled back. */
class NoSlot extends Error {}

/** An unknown code: 404, and nothing else is said (codes cannot be probed for more). */
const unknownPoll = () =>
	refuse({
		code: 'not_found',
		status: 404,
		message: 'Deze peiling bestaat niet. Kijk of je de link goed hebt overgenomen.'
	});

const alreadyAnswered = () =>
	conflict('Je hebt al meegedaan op dit apparaat. Bedankt! Je kunt maar één keer meedoen.', 'already_answered');

/** 429, in words a child understands: how long to wait, in whole minutes. */
function tooBusy(seconds: number) {
	const minutes = Math.ceil(seconds / 60);
	const wait = minutes <= 1 ? 'een minuutje' : `${minutes} minuten`;
	return rateLimited(`Het is nu even te druk. Wacht ${wait} en probeer het dan opnieuw.`, seconds);
}

function closedMessage(poll: Pick<PollRow, 'status' | 'closes_at' | 'answer_count' | 'max_answers'>, now: string) {
	// the slot was refused: the poll was open when read, so it closed or filled up in between
	return poll.status === 'closed' || poll.closes_at <= now
		? 'Deze peiling is gesloten. Je kunt niet meer meedoen. Bedankt voor je hulp!'
		: 'Deze peiling is vol: er hebben al genoeg mensen meegedaan. Bedankt voor je hulp!';
}
