import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Insertable, Kysely } from 'kysely';
import type { Database, MeasurementTable } from '../db/schema.ts';
import type { DecimalMark } from '../../domain/dutch-format.ts';
import type { Conn } from '../db/types.ts';
import type { ProgrammeContext, RequestContext } from '../request-context.ts';
import { exclusiveWriter } from '../db/create-db.ts';
import { canEditMeasurement, measurementKey, sameContent, type EntryContext } from '../../domain/measurement.ts';
import { ImportChecker, IssueList, type ImportIssue, type ImportRow } from '../../domain/measurement-import.ts';
import { can } from '../../domain/permissions.ts';
import { FileReadError, openMeasurementFile, UploadTooLarge } from '../files/measurement-reader.ts';
import * as repo from '../repositories/measurement.repository.ts';
import { writeAudit, type AuditEntry } from '../repositories/audit.repository.ts';
import { entryColumns, programmeScope, reviewColumns } from './measurement.service.ts';
import { ok, refuse, type Result } from '../../domain/result.ts';
import { plural } from '../../domain/dutch-format.ts';
import { checkValue, storeFlags, type PreviousValue } from '../../domain/value-rules.ts';
import { countImportRows } from '../metrics.ts';
import {
	dimensionsOf,
	parseCategories,
	parseDimensions,
	parseIndicatorDimensions,
	storeCategories,
	type CategoryValue,
	type Dimension
} from '../../domain/breakdown.ts';
import { categoryHeaders, resolveCategories } from '../../domain/measurement-file-categories.ts';
import type { Programme } from '../db/schema.ts';

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

/**
 * Who imports: a person in the programme (the request context; their role decides the status) or the
 * operator's command line (approved, and it may replace anything).
 */
export type ImportContext = RequestContext | (ProgrammeContext & { operator: true });

const BATCH = 500;
/** Rows read and checked between two turns of the event loop, so other requests are answered during an import. */
const ROWS_PER_TURN = 500;
/** How many replaced measurements an import's audit entry lists with before and after. */
const AUDIT_DETAIL = 500;

class Refused extends Error {}

const EXISTS_REFUSAL =
	'er is al een meting voor deze indicator, regio en datum; kies "vervangen" om die te overschrijven';
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
	ctx: ImportContext,
	input: AsyncIterable<Uint8Array>,
	options: ImportOptions
): Promise<Result<ImportSummary>> {
	const issues = new IssueList();
	const scope = await programmeScope(ctx);
	const breakdown = await breakdownOf(ctx);
	const writer = new BatchWriter(importRules(ctx, options.replace), issues, breakdown.of);
	let rows = 0;
	try {
		const file = await checkFile(input, scope.context, breakdown.dimensions, issues);
		rows = file.count;
		if (issues.length) {
			// the good rows are still checked against what is stored (read only: the writer writes nothing once a
			// row failed), so every wrong row is listed
			for (const batch of inBatches(file.checked)) await writer.write(ctx.db, batch);
			throw new Refused();
		}
		await inOneTransaction(ctx.db, async (tx) => {
			for (const batch of inBatches(file.checked)) {
				await writer.write(tx, batch);
				await nextTurn();
			}
			if (issues.length) throw new Refused();
			await writeAudit(tx, auditEntry(ctx, options, { rows, ...writer.counts }, writer.replaced));
		});
	} catch (e) {
		if (e instanceof UploadTooLarge) {
			countImportRows('refused', rows);
			return refused(rows, 1, [{ row: 0, column: '', message: TOO_LARGE }], true);
		}
		if (e instanceof FileReadError) issues.stop({ row: e.row, column: '', message: e.message });
		else if (!(e instanceof Refused)) throw e;
	}
	if (issues.length) {
		countImportRows('refused', rows);
		return refused(rows, issues.total, issues.issues());
	}
	countImportRows('imported', rows);
	return ok({ rows, ...writer.counts });
}

/** One transaction for all batches; on SQLite on a connection of its own, so the server's keeps answering meanwhile. */
function inOneTransaction<T>(db: Kysely<Database>, work: (tx: Conn) => Promise<T>): Promise<T> {
	const writer = exclusiveWriter(db);
	return writer ? writer(work) : db.transaction().execute(work);
}

/** The category columns a new measurement of this programme may have in a file (the import page names them). */
export const importCategoryColumns = (programme: Pick<Programme, 'dimensions'>) =>
	categoryHeaders(
		parseDimensions(programme.dimensions).map((d) => ({ ...d, values: d.values.filter((v) => !v.archived) }))
	).map(({ value, n }) => ({ value, n }));

/** The programme's dimensions (a file's category columns) and those each indicator is split by. */
async function breakdownOf({ db, programme }: ImportContext) {
	const dimensions = parseDimensions(programme.dimensions);
	const rows = await repo.indicatorDimensionKeys(db, programme.id);
	const byIndicator = new Map(
		rows.map((r) => [r.id, dimensionsOf(dimensions, parseIndicatorDimensions(r.dimensions))])
	);
	return { dimensions, of: (indicatorId: number) => byIndicator.get(indicatorId) ?? [] };
}

function* inBatches(rows: ImportRow[]) {
	for (let i = 0; i < rows.length; i += BATCH) yield rows.slice(i, i + BATCH);
}

type StoredMeasurement = Awaited<ReturnType<typeof repo.existingFor>>[number];

/** What an importer may do, decided once per import. */
interface ImportRules {
	/** the status and reviewer the written measurements get */
	review(now: string): ReturnType<typeof reviewColumns>;
	userId: number | null;
	replace: boolean;
	/** the one edit rule (PATCH and the edit page use it too); the operator's command line may replace anything */
	mayReplace(old: StoredMeasurement): boolean;
}

function importRules(ctx: ImportContext, replace: boolean): ImportRules {
	const { programme } = ctx;
	const actor = 'operator' in ctx ? null : ctx.actor;
	const approver = actor === null || can(actor, 'measurement:approve', programme.id);
	const userId = actor?.userId ?? null;
	return {
		review: (now) => reviewColumns(approver, userId, now),
		userId,
		replace,
		mayReplace: (old) =>
			actor === null || canEditMeasurement(actor, programme.id, { createdBy: old.created_by, status: old.status })
	};
}

/** The replaced measurements an audit entry lists: before and after, the first AUDIT_DETAIL of them. */
interface ReplacedDetail {
	before: object[];
	after: object[];
}

/**
 * Writes checked rows batch by batch, and keeps what an import reports: how many it added, replaced and left
 * unchanged, and the detail of what it replaced. A row it may not write goes to `issues`; from then on it
 * checks the rest but writes nothing (the import is refused).
 */
class BatchWriter {
	readonly counts = { added: 0, replaced: 0, unchanged: 0 };
	readonly replaced: ReplacedDetail = { before: [], after: [] };
	readonly #rules: ImportRules;
	readonly #issues: IssueList;
	readonly #dimensionsOf: (indicatorId: number) => readonly Dimension[];

	constructor(rules: ImportRules, issues: IssueList, dimensionsOf: (indicatorId: number) => readonly Dimension[]) {
		this.#rules = rules;
		this.#issues = issues;
		this.#dimensionsOf = dimensionsOf;
	}

	async write(conn: Conn, batch: ImportRow[]): Promise<void> {
		if (batch.length === 0) return;
		const stored = await storedFor(conn, batch);
		const previous = await previousFor(conn, batch);
		const now = new Date().toISOString();
		const inserts: Insertable<MeasurementTable>[] = [];
		const replacements: Insertable<MeasurementTable>[] = [];
		for (const row of batch) {
			const { entry: e } = row;
			const old = stored.get(measurementKey(e.indicator.id, e.region.id, e.date));
			const refusal = old && this.#refusal(old);
			if (refusal) {
				this.#issues.add({ row: row.row, column: '', message: refusal });
				continue;
			}
			const storedCategories = old ? parseCategories(old.categories) : null;
			const dimensions = this.#dimensionsOf(e.indicator.id);
			// a file's categories against the stored measurement: a kept figure (the export's marker) is looked up
			const resolved = resolveCategories(row.categories, storedCategories, {
				unit: e.indicator.unit,
				dimensions,
				total: { value: e.value, n: e.n }
			});
			if (!resolved.ok) {
				for (const issue of resolved.issues) this.#issues.add({ row: row.row, ...issue });
				continue;
			}
			const { categories } = resolved;
			if (
				old &&
				sameContent({ ...old, categories: storedCategories! }, { ...e, categories }) &&
				old.demo === (row.demo ? 1 : 0)
			) {
				this.counts.unchanged++;
				continue;
			}
			if (old) this.#noteReplaced(old, storedCategories!, row, categories, now);
			else this.counts.added++;
			const { flags } = checkValue(row.entry.indicator.rules, e.value, previous.get(keyOf(row)) ?? null);
			(old ? replacements : inserts).push({
				...this.#columns(row, now),
				categories: storeCategories(categories, dimensions),
				review_flags: storeFlags([...flags, ...resolved.flags])
			});
		}
		if (this.#issues.length) return;
		// a row stored meanwhile by someone else is never overwritten by a row this import took for new
		if ((await repo.insertNew(conn, inserts)) < inserts.length) {
			this.#issues.add({ row: 0, column: '', message: CONCURRENT });
			throw new Refused();
		}
		await repo.upsertMany(conn, replacements);
	}

	#refusal(old: StoredMeasurement): string | null {
		if (!this.#rules.replace) return EXISTS_REFUSAL;
		if (!this.#rules.mayReplace(old)) return old.status === 'approved' ? APPROVED_REFUSAL : NOT_YOURS_REFUSAL;
		return null;
	}

	#columns({ entry: e, demo }: ImportRow, now: string): Insertable<MeasurementTable> {
		return {
			indicator_id: e.indicator.id,
			...entryColumns(e),
			...this.#rules.review(now),
			demo: demo ? 1 : 0,
			created_by: this.#rules.userId,
			updated_at: now
		};
	}

	#noteReplaced(
		old: StoredMeasurement,
		oldCategories: CategoryValue[],
		{ entry: e, demo }: ImportRow,
		categories: CategoryValue[],
		now: string
	) {
		this.counts.replaced++;
		if (this.replaced.before.length >= AUDIT_DETAIL) return;
		const key = { id: old.id, indicator: e.indicator.code, region: e.region.slug, date: e.date };
		const { value, text, n, source, note, status } = old;
		// categories only where there are any, so an import without breakdowns audits as before
		const listed = (list: CategoryValue[]) => (list.length ? { categories: list } : {});
		this.replaced.before.push({
			...key,
			value,
			text,
			n,
			source,
			note,
			...listed(oldCategories),
			status,
			demo: old.demo === 1
		});
		this.replaced.after.push({
			...key,
			value: e.value,
			text: e.text,
			n: e.n,
			source: e.source,
			note: e.note,
			...listed(categories),
			status: this.#rules.review(now).status,
			demo
		});
	}
}

/** The stored measurements a batch's rows may meet, by key. */
async function storedFor(conn: Conn, batch: ImportRow[]): Promise<Map<string, StoredMeasurement>> {
	const existing = await repo.existingFor(
		conn,
		[...new Set(batch.map((r) => r.entry.indicator.id))],
		[...new Set(batch.map((r) => r.entry.date))]
	);
	return new Map(existing.map((m) => [measurementKey(m.indicator_id, m.region_id, m.date), m]));
}

const keyOf = ({ entry: e }: ImportRow) => measurementKey(e.indicator.id, e.region.id, e.date);

/**
 * The previous approved value of each row whose indicator limits the change (value-rules.ts), in one query
 * per batch. Only stored values count: a file's own rows are not each other's previous value.
 */
async function previousFor(conn: Conn, batch: ImportRow[]): Promise<Map<string, PreviousValue>> {
	const keys = batch
		.filter(({ entry: e }) => e.value !== null && e.indicator.rules?.maxChange != null)
		.map(({ entry: e }) => ({ indicatorId: e.indicator.id, regionId: e.region.id, date: e.date }));
	const found = await repo.previousApproved(conn, keys);
	return new Map(
		found.map((p) => [measurementKey(p.indicator_id, p.region_id, p.date), { value: p.value!, date: p.previous_date }])
	);
}

/** The import's one audit entry. */
function auditEntry(
	ctx: ImportContext,
	options: ImportOptions,
	summary: ImportSummary,
	replaced: ReplacedDetail
): AuditEntry {
	return {
		by: 'operator' in ctx ? null : ctx.actor,
		programmeId: ctx.programme.id,
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
	};
}

/** The file's rows read and checked, outside any transaction; the valid ones are kept (at most IMPORT_LIMITS.rows). */
async function checkFile(
	input: AsyncIterable<Uint8Array>,
	context: (decimal: DecimalMark) => EntryContext,
	dimensions: readonly Dimension[],
	issues: IssueList
) {
	const file = await openMeasurementFile(input);
	const checker = new ImportChecker(context(file.decimal), dimensions);
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
