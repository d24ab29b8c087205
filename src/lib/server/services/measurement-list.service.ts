import type { Region } from '../db/schema.ts';
import type { Conn } from '../db/types.ts';
import type { ProgrammeContext, RequestContext } from '../request-context.ts';
import type { MeasurementStatus } from '../../domain/measurement.ts';
import { can } from '../../domain/permissions.ts';
import { regionWithDescendants } from '../../domain/plan-tree.ts';
import * as repo from '../repositories/measurement.repository.ts';
import { loadKompasRows } from '../repositories/kompas.repository.ts';
import { programmeScope, toRecord } from './measurement.service.ts';
import { invalid, ok, type Result } from '../../domain/result.ts';

/** Measurements as lists: filters, the review queue, and the choices forms and filters offer. */

export interface MeasurementFilter {
	status?: MeasurementStatus;
	indicator?: string;
	region?: string;
	theme?: string;
	from?: string;
	to?: string;
	mine?: boolean;
}

/**
 * The filter as stored ids; `null` when it names something unknown. People who only read see
 * approved measurements only.
 */
const UNKNOWN_IN_FILTER = 'Het filter noemt een indicator, thema of regio die dit programma niet heeft.';
const unknownInFilter = (path: 'indicator' | 'theme' | 'region') =>
	invalid([{ path, message: UNKNOWN_IN_FILTER }], UNKNOWN_IN_FILTER);

export async function resolveFilter(
	{ db, programme, actor }: RequestContext,
	f: MeasurementFilter
): Promise<Result<repo.RecordFilter>> {
	const scope = await programmeScope({ db, programme });
	const out: repo.RecordFilter = { from: f.from, to: f.to };
	const seesAll = can(actor, 'measurement:submit', programme.id);
	out.status = seesAll ? (f.status ? [f.status] : undefined) : ['approved'];
	if (!seesAll && f.status && f.status !== 'approved') out.status = [];
	if (f.indicator) {
		const ind = scope.indicators.find((i) => i.code === f.indicator);
		if (!ind) return unknownInFilter('indicator');
		out.indicatorIds = [ind.id];
	}
	if (f.theme) {
		const theme = await themeByCode(db, programme.id, f.theme);
		if (theme === undefined) return unknownInFilter('theme');
		const ids = scope.indicators.filter((i) => i.themeId === theme).map((i) => i.id);
		out.indicatorIds = out.indicatorIds ? out.indicatorIds.filter((id) => ids.includes(id)) : ids;
	}
	if (f.region) {
		const region = scope.regions.find((r) => r.slug === f.region);
		if (!region) return unknownInFilter('region');
		out.regionIds = regionWithDescendants(scope.regions, region.id);
	}
	if (f.mine && actor.userId) out.createdBy = actor.userId;
	return ok(out);
}

const themeByCode = async (db: Conn, programmeId: number, code: string) =>
	(
		await db
			.selectFrom('themes')
			.select('id')
			.where('programme_id', '=', programmeId)
			.where('code', '=', code)
			.executeTakeFirst()
	)?.id;

export async function listMeasurementRecords(
	ctx: RequestContext,
	f: MeasurementFilter,
	page = { limit: 50, offset: 0 }
) {
	const { db, programme } = ctx;
	const resolved = await resolveFilter(ctx, f);
	if (!resolved.ok) return resolved;
	const filter = resolved.value;
	const [rows, total] = await Promise.all([
		repo.listRecords(db, programme.id, filter, page),
		repo.countRecords(db, programme.id, filter)
	]);
	return ok({ rows: rows.map(toRecord), total });
}

/** What a lead has to review: the submitted measurements (at most 200 at a time, newest first). */
export const reviewQueue = (ctx: RequestContext) =>
	listMeasurementRecords(ctx, { status: 'submitted' }, { limit: 200, offset: 0 });

export const reviewQueueCount = ({ db, programme }: ProgrammeContext) => repo.queueCount(db, programme.id);

/** The choices for measurement forms and filters: live indicators, themes and the region tree (with depth). */
export async function measurementOptions({ db, programme }: ProgrammeContext) {
	const [scope, rows] = await Promise.all([programmeScope({ db, programme }), loadKompasRows(db, programme.id)]);
	const depth = (r: Region): number => {
		const parent = scope.regions.find((p) => p.id === r.parent_id);
		return parent ? depth(parent) + 1 : 0;
	};
	return {
		indicators: scope.indicators.map((i) => ({
			code: i.code,
			name: i.name,
			unit: i.unit,
			derived: i.derived,
			dimensions: i.dimensions
		})),
		/** the smallest group whose figure overviews and downloads show (the entry form marks smaller ones) */
		minGroupSize: programme.min_group_size,
		themes: rows.themes.map((t) => ({ code: t.code, number: t.number, title: t.title })),
		regions: scope.regions.map((r) => ({ slug: r.slug, name: r.name, depth: depth(r) }))
	};
}
