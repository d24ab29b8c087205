import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { nowIso, transact } from '../db/types.ts';
import type { AuditAuthor } from '../repositories/audit.repository.ts';
import { conflict, notFound, ok, type Result } from '../../domain/result.ts';
import { parsePollAnswers, parsePollQuestions } from '../../domain/poll.ts';
import { tally, type PollTally } from '../../domain/poll-results.ts';
import * as repo from '../repositories/poll.repository.ts';

/**
 * Closing a poll (issue 18), by hand or at its closing time: one transaction marks it closed (of two
 * closings at once, one wins), keeps its counts (`results`, kept after the raw answers go) and turns its
 * answers into submitted measurements of the linked indicators.
 * FOUNDATION STUB: the measurements are made by the "into the monitor" part.
 */
export async function closePoll(
	db: Kysely<Database>,
	programmeId: number,
	pollId: number,
	by: AuditAuthor | null,
	now = nowIso()
): Promise<Result<{ results: PollTally }>> {
	return transact(db, async (tx) => {
		const poll = await repo.findPoll(tx, programmeId, pollId);
		if (!poll) return notFound('Peiling');
		if (!(await repo.markClosed(tx, poll.id, by?.userId ?? null, now)))
			return conflict('Deze peiling is al gesloten.', 'poll_closed');
		const questions = parsePollQuestions(poll.questions);
		const answers = (await repo.responseAnswers(tx, poll.id)).map((r) => parsePollAnswers(r.answers));
		const results = tally(questions, answers);
		await tx
			.updateTable('polls')
			.set({ results: JSON.stringify(results) })
			.where('id', '=', poll.id)
			.execute();
		return ok({ results });
	});
}
