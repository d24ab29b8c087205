import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Insertable, Kysely } from 'kysely';
import type { Database, MeasurementTable, Programme } from '../db/schema.ts';
import type { DecimalMark } from '../../domain/dutch-format.ts';
import type { Conn } from '../db/types.ts';
import { exclusiveWriter } from '../db/create-db.ts';
import {
	canEditMeasurement,
	measurementKey,
	sameContent,
	type EntryContext,
	type MeasurementStatus
} from '../../domain/measurement.ts';
import { ImportChecker, IssueList, type ImportIssue, type ImportRow } from '../../domain/measurement-import.ts';
import { can, type Actor } from '../../domain/permissions.ts';
import { FileReadError, openMeasurementFile, UploadTooLarge } from '../files/measurement-reader.ts';
import * as repo from '../repositories/measurement.repository.ts';
import { writeAudit } from '../repositories/audit.repository.ts';
import { entryColumns, programmeScope, reviewColumns } from './measurement.service.ts';
import { ok, refuse, type Result } from '../../domain/result.ts';
import { plural } from '../../domain/dutch-format.ts';

export interface ImportOptions {
	/** how the file is called in messages and the audit log */
	fileName: string;
	/** overwrite measurements that already exist for the same (indicator, region, date) */
	replace: boolean;
}

export interface ImportSummary {
	rows: number;
	added: number;
	replaced: number;
	unchanged: number;
}

/**
 * A refused file (422 `import_refused`): `issues` lists at most IMPORT_LIMITS.listedIssues problems (each
 * with its row and column), then one line per kind of the rest; `counts.problems` is how many there were in
 * all, `counts.rows` how many rows were read. 413 `payload_too_large`: the server's body limit cut the upload off.
 */
function refused(rows: number, problems: number, issues: readonly ImportIssue[], tooLarge = false): Result<never> {
	return refuse({
		code: tooLarge ? 'payload_too_large' : 'import_refused',
		status: tooLarge ? 413 : 422,
		message: tooLarge
			? 'Het bestand is te groot voor deze server.'
			: `Het bestand is geweigerd: ${plural(problems, 'probleem', 'problemen')}. Er is niets geïmporteerd.`,
		issues: issues.map((i) => ({ path: i.column ? `${i.row}.${i.column}` : String(i.row), ...i })),
		counts: { rows, problems }
	});
}

/** Who imports: a person (their role decides the status) or the operator's command line (approved). */
export type Importer = { actor: Actor } | { operator: true };

const BATCH = 500;
/** Rows read and checked between two turns of the event loop, so other requests are answered during an import. */
const ROWS_PER_TURN = 500;
/** How many replaced measurements an import's audit entry lists with before and after. */
const AUDIT_DETAIL = 500;

class Refused extends Error {}

const APPROVED_REFUSAL = 'vervangt een goedgekeurde meting; dat kan alleen een projectleider';
const NOT_YOURS_REFUSAL =
	'vervangt een meting die iemand anders heeft ingevoerd; alleen die persoon of een projectleider mag haar wijzigen';
const TOO_LARGE = 'het bestand is groter dan deze server aanneemt';
const CONCURRENT =
	'terwijl dit bestand werd ingelezen, heeft iemand anders metingen met dezelfde indicator, regio en datum opgeslagen; importeer het bestand opnieuw';

/**
 * Imports a measurement file all or nothing. First every row is read and checked, streaming and outside any
 * transaction (yielding to other requests every ROWS_PER_TURN rows; the reader stops at IMPORT_LIMITS); a
 * wrong row refuses the file without touching the database. Then the checked rows are written in one
 * transaction, in batches: a row that exists already, that this importer may not change, or that someone
 * stored meanwhile rolls everything back. So the database is held only while writing, never while a slow
 * upload is read. One audit entry per import; it lists the before and after of the first AUDIT_DETAIL
 * measurements it replaced (bounded, however large the file).
 */
export async function importMeasurements(
	db: Kysely<Database>,
	programme: Programme,
	by: Importer,
	input: AsyncIterable<Uint8Array>,
	options: ImportOptions
): Promise<Result<ImportSummary>> {
	const approver = 'operator' in by || can(by.actor, 'measurement:approve', programme.id);
	const userId = 'actor' in by ? by.actor.userId : null;
	const issues = new IssueList();
	const summary: ImportSummary = { rows: 0, added: 0, replaced: 0, unchanged: 0 };
	const scope = await programmeScope(db, programme);
	// what the import overwrote, for its audit entry
	const replaced: { before: object[]; after: object[] } = { before: [], after: [] };
	/** the one edit rule (PATCH and the edit page use it too); the operator's command line may replace anything */
	const mayReplace = (old: { created_by: number | null; status: string }) =>
		'operator' in by ||
		canEditMeasurement(by.actor, programme.id, { createdBy: old.created_by, status: old.status as MeasurementStatus });

	const flush = async (tx: Conn, batch: ImportRow[]) => {
		if (batch.length === 0) return;
		const existing = await repo.existingFor(
			tx,
			[...new Set(batch.map((r) => r.entry.indicator.id))],
			[...new Set(batch.map((r) => r.entry.date))]
		);
		const stored = new Map(existing.map((m) => [measurementKey(m.indicator_id, m.region_id, m.date), m]));
		const now = new Date().toISOString();
		const inserts: Insertable<MeasurementTable>[] = [];
		const replacements: Insertable<MeasurementTable>[] = [];
		for (const { row, entry: e, demo } of batch) {
			const old = stored.get(measurementKey(e.indicator.id, e.region.id, e.date));
			if (old) {
				if (!options.replace) {
					issues.add({
						row,
						column: '',
						message: 'er is al een meting voor deze indicator, regio en datum; kies "vervangen" om die te overschrijven'
					});
					continue;
				}
				if (!mayReplace(old)) {
					issues.add({ row, column: '', message: old.status === 'approved' ? APPROVED_REFUSAL : NOT_YOURS_REFUSAL });
					continue;
				}
				if (sameContent(old, e) && old.demo === (demo ? 1 : 0)) {
					summary.unchanged++;
					continue;
				}
				summary.replaced++;
				if (replaced.before.length < AUDIT_DETAIL) {
					const key = { id: old.id, indicator: e.indicator.code, region: e.region.slug, date: e.date };
					replaced.before.push({
						...key,
						value: old.value,
						text: old.text,
						n: old.n,
						source: old.source,
						note: old.note,
						status: old.status,
						demo: old.demo === 1
					});
					replaced.after.push({
						...key,
						value: e.value,
						text: e.text,
						n: e.n,
						source: e.source,
						note: e.note,
						status: reviewColumns(approver, userId, now).status,
						demo
					});
				}
			} else summary.added++;
			(old ? replacements : inserts).push({
				indicator_id: e.indicator.id,
				...entryColumns(e),
				...reviewColumns(approver, userId, now),
				demo: demo ? 1 : 0,
				created_by: userId,
				updated_at: now
			});
		}
		if (issues.length) return;
		// a row stored meanwhile by someone else is never overwritten by a row this import took for new
		if ((await repo.insertNew(tx, inserts)) < inserts.length) {
			issues.add({ row: 0, column: '', message: CONCURRENT });
			throw new Refused();
		}
		await repo.upsertMany(tx, replacements);
	};

	try {
		const rows = await checkFile(input, scope.context, issues);
		summary.rows = rows.count;
		if (issues.length) {
			// the good rows are still checked against what is stored (read only, flush writes nothing once a row failed), so every wrong row is listed
			for (let i = 0; i < rows.checked.length; i += BATCH) await flush(db, rows.checked.slice(i, i + BATCH));
			throw new Refused();
		}
		// SQLite: a connection of its own, so the server's keeps answering while this one writes
		const writer = exclusiveWriter(db);
		const inTransaction = <T>(work: (tx: Conn) => Promise<T>) =>
			writer ? writer(work) : db.transaction().execute(work);
		await inTransaction(async (tx) => {
			for (let i = 0; i < rows.checked.length; i += BATCH) {
				await flush(tx, rows.checked.slice(i, i + BATCH));
				await nextTurn();
			}
			if (issues.length) throw new Refused();
			await writeAudit(tx, {
				by: 'actor' in by ? by.actor : null,
				programmeId: programme.id,
				entity: 'measurement',
				entityId: null,
				action: 'import',
				before: replaced.before.length ? { replaced: replaced.before } : null,
				after: {
					file: options.fileName,
					replace: options.replace,
					...summary,
					...(replaced.after.length
						? { replacedValues: replaced.after, replacedNotListed: summary.replaced - replaced.after.length }
						: {})
				}
			});
		});
	} catch (e) {
		if (e instanceof UploadTooLarge)
			return refused(summary.rows, 1, [{ row: 0, column: '', message: TOO_LARGE }], true);
		if (e instanceof FileReadError) issues.stop({ row: e.row, column: '', message: e.message });
		else if (!(e instanceof Refused)) throw e;
	}
	if (issues.length) return refused(summary.rows, issues.total, issues.issues());
	return ok(summary);
}

/** The file's rows read and checked, outside any transaction; the valid ones are kept (at most IMPORT_LIMITS.rows). */
async function checkFile(
	input: AsyncIterable<Uint8Array>,
	context: (decimal: DecimalMark) => EntryContext,
	issues: IssueList
) {
	const file = await openMeasurementFile(input);
	const checker = new ImportChecker(context(file.decimal));
	const checked: ImportRow[] = [];
	let header = false;
	let read = 0;
	for await (const { row, cells } of file.rows) {
		if (++read % ROWS_PER_TURN === 0) await nextTurn();
		if (!header) {
			if (cells.every((c) => c === null || String(c).trim() === '')) continue;
			header = true;
			const problems = checker.header(cells, row);
			if (problems.length) {
				for (const p of problems) issues.add(p);
				break;
			}
			continue;
		}
		const result = checker.row(cells, row);
		if (result === null) continue;
		if (!result.ok) for (const i of result.issues) issues.add(i);
		else checked.push(result.row);
	}
	if (!header) issues.add({ row: 0, column: '', message: 'het bestand is leeg: geen kopregel gevonden' });
	else if (checker.rows === 0 && issues.length === 0)
		issues.add({ row: 0, column: '', message: 'het bestand bevat geen metingen, alleen een kopregel' });
	return { count: checker.rows, checked };
}
