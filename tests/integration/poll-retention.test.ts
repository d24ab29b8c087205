import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePoll } from '../../src/lib/server/services/poll-close.service.ts';
import { pollForRespondent } from '../../src/lib/server/services/poll-answer.service.ts';
import {
	deleteExpiredPollAnswers,
	RETENTION_BATCH,
	runHousekeeping
} from '../../src/lib/server/services/housekeeping.service.ts';
import { insertPoll } from '../../src/lib/server/repositories/poll.repository.ts';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';
import { loadBothPlans } from '../helpers/plans.ts';
import { answerAll, makePoll, pollSetup, TWELVE, type PollSetup } from '../helpers/polls.ts';

const DAY = 24 * 60 * 60 * 1000;
const CREATED = '2026-08-03T08:00:00.000Z';
const ANSWERED = '2026-08-03T09:00:00.000Z';
const CLOSED = '2026-08-03T12:00:00.000Z';
const at = (ms: number) => new Date(ms).toISOString();

describe.each(DIALECTS)('raw poll answers kept for a set number of days on %s', (dialect) => {
	let db: TestDb;
	let s: PollSetup;
	beforeAll(async () => {
		db = await migratedDb(dialect);
		await loadBothPlans(db);
		s = await pollSetup(db.db);
	});
	afterAll(async () => db?.drop());

	const responses = async (pollId: number) =>
		db.db.selectFrom('poll_responses').select(['answers', 'open_answer']).where('poll_id', '=', pollId).execute();
	const pollRow = (id: number) => db.db.selectFrom('polls').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
	const measurementsOf = (pollId: number) =>
		db.db.selectFrom('measurements').selectAll().where('poll_id', '=', pollId).orderBy('id').execute();

	it('should delete the raw answers, open answers included, 90 days after closing, and keep the counts and the measurements', async () => {
		const poll = await makePoll(db.db, s, {
			name: 'Bewaartermijn',
			date: '2026-08-03',
			closesAt: '2026-08-04T00:00:00.000Z',
			createdAt: CREATED,
			openQuestion: 'Wil je nog iets kwijt? Schrijf geen namen op.'
		});
		await answerAll(
			db.db,
			poll.code,
			TWELVE.map((a, i) => (i < 2 ? { ...a, open: `Ik vind de toetsweek zwaar (${i})` } : a)),
			ANSWERED
		);
		const open = await makePoll(db.db, s, {
			name: 'Nog open',
			date: '2026-08-03',
			closesAt: '2026-12-31T00:00:00.000Z',
			createdAt: CREATED
		});
		await answerAll(db.db, open.code, TWELVE.slice(0, 3), ANSWERED);
		const closed = await closePoll(db.db, s.programme.id, poll.id, null, CLOSED);
		expect(closed.ok).toBe(true);
		expect((await responses(poll.id)).filter((r) => r.open_answer !== null)).toHaveLength(2);
		const kept = await pollRow(poll.id);
		const made = await measurementsOf(poll.id);
		expect(made).toHaveLength(3);

		// a day before the end of the 90 days (the programme's default): nothing goes
		const early = await deleteExpiredPollAnswers(db.db, Date.parse(CLOSED) + 89 * DAY);
		expect(early).toEqual({ polls: 0, answers: 0 });
		expect(await responses(poll.id)).toHaveLength(12);
		expect((await pollRow(poll.id)).answers_deleted_at).toBeNull();

		// 90 days after closing: the raw answers go, through the hourly housekeeping
		const due = Date.parse(CLOSED) + 90 * DAY;
		const done = await runHousekeeping(db.db, due);
		expect(done.ran && done.result).toMatchObject({ polls: 1, pollAnswers: 12 });
		expect(await responses(poll.id)).toEqual([]);
		const after = await pollRow(poll.id);
		expect(after.answers_deleted_at).toBe(at(due));
		// the counts, what closing made and the measurements stay, unchanged
		expect(after.results).toBe(kept.results);
		expect(after.outcome).toBe(kept.outcome);
		expect(after.answer_count).toBe(12);
		expect(await measurementsOf(poll.id)).toEqual(made);
		// the group still sees its result, from the kept counts
		const page = await pollForRespondent(db.db, poll.code, { deviceToken: null, address: 'test' }, at(due));
		expect(page.ok && page.value.result).toMatchObject({ shown: true, respondents: 12 });
		// an open poll keeps its answers, whatever its age
		expect(await responses(open.id)).toHaveLength(3);

		// done once: a later run finds nothing more
		expect(await deleteExpiredPollAnswers(db.db, due + DAY)).toEqual({ polls: 0, answers: 0 });
	});

	it('should follow the retention days of each programme', async () => {
		await db.db.updateTable('programmes').set({ poll_retention_days: 7 }).where('id', '=', s.programme.id).execute();
		try {
			const poll = await makePoll(db.db, s, {
				name: 'Korte termijn',
				date: '2026-08-03',
				closesAt: '2026-08-04T00:00:00.000Z',
				createdAt: CREATED
			});
			await answerAll(db.db, poll.code, TWELVE.slice(0, 4), ANSWERED);
			expect((await closePoll(db.db, s.programme.id, poll.id, null, CLOSED)).ok).toBe(true);
			const closedAt = Date.parse(CLOSED);
			expect(await deleteExpiredPollAnswers(db.db, closedAt + 7 * DAY - 1)).toEqual({ polls: 0, answers: 0 });
			expect(await deleteExpiredPollAnswers(db.db, closedAt + 7 * DAY)).toEqual({ polls: 1, answers: 4 });
			expect(await responses(poll.id)).toEqual([]);
		} finally {
			await db.db.updateTable('programmes').set({ poll_retention_days: 90 }).where('id', '=', s.programme.id).execute();
		}
	});

	it(`should delete at most ${RETENTION_BATCH} polls' answers a run, the rest the next run`, async () => {
		const ids: number[] = [];
		for (let i = 0; i < RETENTION_BATCH + 1; i++) {
			const { id } = await insertPoll(db.db, {
				programme_id: s.programme.id,
				region_id: s.region.id,
				template_key: 'pilotklas',
				name: `Oud ${i}`,
				date: '2026-01-05',
				code: `oud${String(i).padStart(7, '0')}`,
				questions: JSON.stringify(s.questions),
				open_question: null,
				max_answers: 300,
				closes_at: '2026-01-06T00:00:00.000Z',
				status: 'closed',
				closed_at: '2026-01-06T00:00:00.000Z',
				created_by: null,
				created_at: '2026-01-05T08:00:00.000Z',
				updated_at: '2026-01-06T00:00:00.000Z'
			});
			await db.db
				.insertInto('poll_responses')
				.values({ poll_id: id, device_hash: `h${i}`, answers: '{"druk":"4"}', open_answer: null })
				.execute();
			ids.push(id);
		}
		const now = Date.parse('2026-06-01T00:00:00.000Z');
		expect(await deleteExpiredPollAnswers(db.db, now)).toEqual({ polls: RETENTION_BATCH, answers: RETENTION_BATCH });
		expect(await deleteExpiredPollAnswers(db.db, now)).toEqual({ polls: 1, answers: 1 });
		const left = await db.db.selectFrom('poll_responses').select('id').where('poll_id', 'in', ids).execute();
		expect(left).toEqual([]);
		const marked = await db.db
			.selectFrom('polls')
			.select('id')
			.where('id', 'in', ids)
			.where('answers_deleted_at', 'is not', null)
			.execute();
		expect(marked).toHaveLength(RETENTION_BATCH + 1);
	});
});
