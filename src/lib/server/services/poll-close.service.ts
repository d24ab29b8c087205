import type { Insertable, Kysely } from 'kysely';
import type { Database, MeasurementTable, Programme } from '../db/schema.ts';
import { nowIso, transact, type Conn } from '../db/types.ts';
import { writeAudit, type AuditAuthor } from '../repositories/audit.repository.ts';
import { conflict, notFound, ok, type Result } from '../../domain/result.ts';
import { parsePollAnswers, parsePollQuestions } from '../../domain/poll.ts';
import {
	measureOf,
	pollFigures,
	tally,
	type PollAnswers,
	type PollFigure,
	type PollQuestion,
	type PollTally
} from '../../domain/poll-results.ts';
import type { PollOutcome } from '../../domain/poll-outcome.ts';
import { DERIVED_REFUSAL, type IndicatorRef } from '../../domain/measurement.ts';
import {
	categoryFlags,
	categoryIssues,
	categoryKey,
	storeCategories,
	type CategoryValue
} from '../../domain/breakdown.ts';
import { checkValue, storeFlags } from '../../domain/value-rules.ts';
import { UNIT_LABEL } from '../../domain/kompas.ts';
import { todayIso } from '../../domain/dutch-format.ts';
import { logError } from '../log.ts';
import * as repo from '../repositories/poll.repository.ts';
import * as measurements from '../repositories/measurement.repository.ts';
import { programmeScope } from './measurement.service.ts';

/** At most this many overdue polls are closed per run of the scheduled job; the next run, a minute later, takes the rest. */
export const CLOSE_BATCH = 20;

const GONE = 'de indicator staat niet (meer) in het meetplan of is gearchiveerd';
const EXISTS = 'er is al een meting voor deze indicator, regio en datum; die is niet overschreven';
const TWICE = 'een eerdere vraag van deze peiling voedt deze indicator al';

/**
 * Closing a poll (issue 18), by hand or at its closing time (`by` null: the system). One transaction marks it
 * closed (of two closings at once, one wins; the other is refused 409 `poll_closed`), keeps its counts
 * (`results`, kept after the raw answers go) and turns its answers into submitted measurements of the
 * linked indicators for the lead's review (`makeMeasurements`), records what it made (`outcome`) and
 * audits it: one entry for the poll, one per measurement made (as for a typed one).
 */
export async function closePoll(
	db: Kysely<Database>,
	programmeId: number,
	pollId: number,
	by: AuditAuthor | null,
	now = nowIso()
): Promise<Result<{ results: PollTally; outcome: PollOutcome }>> {
	return transact(db, async (tx) => {
		const poll = await repo.findPoll(tx, programmeId, pollId);
		if (!poll) return notFound('Peiling');
		if (!(await repo.markClosed(tx, poll.id, by?.userId ?? null, now)))
			return conflict('Deze peiling is al gesloten.', 'poll_closed');
		const programme = await repo.pollProgramme(tx, programmeId);
		const questions = parsePollQuestions(poll.questions);
		const answers = (await repo.responseAnswers(tx, poll.id)).map((r) => parsePollAnswers(r.answers));
		const results = tally(questions, answers);
		const made = await makeMeasurements(tx, programme, { ...poll, questions, answers }, by, now);
		await repo.storeClosing(tx, poll.id, { results: JSON.stringify(results), outcome: JSON.stringify(made.outcome) });
		await writeAudit(tx, {
			by,
			programmeId,
			entity: 'poll',
			entityId: poll.id,
			action: 'close',
			after: {
				name: poll.name,
				closedBy: by ? null : 'automatisch gesloten',
				respondents: results.respondents,
				measurements: made.outcome.measurements,
				skipped: made.outcome.skipped
			}
		});
		for (const m of made.rows)
			await writeAudit(tx, {
				by,
				programmeId,
				entity: 'measurement',
				entityId: m.id,
				action: 'create',
				after: {
					indicator: m.indicator,
					region: poll.region_slug,
					date: poll.date,
					value: m.row.value,
					n: m.row.n,
					source: m.row.source,
					status: m.row.status,
					poll: poll.id
				}
			});
		return ok({ results, outcome: made.outcome });
	});
}

interface ClosingPoll {
	id: number;
	name: string;
	date: string;
	region_id: number;
	demo: number;
	questions: PollQuestion[];
	answers: PollAnswers[];
}

/**
 * The measurements a closing makes, one per figure of `pollFigures` (none for a question answered by fewer
 * than the programme's minimum group size), checked against the plan as it is now: an indicator removed,
 * archived, made derived or given another unit makes none; a value outside its allowed range makes none;
 * a larger change than allowed is flagged for the reviewer, like a typed value. An existing measurement of
 * the same (indicator, region, date) is never overwritten. A category failing the breakdown rules is left
 * off the measurement and listed; closing never fails on any of these.
 */
async function makeMeasurements(
	tx: Conn,
	programme: Programme,
	poll: ClosingPoll,
	by: AuditAuthor | null,
	now: string
) {
	const scope = await programmeScope({ db: tx, programme });
	const indicatorOf = scope.context('.').indicator;
	const { figures, skipped } = pollFigures(
		poll.questions,
		poll.answers,
		programme.min_group_size,
		(code) => indicatorOf(code)?.dimensions?.map((d) => d.key) ?? []
	);
	const outcome: PollOutcome = { measurements: [], skipped: [...skipped], droppedCategories: [] };
	const skip = (f: PollFigure, reason: string) =>
		outcome.skipped.push({ question: f.question, indicator: f.indicator, reason });
	const questionOf = new Map(poll.questions.map((q) => [q.key, q]));

	const usable: { figure: PollFigure; indicator: IndicatorRef }[] = [];
	const seen = new Set<number>();
	for (const f of figures) {
		const indicator = indicatorOf(f.indicator);
		const q = questionOf.get(f.question)!;
		if (!indicator) skip(f, GONE);
		else if (indicator.derived) skip(f, DERIVED_REFUSAL);
		else if (measureOf(q.kind, indicator.unit) !== q.measure)
			skip(
				f,
				`de eenheid van de indicator is nu ${UNIT_LABEL[indicator.unit].toLowerCase()}: deze vraag voedt haar niet meer`
			);
		else if (poll.date > todayIso(new Date(now))) skip(f, `de peiling is gedateerd na vandaag (${poll.date})`);
		else if (seen.has(indicator.id)) skip(f, TWICE);
		else {
			seen.add(indicator.id);
			usable.push({ figure: f, indicator });
		}
	}
	if (usable.length === 0) return { outcome, rows: [] };

	const ids = usable.map((u) => u.indicator.id);
	const existing = new Set(
		(await measurements.existingFor(tx, ids, [poll.date]))
			.filter((m) => m.region_id === poll.region_id)
			.map((m) => m.indicator_id)
	);
	const previous = new Map(
		(
			await measurements.previousApproved(
				tx,
				usable
					.filter((u) => u.indicator.rules?.maxChange != null)
					.map((u) => ({ indicatorId: u.indicator.id, regionId: poll.region_id, date: poll.date }))
			)
		).map((p) => [p.indicator_id, { value: p.value!, date: p.previous_date }])
	);

	const rows: { figure: PollFigure; indicator: IndicatorRef; row: Insertable<MeasurementTable> }[] = [];
	for (const { figure: f, indicator } of usable) {
		if (existing.has(indicator.id)) {
			skip(f, EXISTS);
			continue;
		}
		const check = checkValue(indicator.rules, f.value, previous.get(indicator.id) ?? null);
		if (check.refused) {
			skip(f, check.refused);
			continue;
		}
		const categories = keptCategories(f, indicator, outcome);
		const dimensions = indicator.dimensions ?? [];
		const flags = [
			...check.flags,
			...categoryFlags(categories, { unit: indicator.unit, dimensions, total: { value: f.value, n: f.n } })
		];
		rows.push({
			figure: f,
			indicator,
			row: {
				indicator_id: indicator.id,
				region_id: poll.region_id,
				date: poll.date,
				value: f.value,
				text: null,
				n: f.n,
				source: `peiling ${poll.name}`,
				note: null,
				status: 'submitted',
				review_comment: null,
				review_flags: storeFlags(flags),
				categories: storeCategories(categories, dimensions),
				poll_id: poll.id,
				demo: poll.demo,
				created_by: by?.userId ?? null,
				reviewed_by: null,
				reviewed_at: null,
				created_at: now,
				updated_at: now
			}
		});
	}

	// a measurement someone stored meanwhile (after `existingFor` looked) is left as it is, and listed
	const inserted = new Map(
		(
			await repo.insertPollMeasurements(
				tx,
				rows.map((r) => r.row)
			)
		).map((r) => [r.indicator_id, r.id])
	);
	const made: { id: number; indicator: string; row: Insertable<MeasurementTable> }[] = [];
	for (const { figure: f, indicator, row } of rows) {
		const id = inserted.get(indicator.id);
		if (id === undefined) {
			skip(f, EXISTS);
			continue;
		}
		outcome.measurements.push({ id, question: f.question, indicator: indicator.code, value: f.value, n: f.n });
		made.push({ id, indicator: indicator.code, row });
	}
	return { outcome, rows: made };
}

/** A figure's categories that pass the breakdown rules; the others are listed in the outcome. */
function keptCategories(f: PollFigure, indicator: IndicatorRef, outcome: PollOutcome): CategoryValue[] {
	const list: CategoryValue[] = f.categories.map(({ dimension, category, value, n }) => ({
		dimension,
		category,
		value,
		n
	}));
	const issues = categoryIssues(list, {
		unit: indicator.unit,
		dimensions: indicator.dimensions ?? [],
		total: { value: f.value, n: f.n }
	});
	const drop = (c: CategoryValue, reason: string) =>
		outcome.droppedCategories.push({ question: f.question, indicator: f.indicator, category: categoryKey(c), reason });
	const whole = issues.find((i) => i.index === null);
	if (whole) {
		for (const c of list) drop(c, whole.message);
		return [];
	}
	const refused = new Map(issues.map((i) => [i.index!, i.message]));
	for (const [i, reason] of refused) drop(list[i], reason);
	return list.filter((_, i) => !refused.has(i));
}

/** Closes a poll whose closing time has passed, when it is still open (a facilitator's page opening it). */
export async function closeIfOverdue(
	db: Kysely<Database>,
	programmeId: number,
	pollId: number,
	now = nowIso()
): Promise<boolean> {
	const poll = await repo.findPoll(db, programmeId, pollId);
	if (!poll || poll.status !== 'open' || poll.closes_at > now) return false;
	return (await closePoll(db, programmeId, pollId, null, now)).ok;
}

/**
 * The scheduled closing: every open poll past its closing time, at most CLOSE_BATCH a run, each in its own
 * transaction. Several servers may run it at once: `markClosed` lets one close each poll, the others are
 * refused and skip it. A poll that fails to close is logged and the others are still closed.
 */
export async function closeOverduePolls(db: Kysely<Database>, now = nowIso()): Promise<number> {
	let closed = 0;
	for (const p of await repo.overduePolls(db, now, CLOSE_BATCH)) {
		try {
			if ((await closePoll(db, p.programme_id, p.id, null, now)).ok) closed++;
		} catch (e) {
			logError(e, `closing poll ${p.id} failed`);
		}
	}
	return closed;
}
