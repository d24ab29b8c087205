import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { RequestContext } from '../request-context.ts';
import { transact } from '../db/types.ts';
import { LIMITS, type MeasurementRecord } from '../../domain/measurement.ts';
import { outlierReasons, type History } from '../../domain/outlier.ts';
import { can, type Actor } from '../../domain/permissions.ts';
import { invalid, ok, refuse, type Issue, type Refused, type Result } from '../../domain/result.ts';
import * as repo from '../repositories/measurement.repository.ts';
import { reviewMeasurement, toRecord } from './measurement.service.ts';
import { parseDimensions } from '../../domain/breakdown.ts';
import { enteredCategories, type EnteredCategory } from '../../domain/measurement-categories.ts';

/** The review queue with what a reviewer compares against, several reviews at once, and what waits for whom. */

/** A value with its date, as the review card shows baseline, target and the previous value. */
export interface Dated {
	value: number;
	date: string | null;
}

export interface ReviewCard extends MeasurementRecord {
	/** the latest approved value of the same indicator and region dated before this one */
	previous: Dated | null;
	baseline: Dated | null;
	target: Dated | null;
	/** the approved values before this one, oldest first (at most SPARK_POINTS) */
	history: History[];
	/** why a reviewer should look twice, in Dutch; empty when nothing is odd */
	flags: string[];
	/** the categories as entered, small groups marked (the card is a data-entry view of one measurement) */
	breakdown: EnteredCategory[];
}

const SPARK_POINTS = 12;
/** The page shows at most this many waiting measurements, newest first. */
const QUEUE_LIMIT = 200;

const dated = (value: number | null, date: string | null): Dated | null => (value === null ? null : { value, date });

/**
 * The submitted measurements (at most 200, newest first) with their context, in a fixed number of queries
 * whatever the queue's length: the queue and its count, then the approved history and the norms of all its
 * indicators at once. The caller has checked that the actor may approve.
 */
export async function reviewCards({ db, programme }: RequestContext): Promise<{ cards: ReviewCard[]; total: number }> {
	const waiting: repo.RecordFilter = { status: ['submitted'] };
	const [raw, total] = await Promise.all([
		repo.listRecords(db, programme.id, waiting, { limit: QUEUE_LIMIT, offset: 0 }),
		repo.countRecords(db, programme.id, waiting)
	]);
	const indicatorIds = [...new Set(raw.map((r) => r.indicator_id))];
	const regionIds = [...new Set(raw.map((r) => r.region_id))];
	const [history, norms] = await Promise.all([
		repo.approvedHistory(db, indicatorIds, regionIds),
		repo.norms(db, indicatorIds)
	]);
	const normOf = new Map(norms.map((n) => [n.id, n]));
	const dimensions = parseDimensions(programme.dimensions);
	const pairOf = new Map<string, History[]>();
	for (const h of history) {
		const key = `${h.indicator_id}/${h.region_id}`;
		const list = pairOf.get(key) ?? [];
		list.push({ date: h.date, value: h.value! });
		pairOf.set(key, list);
	}
	const cards = raw.map((r): ReviewCard => {
		const m = toRecord(r);
		const before = (pairOf.get(`${r.indicator_id}/${r.region_id}`) ?? []).filter((h) => h.date < m.date);
		const norm = normOf.get(r.indicator_id);
		return {
			...m,
			previous: before.length ? before[before.length - 1] : null,
			baseline: norm ? dated(norm.baseline_value, norm.baseline_date) : null,
			target: norm ? dated(norm.target_value, norm.target_date) : null,
			history: before.slice(-SPARK_POINTS),
			// the plan's rules (stored at entry) first, then what the history makes stand out
			flags: [...m.reviewFlags, ...outlierReasons(m.value, m.unit, before)],
			breakdown: enteredCategories(m.categories, m.unit, dimensions, programme.min_group_size)
		};
	});
	return { cards, total };
}

/** At most this many measurements are reviewed in one go (the page shows at most 200 as well). */
export const BULK_LIMIT = 200;

export interface BulkReview {
	items: { id: number; version: number }[];
	decision: 'approve' | 'return';
	comment: string | null;
}

/** Thrown inside the transaction when one measurement is refused after the check: undoes everything. */
class ItemRefused extends Error {
	constructor(readonly refused: Refused) {
		super('item refused');
	}
}

const changedMeanwhile = (issues: Issue[]) =>
	refuse({
		status: 409,
		code: 'conflict',
		message: `Niets beoordeeld: ${issues.length === 1 ? 'een meting is' : `${issues.length} metingen zijn`} intussen door iemand anders beoordeeld of gewijzigd. Ververs de pagina en kies opnieuw.`,
		issues
	});

const describe = (r: repo.RecordRow) => `${r.indicator} ${r.region_name} ${r.date}`;

/**
 * Approves or returns several submitted measurements at once: all or nothing, in one transaction, each one
 * through the single review (the plan's rules checked again, flags kept, audited). One that someone else
 * reviewed or changed meanwhile (another version, no longer submitted, gone), or that the plan's range now
 * refuses, is reported by name, and then nothing changes.
 */
export async function reviewMany(
	{ db, programme, actor }: RequestContext,
	{ items, decision, comment }: BulkReview
): Promise<Result<MeasurementRecord[]>> {
	const note = comment?.trim() || null;
	if (items.length === 0) return invalid({ items: 'kies minstens één meting' }, 'Kies minstens één meting.');
	if (items.length > BULK_LIMIT)
		return invalid({ items: `hoogstens ${BULK_LIMIT} metingen tegelijk` }, 'Te veel metingen tegelijk.');
	if (new Set(items.map((i) => i.id)).size !== items.length)
		return invalid({ items: 'elke meting maar één keer' }, 'Een meting staat er twee keer in.');
	if (decision === 'return' && !note)
		return invalid({ comment: 'schrijf waarom je de metingen terugstuurt' }, 'Schrijf waarom je ze terugstuurt.');
	if (note && note.length > LIMITS.note) return invalid({ comment: `hoogstens ${LIMITS.note} tekens` });
	const ids = items.map((i) => i.id);
	try {
		return await transact(db, async (tx): Promise<Result<MeasurementRecord[]>> => {
			const rows = new Map(
				(await repo.listRecords(tx, programme.id, { ids }, { limit: BULK_LIMIT, offset: 0 })).map((r) => [r.id, r])
			);
			const issues: Issue[] = [];
			items.forEach(({ id, version }, i) => {
				const row = rows.get(id);
				if (!row) issues.push({ path: `items.${i}`, message: `meting ${id} bestaat niet (meer)` });
				else if (row.status !== 'submitted')
					issues.push({
						path: `items.${i}`,
						message: `${describe(row)} is al ${row.status === 'approved' ? 'goedgekeurd' : 'teruggestuurd'}`
					});
				else if (row.version !== version)
					issues.push({ path: `items.${i}`, message: `${describe(row)} is intussen gewijzigd` });
			});
			if (issues.length) return changedMeanwhile(issues);
			// each one exactly as a single review: the plan's rules checked, flags kept, audited
			for (const [i, { id, version }] of items.entries()) {
				const one = await reviewMeasurement({ db: tx, programme, actor }, id, version, { decision, comment: note });
				if (!one.ok) {
					const message = `${describe(rows.get(id)!)}: ${one.refusal.message}`;
					throw new ItemRefused(
						one.refusal.status === 409
							? changedMeanwhile([{ path: `items.${i}`, message }])
							: refuse({
									...one.refusal,
									message: `Niets beoordeeld. ${message}`,
									issues: [{ path: `items.${i}`, message }]
								})
					);
				}
			}
			const after = await repo.listRecords(tx, programme.id, { ids }, { limit: BULK_LIMIT, offset: 0 });
			return ok(after.map(toRecord));
		});
	} catch (err) {
		if (err instanceof ItemRefused) return err.refused;
		throw err;
	}
}

/** What waits for this person in a programme: review (only for who may approve) and their own returned ones. */
export interface Attention {
	/** null: this person may not approve */
	toReview: number | null;
	returned: number;
}

/** Per programme id, in one query for all of them. */
export async function attentionFor(
	db: Kysely<Database>,
	actor: Actor,
	programmeIds: number[]
): Promise<Map<number, Attention>> {
	const rows = await repo.attentionCounts(db, programmeIds, actor.userId);
	return new Map(
		programmeIds.map((id) => {
			const r = rows.find((x) => x.programmeId === id);
			return [
				id,
				{
					toReview: can(actor, 'measurement:approve', id) ? (r?.submitted ?? 0) : null,
					returned: actor.userId === null ? 0 : (r?.returned ?? 0)
				}
			];
		})
	);
}
