import type { Conn } from '../db/types.ts';
import { transact } from '../db/types.ts';
import type { ProgrammeContext, RequestContext } from '../request-context.ts';
import type { Plan } from '../../domain/plan.schema.ts';
import { planIndicators } from '../../domain/plan-validation.ts';
import type { PlanIssue } from '../../domain/plan-validation.ts';
import {
	MAX_DIMENSIONS,
	parseCategoryTargets,
	parseDimensions,
	parseIndicatorDimensions,
	storeDimensions,
	type Dimension
} from '../../domain/breakdown.ts';
import { isTargetGroupDimension } from '../../domain/derived.ts';
import { detachMessage, removedCategories, usedValueMessage, valuesText } from '../../domain/dimension-edit.ts';
import { conflict, invalid, notFound, ok, stale, type Result } from '../../domain/result.ts';
import { findProgrammeBySlug } from '../repositories/kompas.repository.ts';
import { allIndicators } from '../repositories/plan-edit.repository.ts';
import * as repo from '../repositories/dimension.repository.ts';
import { writeAudit } from '../repositories/audit.repository.ts';
import { templateBreakOf } from './plan-edit.service.ts';

/**
 * A programme's breakdown settings in the plan editor (issue 17): its dimensions with their values and its
 * minimum group size, kept on the programme's row (optimistic locking by the programme's `version`),
 * audited. A value (or dimension) that measurements carry is never removed: it is archived instead —
 * the same rule the plan loader applies (`breakdownRemovalIssues`).
 */

export interface DimensionView extends Dimension {
	/** the indicators split by it, by code */
	indicators: string[];
	/** the values' keys that measurements carry */
	used: string[];
	/** the values field as the form shows it */
	text: string;
}

/** What the dimensions page shows: the dimensions with their use, the minimum group size, the version. */
export async function dimensionsEditor({ db, programme }: ProgrammeContext) {
	const row = (await findProgrammeBySlug(db, programme.slug))!;
	const dimensions = parseDimensions(row.dimensions);
	const views: DimensionView[] = [];
	for (const d of dimensions) {
		const split = await repo.indicatorsSplitBy(db, row.id, d.key);
		// only an indicator split by the dimension has measurements carrying it (unticking such a one is refused)
		const ids = split.map((i) => i.id);
		const used: string[] = [];
		for (const v of d.values)
			if (await repo.categoryInUse(db, row.id, { dimension: d.key, category: v.key }, ids)) used.push(v.key);
		views.push({ ...d, indicators: split.map((i) => i.code), used, text: valuesText(d.values) });
	}
	return { dimensions: views, minGroupSize: row.min_group_size, version: row.version };
}

/** The programme's row, read again inside the transaction, with its dimensions. */
async function current(tx: Conn, slug: string) {
	const row = (await findProgrammeBySlug(tx, slug))!;
	return { row, dimensions: parseDimensions(row.dimensions) };
}

/** Why taking these categories away is refused: carried by measurements, or named by a category target. */
async function removalErrors(tx: Conn, programmeId: number, before: Dimension[], after: Dimension[]) {
	const gone = removedCategories(before, after);
	if (!gone.length) return null;
	for (const c of gone) if (await repo.categoryInUse(tx, programmeId, c)) return usedValueMessage(c);
	for (const i of await allIndicators(tx, programmeId)) {
		const t = parseCategoryTargets(i.category_targets).find((x) =>
			gone.some((c) => c.dimension === x.dimension && c.category === x.category)
		);
		if (t)
			return `${gone.find((c) => c.category === t.category && c.dimension === t.dimension)!.label} heeft een nulmeting of streefwaarde bij indicator ${i.code}: maak die daar eerst leeg, of archiveer de waarde.`;
	}
	return null;
}

/**
 * The derived indicators split by this dimension when its values are no longer all target groups: the plan
 * file's rule (`derivedSplitIssues`) — a reach from the action log is split by target group only.
 */
async function derivedSplitBy(tx: Conn, programmeId: number, dimension: Dimension) {
	if (isTargetGroupDimension(dimension)) return [];
	return (await allIndicators(tx, programmeId))
		.filter((i) => i.derived !== null && parseIndicatorDimensions(i.dimensions).includes(dimension.key))
		.map((i) => i.code);
}

/** A change of the dimensions: the list after it, and what the audit log keeps of it. */
interface DimensionChange {
	after: Dimension[];
	action: 'create' | 'update' | 'delete';
	before?: Dimension;
	changed?: Dimension;
}

/** One dimension change in one transaction: on the version it was made on, checked, stored, audited. */
async function save(
	{ db, programme, actor }: RequestContext,
	version: number,
	change: (tx: Conn, dimensions: Dimension[]) => Promise<Result<DimensionChange>>
): Promise<Result<null>> {
	return transact(db, async (tx) => {
		const { row, dimensions } = await current(tx, programme.slug);
		if (row.version !== version) return stale();
		const r = await change(tx, dimensions);
		if (!r.ok) return r;
		if (!(await repo.updateProgrammeIfVersion(tx, row.id, version, { dimensions: storeDimensions(r.value.after) })))
			return stale();
		await writeAudit(tx, {
			by: actor,
			programmeId: row.id,
			entity: 'dimension',
			entityId: row.id,
			action: r.value.action,
			before: r.value.before ?? null,
			after: r.value.changed ?? null
		});
		return ok(null);
	});
}

/** Adds a dimension with its values. */
export function addDimension(ctx: RequestContext, version: number, input: Dimension): Promise<Result<null>> {
	return save(ctx, version, async (_tx, dimensions) => {
		if (dimensions.some((d) => d.key === input.key))
			return invalid({ key: `Er is al een dimensie met de sleutel ${input.key}.` });
		if (dimensions.length >= MAX_DIMENSIONS)
			return invalid({ form: `Een programma heeft hoogstens ${MAX_DIMENSIONS} dimensies.` });
		return ok({ after: [...dimensions, input], action: 'create', changed: input });
	});
}

/**
 * Renames a dimension and changes its values: new ones added, names changed, archived or restored; a
 * value left out is removed only when no measurement carries it and no category target names it.
 */
export function updateDimension(
	ctx: RequestContext,
	key: string,
	version: number,
	input: Dimension
): Promise<Result<null>> {
	return save(ctx, version, async (tx, dimensions) => {
		const before = dimensions.find((d) => d.key === key);
		if (!before) return notFound('Dimensie');
		if (input.key !== key) return invalid({ key: 'De sleutel van een dimensie verandert niet.' });
		const after = dimensions.map((d) => (d.key === key ? input : d));
		const refused = await removalErrors(tx, ctx.programme.id, dimensions, after);
		if (refused) return invalid({ values: refused });
		const derived = await derivedSplitBy(tx, ctx.programme.id, input);
		if (derived.length)
			return invalid({
				values: `${input.name} splitst ${derived.join(', ')} uit, afgeleid uit het actielog: de waarden blijven doelgroepen (jongeren, ouders, professionals).`
			});
		const broken = await templateBreakOf(tx, ctx.programme.slug, { dimensions: after });
		if (broken) return invalid({ values: broken });
		return ok({ after, action: 'update', before, changed: input });
	});
}

/** Removes a dimension no indicator is split by and no measurement carries. */
export function removeDimension(ctx: RequestContext, key: string, version: number): Promise<Result<null>> {
	return save(ctx, version, async (tx, dimensions) => {
		const before = dimensions.find((d) => d.key === key);
		if (!before) return notFound('Dimensie');
		const after = dimensions.filter((d) => d.key !== key);
		const refused = await removalErrors(tx, ctx.programme.id, dimensions, after);
		if (refused) return conflict(refused);
		const split = await repo.indicatorsSplitBy(tx, ctx.programme.id, key);
		if (split.length)
			return conflict(
				`${before.name} hoort bij ${split.map((i) => i.code).join(', ')}: haal die uitsplitsing daar eerst weg, of laat de dimensie staan.`
			);
		const broken = await templateBreakOf(tx, ctx.programme.slug, { dimensions: after });
		if (broken) return conflict(broken);
		return ok({ after, action: 'delete', before });
	});
}

/** Sets the smallest group whose figure is shown (the privacy safeguard of small-groups.ts). */
export async function setMinGroupSize(
	{ db, programme, actor }: RequestContext,
	version: number,
	size: number
): Promise<Result<null>> {
	return transact(db, async (tx) => {
		const { row } = await current(tx, programme.slug);
		if (!(await repo.updateProgrammeIfVersion(tx, row.id, version, { min_group_size: size }))) return stale();
		await writeAudit(tx, {
			by: actor,
			programmeId: row.id,
			entity: 'plan',
			entityId: row.id,
			action: 'update',
			before: { min_group_size: row.min_group_size },
			after: { min_group_size: size }
		});
		return ok(null);
	});
}

/**
 * What a plan load may not change (checked inside its transaction, before it writes): a category that
 * measurements carry leaving the programme's dimensions, and an indicator in the file losing a dimension
 * its measurements carry. Archive instead, as in the editor. Issues in the paths of the plan file.
 */
export async function breakdownRemovalIssues(tx: Conn, plan: Plan): Promise<PlanIssue[]> {
	const programme = await findProgrammeBySlug(tx, plan.programme.slug);
	if (!programme) return [];
	const issues: PlanIssue[] = [];
	for (const c of removedCategories(parseDimensions(programme.dimensions), plan.dimensions ?? []))
		if (await repo.categoryInUse(tx, programme.id, c))
			issues.push({
				path: `dimensions.${c.dimension}`,
				message: `de waarde ${c.category} staat in metingen: laat haar staan met archived: true`
			});
	const stored = new Map((await allIndicators(tx, programme.id)).map((i) => [i.code, i]));
	for (const { indicator, path } of planIndicators(plan)) {
		const row = stored.get(indicator.code);
		if (!row) continue;
		for (const key of parseIndicatorDimensions(row.dimensions))
			if (!(indicator.dimensions ?? []).includes(key) && (await repo.dimensionInUse(tx, row.id, key)))
				issues.push({ path: `${path}.dimensions`, message: detachMessage(key) });
	}
	return issues;
}
