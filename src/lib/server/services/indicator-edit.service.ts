import { join } from 'node:path';
import { NO_RULES, storedRules } from '../../domain/value-rules.ts';
import type { Indicator } from '../db/schema.ts';
import type { Conn } from '../db/types.ts';
import type { ProgrammeContext, RequestContext } from '../request-context.ts';
import type { Library } from '../../domain/plan.schema.ts';
import { indicatorFormValues, type IndicatorInput } from '../../domain/plan-edit.ts';
import type { NodeLevel } from '../../domain/kompas.ts';
import { NODE_COLUMNS, nodeOfIndicator, type NodeColumn } from '../../domain/plan-tree.ts';
import { env } from '../env.ts';
import { LIBRARY_FILE, readLibraryFile } from '../plan-files.ts';
import { findIndicatorByCode } from '../repositories/kompas.repository.ts';
import * as repo from '../repositories/plan-edit.repository.ts';
import { writeAudit } from '../repositories/audit.repository.ts';
import { codeInUse, codeRace, findNodeByCode, refused, templateBreakOf } from './plan-edit.service.ts';
import { conflict, notFound, ok, stale, type Result } from '../../domain/result.ts';
import { parseDerivedRule, parsePeriodTargets, storePeriodTargets } from '../../domain/plan.schema.ts';
import { isBaselineArea } from '../../domain/plan-validation.ts';
import { planningWarning } from '../../domain/progress.ts';
import { NATIONAL } from '../../domain/comparability.ts';
import { listProgrammeRegions } from '../repositories/region.repository.ts';
import { findProgrammeBySlug } from '../repositories/kompas.repository.ts';
import { dimensionInUse } from '../repositories/dimension.repository.ts';
import {
	parseCategoryTargets,
	parseDimensions,
	parseIndicatorDimensions,
	storeCategoryTargets,
	storeIndicatorDimensions
} from '../../domain/breakdown.ts';
import { categoryTargetIssues, detachMessage } from '../../domain/dimension-edit.ts';

/** The plan editor's indicators: every field of DESIGN.md, codes fixed once measured, archive instead of delete. */

/** The shared indicator library next to the plans (PLANS_DIR). */
export const currentLibrary = (): Library => readLibraryFile(join(env().PLANS_DIR, LIBRARY_FILE));

/** The node an indicator hangs on, by its code. */
async function nodeCodeOf(db: Conn, i: Indicator): Promise<string> {
	const { level, id } = nodeOfIndicator(i);
	return repo.nodeCode(db, level, id);
}

export function inputOf(i: Indicator, node: string): IndicatorInput {
	return {
		code: i.code,
		node,
		name: i.name,
		definition: i.definition,
		kind: i.kind,
		unit: i.unit,
		direction: i.direction,
		rba: i.rba,
		targetGroup: i.target_group,
		source: i.source,
		method: i.method,
		frequency: i.frequency,
		aggregation: i.aggregation,
		owner: i.owner,
		baseline:
			i.baseline_value === null
				? null
				: {
						value: i.baseline_value,
						date: i.baseline_date ?? '',
						source: i.baseline_source ?? '',
						demo: i.baseline_demo === 1,
						region: i.baseline_region
					},
		target:
			i.target_value === null ? null : { value: i.target_value, date: i.target_date ?? '', demo: i.target_demo === 1 },
		targets: parsePeriodTargets(i.targets),
		derived: parseDerivedRule(i.derived),
		validMonths: i.valid_months,
		comparable: i.comparable === 1,
		key: i.key_indicator === 1,
		rules: storedRules(i) ?? NO_RULES,
		dimensions: parseIndicatorDimensions(i.dimensions),
		categoryTargets: parseCategoryTargets(i.category_targets)
	};
}

/** The planning error of an indicator's figures (a target on the wrong side of its baseline), or null. */
const warningOf = (i: Pick<IndicatorInput, 'direction' | 'baseline' | 'target'>) =>
	planningWarning({ direction: i.direction, baseline: i.baseline?.value ?? null, target: i.target?.value ?? null });

/** The areas a baseline may name, as the editor offers them: the programme's regions, then the Netherlands. */
export async function baselineAreas({ db, programme }: ProgrammeContext) {
	const regions = await listProgrammeRegions(db, programme.id);
	return [
		...regions.map((r) => ({ value: r.slug, label: r.name })),
		{ value: NATIONAL, label: 'Nederland (landelijk)' }
	];
}

/** A baseline area that is not a region of this programme (nor `nederland`): the field's message, else null. */
async function unknownArea(db: Conn, programmeId: number, input: IndicatorInput): Promise<string | null> {
	const area = input.baseline?.region;
	if (!area) return null;
	const slugs = new Set((await listProgrammeRegions(db, programmeId)).map((r) => r.slug));
	return isBaselineArea(area, slugs) ? null : 'Kies een regio van dit programma, Nederland of het programma zelf.';
}

/** What the edit form shows for an indicator. */
export async function indicatorEditor({ db, programme }: ProgrammeContext, code: string) {
	const row = await findIndicatorByCode(db, programme.id, code);
	if (!row) return null;
	const input = inputOf(row, await nodeCodeOf(db, row));
	return {
		id: row.id,
		code: row.code,
		library: row.library_code,
		version: row.version,
		archived: row.archived_at !== null,
		measurements: await repo.measurementCount(db, row.id),
		values: indicatorFormValues(input),
		warning: warningOf(input)
	};
}

/**
 * Prefilled form values from a library entry, for a new indicator that inherits it; with the entry's
 * baseline, area included, when it quotes exactly one.
 */
export function libraryValues(library: Library, code: string): Record<string, string> | null {
	const entry = library.indicators.find((l) => l.code === code);
	if (!entry) return null;
	const { baselines, code: _c, owner, ...fields } = entry;
	const only = baselines?.length === 1 ? baselines[0] : null;
	const baseline: Record<string, string> = only
		? {
				baselineValue: String(only.value).replace('.', ','),
				baselineDate: only.date,
				baselineSource: only.source,
				baselineRegion: only.region
			}
		: {};
	return { ...fields, ...baseline, owner: owner ?? '', library: entry.code };
}

function columns(input: IndicatorInput, node: { level: NodeLevel; id: number }) {
	const refs: Record<NodeColumn, number | null> = {
		ambition_id: null,
		outcome_id: null,
		theme_id: null,
		next_step_id: null,
		solution_id: null
	};
	refs[NODE_COLUMNS[node.level]] = node.id;
	return {
		code: input.code,
		...refs,
		name: input.name,
		definition: input.definition,
		kind: input.kind,
		unit: input.unit,
		direction: input.direction,
		rba: input.rba,
		target_group: input.targetGroup,
		source: input.source,
		method: input.method,
		frequency: input.frequency,
		aggregation: input.aggregation,
		owner: input.owner,
		baseline_value: input.baseline?.value ?? null,
		baseline_date: input.baseline?.date ?? null,
		baseline_source: input.baseline?.source ?? null,
		baseline_demo: input.baseline?.demo ? 1 : 0,
		baseline_region: input.baseline?.region ?? null,
		target_value: input.target?.value ?? null,
		target_date: input.target?.date ?? null,
		target_demo: input.target?.demo ? 1 : 0,
		targets: storePeriodTargets(input.targets),
		derived: input.derived ? JSON.stringify(input.derived) : null,
		valid_months: input.validMonths,
		comparable: input.comparable ? 1 : 0,
		key_indicator: input.key ? 1 : 0,
		rule_min: input.rules.min,
		rule_max: input.rules.max,
		rule_max_change: input.rules.maxChange,
		dimensions: storeIndicatorDimensions(input.dimensions),
		category_targets: storeCategoryTargets(input.categoryTargets)
	};
}

/**
 * The indicator's breakdown against the programme's dimensions (read inside the transaction): each
 * dimension it is split by exists, each category target names a category of one of them. Field-keyed.
 */
async function breakdownErrors(db: Conn, slug: string, input: IndicatorInput): Promise<Record<string, string>> {
	const programme = (await findProgrammeBySlug(db, slug))!;
	const dimensions = parseDimensions(programme.dimensions);
	const errors = categoryTargetIssues(input.categoryTargets, input.dimensions, dimensions);
	if (input.dimensions.some((k) => !dimensions.some((d) => d.key === k)))
		errors.dimensions = 'Kies dimensies van dit programma.';
	return errors;
}

/** The choices of the indicator form's breakdown: the programme's dimensions with their values. */
export const dimensionChoices = ({ programme }: ProgrammeContext) => parseDimensions(programme.dimensions);

async function liveNode(db: Conn, programmeId: number, code: string) {
	const found = await findNodeByCode(db, programmeId, code);
	return found && found.row.archived_at === null ? { level: found.level, id: found.row.id } : null;
}

export async function createIndicator(
	{ db, programme, actor }: RequestContext,
	input: IndicatorInput,
	libraryCode: string | null
): Promise<Result<{ code: string; warning: string | null }>> {
	if (libraryCode && !currentLibrary().indicators.some((l) => l.code === libraryCode))
		return refused({ library: `Onbekende bibliotheekindicator ${libraryCode}.` });
	return db
		.transaction()
		.execute(async (tx) => {
			if (await findIndicatorByCode(tx, programme.id, input.code)) return codeInUse(input.code);
			const node = await liveNode(tx, programme.id, input.node);
			if (!node) return refused({ node: 'Kies een bestaand (niet gearchiveerd) knooppunt.' });
			const area = await unknownArea(tx, programme.id, input);
			if (area) return refused({ baselineRegion: area });
			const breakdown = await breakdownErrors(tx, programme.slug, input);
			if (Object.keys(breakdown).length) return refused(breakdown);
			const values = {
				programme_id: programme.id,
				library_code: libraryCode,
				...columns(input, node),
				sort_order: (await repo.maxIndicatorOrder(tx, programme.id)) + 1
			};
			const id = await repo.insertIndicator(tx, values);
			await writeAudit(tx, {
				by: actor,
				programmeId: programme.id,
				entity: 'indicator',
				entityId: id,
				action: 'create',
				after: values
			});
			return ok({ code: input.code, warning: warningOf(input) });
		})
		.catch(codeRace(input.code));
}

/** Changes an indicator, based on the version the change was made on. */
export async function updateIndicator(
	{ db, programme, actor }: RequestContext,
	code: string,
	version: number,
	input: IndicatorInput
): Promise<Result<{ code: string; warning: string | null }>> {
	return db
		.transaction()
		.execute(async (tx) => {
			const row = await findIndicatorByCode(tx, programme.id, code);
			if (!row) return notFound('Indicator');
			const measured = (await repo.measurementCount(tx, row.id)) > 0;
			const errors: Record<string, string> = {};
			if (input.code !== row.code) {
				if (measured) errors.code = 'De code kan niet meer veranderen: er zijn al metingen voor deze indicator.';
				else if (await findIndicatorByCode(tx, programme.id, input.code))
					errors.code = `De code ${input.code} is al in gebruik in dit plan.`;
			}
			if (measured && input.unit !== row.unit)
				errors.unit = 'De eenheid kan niet meer veranderen: er zijn al metingen voor deze indicator.';
			// its typed-in measurements would no longer count, yet stay listed beside the computed values
			if (measured && input.derived && row.derived === null)
				errors.derivedMeasure =
					'Deze indicator heeft al ingevoerde metingen en kan daarom niet meer uit het actielog worden afgeleid. Maak er een nieuwe indicator voor.';
			const node = await liveNode(tx, programme.id, input.node);
			if (!node) errors.node = 'Kies een bestaand (niet gearchiveerd) knooppunt.';
			const area = await unknownArea(tx, programme.id, input);
			if (area) errors.baselineRegion = area;
			Object.assign(errors, await breakdownErrors(tx, programme.slug, input));
			// its measurements' categories of a dimension it would no longer be split by would go unread
			for (const key of parseIndicatorDimensions(row.dimensions))
				if (!input.dimensions.includes(key) && (await dimensionInUse(tx, row.id, key)))
					errors.dimensions ??= detachMessage(key);
			if (Object.keys(errors).length || !node) return refused(errors);
			const values = columns(input, node);
			const broken = await templateBreakOf(tx, programme.slug, {
				indicators: (live) => live.map((i) => (i.id === row.id ? { ...i, ...values } : i))
			});
			if (broken) return conflict(broken);
			const refs = NODE_COLUMNS[nodeOfIndicator(row).level];
			const sort =
				row[refs] !== values[refs] ? { sort_order: (await repo.maxIndicatorOrder(tx, programme.id)) + 1 } : {};
			if (!(await repo.updateIndicatorIfVersion(tx, row.id, version, { ...values, ...sort }))) return stale();
			const { version: _v, updated_at: _u, created_at: _c, ...before } = row;
			await writeAudit(tx, {
				by: actor,
				programmeId: programme.id,
				entity: 'indicator',
				entityId: row.id,
				action: 'update',
				before,
				after: values
			});
			return ok({ code: input.code, warning: warningOf(input) });
		})
		.catch(codeRace(input.code));
}

/** An edit that takes the indicator out of the plan (archived or deleted), for the poll-template check. */
const withoutIndicator = (id: number) => ({ indicators: (live: Indicator[]) => live.filter((i) => i.id !== id) });

/** Archives (or restores) an indicator: measured indicators are archived, never deleted. */
export async function archiveIndicator(
	{ db, programme, actor }: RequestContext,
	code: string,
	version: number,
	archived: boolean
): Promise<Result<null>> {
	return db.transaction().execute(async (tx) => {
		const row = await findIndicatorByCode(tx, programme.id, code);
		if (!row) return notFound('Indicator');
		const broken = archived ? await templateBreakOf(tx, programme.slug, withoutIndicator(row.id)) : null;
		if (broken) return conflict(broken);
		if (
			!(await repo.updateIndicatorIfVersion(tx, row.id, version, {
				archived_at: archived ? new Date().toISOString() : null
			}))
		)
			return stale();
		await writeAudit(tx, {
			by: actor,
			programmeId: programme.id,
			entity: 'indicator',
			entityId: row.id,
			action: archived ? 'archive' : 'restore',
			before: { archived: row.archived_at !== null },
			after: { archived }
		});
		return ok(null);
	});
}

/** Deletes an indicator that was never measured; one with measurements can only be archived. */
export async function deleteIndicator(
	{ db, programme, actor }: RequestContext,
	code: string,
	version: number
): Promise<Result<null>> {
	return db.transaction().execute(async (tx) => {
		const row = await findIndicatorByCode(tx, programme.id, code);
		if (!row) return notFound('Indicator');
		if (row.version !== version) return stale();
		if ((await repo.measurementCount(tx, row.id)) > 0)
			return conflict('Deze indicator heeft metingen: archiveer hem in plaats van hem te verwijderen.');
		const broken = await templateBreakOf(tx, programme.slug, withoutIndicator(row.id));
		if (broken) return conflict(broken);
		await repo.deleteIndicator(tx, row.id);
		const { version: _v, updated_at: _u, created_at: _c, ...before } = row;
		await writeAudit(tx, {
			by: actor,
			programmeId: programme.id,
			entity: 'indicator',
			entityId: row.id,
			action: 'delete',
			before
		});
		return ok(null);
	});
}
