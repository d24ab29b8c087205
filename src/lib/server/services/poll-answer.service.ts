import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { transact } from '../db/types.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { conflict, ok, refuse, type Result } from '../../domain/result.ts';
import { parsePollAnswers, parsePollQuestions, readAnswers } from '../../domain/poll.ts';
import { groupResult, tally, type GroupResult } from '../../domain/poll-results.ts';
import * as repo from '../repositories/poll.repository.ts';

/**
 * Answering a poll (issue 18), for respondents without an account. A device is known only by a random
 * token in its cookie; the database holds the token's hash salted with the poll's id, so one device's
 * answers to two polls cannot be linked, and one answer per device per poll is a unique key.
 */

/** The cookie holding the device's random token (HttpOnly; never sent anywhere else). */
export const DEVICE_COOKIE = 'kompas_apparaat';

export const deviceHash = (pollId: number, token: string): string =>
	createHash('sha256').update(`poll:${pollId}:${token}`).digest('hex');

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

/** The group's result as a respondent may see it (hidden below the programme's minimum group size). */
async function resultOf(db: Kysely<Database>, poll: PollRow): Promise<GroupResult> {
	const questions = parsePollQuestions(poll.questions);
	const counted = poll.results
		? JSON.parse(poll.results)
		: tally(
				questions,
				(await repo.responseAnswers(db, poll.id)).map((r) => parsePollAnswers(r.answers))
			);
	return groupResult(questions, counted, poll.min_group_size);
}

/** What the public page shows for a code and a device: 404 for an unknown code, nothing else revealed. */
export async function pollForRespondent(
	db: Kysely<Database>,
	code: string,
	deviceToken: string | null,
	now = new Date().toISOString()
) {
	const poll = await repo.findPollByCode(db, code);
	if (!poll) return unknownPoll();
	const answered = deviceToken !== null && (await repo.hasResponded(db, poll.id, deviceHash(poll.id, deviceToken)));
	const state = pollState(poll, now);
	return ok({
		code: poll.code,
		name: poll.name,
		programme: poll.programme_name,
		questions: parsePollQuestions(poll.questions),
		openQuestion: poll.open_question,
		state,
		answered,
		/** the group's result, only for a device that answered (or once closed) */
		result: answered || state === 'closed' ? await resultOf(db, poll) : null
	});
}

/**
 * Stores one device's answers: the poll must be open, before its closing time and below its limit (one
 * statement takes the slot), and the device must not have answered (the unique key decides). A refusal
 * changes nothing: the slot is taken in the same transaction as the answer.
 */
export async function answerPoll(
	db: Kysely<Database>,
	code: string,
	deviceToken: string,
	form: (name: string) => string | null,
	now = new Date().toISOString()
): Promise<Result<{ pollId: number }>> {
	const poll = await repo.findPollByCode(db, code);
	if (!poll) return unknownPoll();
	const read = readAnswers(parsePollQuestions(poll.questions), form, poll.open_question);
	if (!read.ok)
		return refuse({
			code: 'invalid_input',
			status: 400,
			message: read.message,
			issues: [{ path: 'form', message: read.message }]
		});
	const hash = deviceHash(poll.id, deviceToken);
	try {
		return await transact(db, async (tx) => {
			if (await repo.hasResponded(tx, poll.id, hash)) return alreadyAnswered();
			if (!(await repo.takeAnswerSlot(tx, poll.id, now)))
				return refuse({ code: 'poll_closed', status: 409, message: closedMessage(poll, now) });
			await repo.insertResponse(tx, {
				poll_id: poll.id,
				device_hash: hash,
				answers: JSON.stringify(read.answers),
				open_answer: read.open
			});
			return ok({ pollId: poll.id });
		});
	} catch (e) {
		// two answers from one device at the same moment: the unique key lets one in
		if (isUniqueViolation(e)) return alreadyAnswered();
		throw e;
	}
}

/** An unknown code: 404, and nothing else is said (codes cannot be probed for more). */
const unknownPoll = () =>
	refuse({
		code: 'not_found',
		status: 404,
		message: 'Deze peiling bestaat niet. Kijk of je de link goed hebt overgenomen.'
	});

const alreadyAnswered = () =>
	conflict(
		'Je hebt deze peiling al ingevuld op dit apparaat. Bedankt! Je kunt maar één keer meedoen.',
		'already_answered'
	);

function closedMessage(poll: Pick<PollRow, 'status' | 'closes_at' | 'answer_count' | 'max_answers'>, now: string) {
	return pollState(poll, now) === 'full'
		? 'Deze peiling is vol: er hebben al genoeg mensen meegedaan. Bedankt voor je hulp!'
		: 'Deze peiling is gesloten. Je kunt niet meer meedoen. Bedankt voor je hulp!';
}
