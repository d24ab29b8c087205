import type { Insertable, Kysely } from 'kysely';
import type { Database, MeasurementTable, Programme } from '../db/schema.ts';
import type { Conn } from '../db/types.ts';
import { measurementKey, sameContent } from '../../domain/measurement.ts';
import { ImportChecker, sortIssues, type ImportIssue, type ImportRow } from '../../domain/measurement-import.ts';
import { can, type Actor } from '../../domain/permissions.ts';
import { FileReadError, openMeasurementFile } from '../files/measurement-reader.ts';
import * as repo from '../repositories/measurement.repository.ts';
import { writeAudit } from '../repositories/audit.repository.ts';
import { entryColumns, programmeScope, reviewColumns } from './measurement.service.ts';

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

export type ImportResult = ({ ok: true } & ImportSummary) | { ok: false; rows: number; issues: ImportIssue[] };

/** Who imports: a person (their role decides the status) or the operator's command line (approved). */
export type Importer = { actor: Actor } | { operator: true };

const BATCH = 500;
/** How many replaced measurements an import's audit entry lists with before and after. */
const AUDIT_DETAIL = 500;

class Refused extends Error {}

const CONCURRENT = 'terwijl dit bestand werd ingelezen, heeft iemand anders metingen met dezelfde indicator, regio en datum opgeslagen; importeer het bestand opnieuw';

/**
 * Imports a measurement file all or nothing: every row is checked, streaming, inside one transaction;
 * rows are written in batches while no row has failed, and any failure rolls everything back and
 * returns every wrong row with its row number, column and reason. One audit entry per import; it lists the
 * before and after of the first AUDIT_DETAIL measurements it replaced (bounded, however large the file).
 */
export async function importMeasurements(
	db: Kysely<Database>,
	programme: Programme,
	by: Importer,
	input: AsyncIterable<Uint8Array>,
	options: ImportOptions
): Promise<ImportResult> {
	const approver = 'operator' in by || can(by.actor, 'measurement:approve', programme.id);
	const userId = 'actor' in by ? by.actor.userId : null;
	const issues: ImportIssue[] = [];
	const summary: ImportSummary = { rows: 0, added: 0, replaced: 0, unchanged: 0 };
	const scope = await programmeScope(db, programme);
	// what the import overwrote, for its audit entry
	const replaced: { before: object[]; after: object[] } = { before: [], after: [] };

	const flush = async (tx: Conn, batch: ImportRow[]) => {
		if (batch.length === 0) return;
		const existing = await repo.existingFor(tx, [...new Set(batch.map((r) => r.entry.indicator.id))], [...new Set(batch.map((r) => r.entry.date))]);
		const stored = new Map(existing.map((m) => [measurementKey(m.indicator_id, m.region_id, m.date), m]));
		const now = new Date().toISOString();
		const inserts: Insertable<MeasurementTable>[] = [];
		const replacements: Insertable<MeasurementTable>[] = [];
		for (const { row, entry: e, demo } of batch) {
			const old = stored.get(measurementKey(e.indicator.id, e.region.id, e.date));
			if (old) {
				if (!options.replace) {
					issues.push({ row, column: '', message: 'er is al een meting voor deze indicator, regio en datum; kies "vervangen" om die te overschrijven' });
					continue;
				}
				if (!approver && old.status === 'approved') {
					issues.push({ row, column: '', message: 'vervangt een goedgekeurde meting; dat kan alleen een projectleider' });
					continue;
				}
				if (sameContent(old, e) && old.demo === (demo ? 1 : 0)) {
					summary.unchanged++;
					continue;
				}
				summary.replaced++;
				if (replaced.before.length < AUDIT_DETAIL) {
					const key = { id: old.id, indicator: e.indicator.code, region: e.region.slug, date: e.date };
					replaced.before.push({ ...key, value: old.value, text: old.text, n: old.n, source: old.source, note: old.note, status: old.status, demo: old.demo === 1 });
					replaced.after.push({ ...key, value: e.value, text: e.text, n: e.n, source: e.source, note: e.note, status: reviewColumns(approver, userId, now).status, demo });
				}
			} else summary.added++;
			(old ? replacements : inserts).push({ indicator_id: e.indicator.id, ...entryColumns(e), ...reviewColumns(approver, userId, now), demo: demo ? 1 : 0, created_by: userId, updated_at: now });
		}
		if (issues.length) return;
		// a row stored meanwhile by someone else is never overwritten by a row this import took for new
		if ((await repo.insertNew(tx, inserts)) < inserts.length) {
			issues.push({ row: 0, column: '', message: CONCURRENT });
			throw new Refused();
		}
		await repo.upsertMany(tx, replacements);
	};

	try {
		await db.transaction().execute(async (tx) => {
			const file = await openMeasurementFile(input);
			const checker = new ImportChecker(scope.context(file.decimal));
			let header = false;
			let batch: ImportRow[] = [];
			for await (const { row, cells } of file.rows) {
				if (!header) {
					if (cells.every((c) => c === null || String(c).trim() === '')) continue;
					header = true;
					const problems = checker.header(cells, row);
					if (problems.length) {
						issues.push(...problems);
						break;
					}
					continue;
				}
				const checked = checker.row(cells, row);
				if (checked === null) continue;
				if (!checked.ok) issues.push(...checked.issues);
				else batch.push(checked.row);
				if (batch.length >= BATCH) {
					await flush(tx, batch);
					batch = [];
				}
			}
			await flush(tx, batch);
			summary.rows = checker.rows;
			if (!header) issues.push({ row: 0, column: '', message: 'het bestand is leeg: geen kopregel gevonden' });
			else if (checker.rows === 0 && issues.length === 0) issues.push({ row: 0, column: '', message: 'het bestand bevat geen metingen, alleen een kopregel' });
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
					...(replaced.after.length ? { replacedValues: replaced.after, replacedNotListed: summary.replaced - replaced.after.length } : {})
				}
			});
		});
	} catch (e) {
		if (e instanceof FileReadError) issues.push({ row: e.row, column: '', message: e.message });
		else if (!(e instanceof Refused)) throw e;
	}
	if (issues.length) return { ok: false, rows: summary.rows, issues: sortIssues(issues) };
	return { ok: true, ...summary };
}
