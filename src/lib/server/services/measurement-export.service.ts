import type { Readable } from 'node:stream';
import type { Programme } from '../db/schema.ts';
import type { RequestContext } from '../request-context.ts';
import { csvStream, xlsxStream, type CsvDialect, type ExportRow } from '../files/measurement-writer.ts';
import * as repo from '../repositories/measurement.repository.ts';
import { resolveFilter, type MeasurementFilter } from './measurement-list.service.ts';
import { ok, type Result } from '../../domain/result.ts';

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
					demo: r.demo === 1
				};
			if (page.length < PAGE) return;
			after = page[page.length - 1].id;
		}
	}
	return ok(format.kind === 'xlsx' ? xlsxStream(rows()) : csvStream(rows(), format.dialect));
}

export function exportFileName(programme: Programme, format: ExportFormat): string {
	const stamp = new Date().toISOString().slice(0, 10);
	return `metingen-${programme.slug}-${stamp}${format.kind === 'xlsx' ? '.xlsx' : format.dialect === 'excel-nl' ? '-excel.csv' : '.csv'}`;
}

export const CONTENT_TYPE = {
	csv: 'text/csv; charset=utf-8',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
} as const;
