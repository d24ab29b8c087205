import type { Readable } from 'node:stream';
import type { Programme } from '../db/schema.ts';
import type { RequestContext } from '../request-context.ts';
import { csvStream, xlsxStream, type CsvDialect, type ExportRow } from '../files/measurement-writer.ts';
import * as repo from '../repositories/measurement.repository.ts';
import { listPhases } from '../repositories/phase.repository.ts';
import { UNIT_LABEL } from '../../domain/kompas.ts';
import { STATUS_LABEL } from '../../domain/measurement.ts';
import { staleAfter } from '../../domain/validity.ts';
import { resolveFilter, type MeasurementFilter } from './measurement-list.service.ts';
import { ok, type Result } from '../../domain/result.ts';
import { dimensionsOf, parseCategories, parseDimensions, parseIndicatorDimensions } from '../../domain/breakdown.ts';
import { categoryHeaders, exportCategoryCells } from '../../domain/measurement-file-categories.ts';

const PAGE = 2000;

export type ExportFormat = { kind: 'csv'; dialect: CsvDialect } | { kind: 'xlsx' };

/**
 * Measurements as a file, filtered by region (with the regions below it), theme, indicator, period
 * and status (approved unless asked otherwise; people who only read get approved ones only).
 * Read page by page, so an export of any size streams in bounded memory. Refused (400) when the filter
 * names something this programme does not have.
 */
export async function exportMeasurements(
	ctx: RequestContext,
	filter: MeasurementFilter,
	format: ExportFormat
): Promise<Result<Readable>> {
	const { db, programme } = ctx;
	const filtered = await resolveFilter(ctx, { ...filter, status: filter.status ?? 'approved' });
	if (!filtered.ok) return filtered;
	const resolved = filtered.value;
	// every phase of the programme: a per-phase value is valid to the end of the next one
	const phases = (await listPhases(db, programme.id)).map((p) => ({ id: p.id, start: p.start_date, end: p.end_date }));
	const columns = await categoryColumns(ctx, resolved.indicatorIds);
	async function* rows(): AsyncGenerator<ExportRow> {
		let after = 0;
		for (;;) {
			const page = await repo.exportPage(db, programme.id, resolved, after, PAGE);
			for (const r of page)
				yield {
					indicator: r.indicator,
					region: r.region,
					date: r.date,
					value: r.value,
					text: r.text,
					n: r.n,
					source: r.source,
					note: r.note,
					unit: UNIT_LABEL[r.unit],
					status: STATUS_LABEL[r.status],
					// a story is never counted as a figure, so it does not go stale
					staleAfter:
						r.text !== null
							? null
							: staleAfter(
									r.date,
									{ frequency: r.frequency, validMonths: r.valid_months, targetDate: r.target_date },
									phases
								),
					demo: r.demo === 1,
					categories: r.categories
						? exportCategoryCells(parseCategories(r.categories), r.unit, programme.min_group_size, columns)
						: undefined
				};
			if (page.length < PAGE) return;
			after = page[page.length - 1].id;
		}
	}
	return ok(format.kind === 'xlsx' ? xlsxStream(rows(), columns) : csvStream(rows(), format.dialect, columns));
}

/**
 * The category columns of an export: the programme's dimensions that an exported indicator is split by (all
 * the programme's indicators when the filter names none), in dimension order and value order; archived values
 * too, since old measurements may carry them. Derived indicators are left out: their figures come from the
 * action log, never from a stored measurement.
 */
async function categoryColumns({ db, programme }: RequestContext, indicatorIds: number[] | undefined) {
	const rows = await repo.indicatorDimensionKeys(db, programme.id);
	const used = new Set(
		rows
			.filter((r) => r.derived === null && (!indicatorIds || indicatorIds.includes(r.id)))
			.flatMap((r) => parseIndicatorDimensions(r.dimensions))
	);
	return categoryHeaders(dimensionsOf(parseDimensions(programme.dimensions), [...used]));
}

export function exportFileName(programme: Programme, format: ExportFormat): string {
	const stamp = new Date().toISOString().slice(0, 10);
	return `metingen-${programme.slug}-${stamp}${format.kind === 'xlsx' ? '.xlsx' : format.dialect === 'excel-nl' ? '-excel.csv' : '.csv'}`;
}

export const CONTENT_TYPE = {
	csv: 'text/csv; charset=utf-8',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
} as const;
