import { bool, nowIso, transact, type Conn } from '../db/types.ts';
import type { Library, Plan, PlanIndicator, RegionInput } from '../../domain/plan.schema.ts';
import { storePeriodTargets } from '../../domain/plan.schema.ts';
import { planWarnings, resolveIndicator, type PlanWarning } from '../../domain/plan-validation.ts';
import * as repo from '../repositories/plan.repository.ts';
import { writeAudit, type AuditAuthor } from '../repositories/audit.repository.ts';
import { findProgrammeBySlug } from '../repositories/kompas.repository.ts';
import { loadStoredPlan, type NodeChanges, type NodeTable } from '../repositories/plan-edit.repository.ts';
import { storedToPlan } from '../../domain/plan-export.ts';
import { planChanges } from '../../domain/plan-diff.ts';
import { storePerspectives } from '../../domain/system-map.ts';
import { storeCategoryTargets, storeDimensions, storeIndicatorDimensions } from '../../domain/breakdown.ts';
import { DEFAULT_MIN_GROUP_SIZE } from '../../domain/small-groups.ts';
import { DEFAULT_RETENTION_DAYS, storePollTemplates } from '../../domain/poll.ts';
import { PlanFileError } from '../plan-files.ts';
import { breakdownRemovalIssues } from './dimension-edit.service.ts';

type NodeRef = 'ambition_id' | 'outcome_id' | 'theme_id' | 'next_step_id' | 'solution_id';

export interface LoadSummary {
	programme: string;
	nodes: number;
	indicators: number;
	regions: number;
	/** planning errors that do not refuse the plan (a target on the wrong side of its baseline), in file order */
	warnings: PlanWarning[];
}

/** The live plan of a stored programme, in plan-file form. */
async function storedPlan(tx: Conn, slug: string, library: Library): Promise<Plan | null> {
	const programme = await findProgrammeBySlug(tx, slug);
	return programme ? storedToPlan({ programme, ...(await loadStoredPlan(tx, programme.id)) }, library) : null;
}

/**
 * Loads a validated plan in one transaction, upserting by stable codes: loading again updates,
 * never duplicates, never deletes (measurements and anything missing from the file stay) — except what lives
 * on the programme's row (dimensions, poll templates): the file's list replaces it. Refused
 * (`PlanFileError`, nothing changed) when it would take away a breakdown category that measurements carry.
 * Reloading an existing programme audits every item it added or changed, with before and after.
 */
export async function loadPlan(
	db: Conn,
	plan: Plan,
	library: Library,
	by: AuditAuthor | null = null
): Promise<LoadSummary> {
	return transact(db, async (tx) => {
		const p = plan.programme;
		// a value or dimension that measurements carry is archived in the file, never left out
		const refused = await breakdownRemovalIssues(tx, plan);
		if (refused.length) throw new PlanFileError(`programma ${p.slug}`, refused);
		const previous = await storedPlan(tx, p.slug, library);
		const programmeId = await repo.upsertProgramme(tx, {
			slug: p.slug,
			name: p.name,
			description: p.description,
			start_date: p.start,
			source: p.source,
			dimensions: storeDimensions(plan.dimensions),
			min_group_size: p.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE,
			poll_templates: storePollTemplates(plan.pollTemplates),
			poll_retention_days: p.pollRetentionDays ?? DEFAULT_RETENTION_DAYS
		});
		const summary: LoadSummary = {
			programme: p.slug,
			nodes: 0,
			indicators: 0,
			regions: 0,
			warnings: planWarnings(plan, library)
		};

		const regionIds = new Map<string, number>();
		const loadRegions = async (regions: RegionInput[], parentId: number | null) => {
			for (const [i, r] of regions.entries()) {
				const id = await repo.upsertRegion(tx, {
					programme_id: programmeId,
					parent_id: parentId,
					slug: r.slug,
					name: r.name,
					kind: r.kind,
					sort_order: i
				});
				regionIds.set(r.slug, id);
				summary.regions++;
				if (r.children) await loadRegions(r.children, id);
			}
		};
		await loadRegions(plan.regions, null);

		for (const o of plan.organisations ?? [])
			await repo.upsertOrganisation(tx, {
				programme_id: programmeId,
				name: o.name,
				kind: o.kind,
				region_id: o.region ? regionIds.get(o.region)! : null
			});

		// A plan brings the school years it names; once one exists, its phases are the leads' to change in the app.
		for (const year of plan.schoolYears ?? []) {
			if (await repo.findSchoolYear(tx, programmeId, year.name)) continue;
			const yearId = await repo.insertSchoolYear(tx, programmeId, year.name);
			for (const [i, ph] of year.phases.entries())
				await repo.insertPhase(tx, {
					programme_id: programmeId,
					school_year_id: yearId,
					name: ph.name,
					start_date: ph.start,
					end_date: ph.end,
					evaluation_date: ph.end,
					sort_order: i
				});
		}

		let indicatorOrder = 0;
		const indicators = async (list: PlanIndicator[], ref: NodeRef, nodeId: number) => {
			for (const ind of list) {
				await repo.upsertIndicator(
					tx,
					indicatorRow(resolveIndicator(ind, library), { programmeId, ref, nodeId, order: indicatorOrder++ })
				);
				summary.indicators++;
			}
		};
		const node = async (
			table: NodeTable,
			n: { code: string; title: string; description?: string },
			order: number,
			extra: NodeChanges = {}
		) => {
			summary.nodes++;
			return repo.upsertNode(tx, table, {
				programme_id: programmeId,
				code: n.code,
				title: n.title,
				description: n.description ?? '',
				sort_order: order,
				archived_at: null,
				updated_at: nowIso(),
				...extra
			});
		};

		for (const [i, a] of plan.ambitions.entries())
			await indicators(a.indicators, 'ambition_id', await node('ambitions', a, i));
		for (const [i, o] of plan.outcomes.entries())
			await indicators(o.indicators, 'outcome_id', await node('outcomes', o, i));
		for (const [t, theme] of plan.themes.entries()) {
			const themeId = await node('themes', theme, t, { number: theme.number, ...placementColumns(theme) });
			await indicators(theme.indicators, 'theme_id', themeId);
			for (const [s, step] of theme.nextSteps.entries()) {
				const stepId = await node('next_steps', step, s, {
					theme_id: themeId,
					goal: step.goal,
					impact: step.impact,
					...placementColumns(step)
				});
				await indicators(step.indicators, 'next_step_id', stepId);
				for (const [o, sol] of step.solutions.entries())
					await indicators(sol.indicators, 'solution_id', await node('solutions', sol, o, { next_step_id: stepId }));
			}
		}

		// a first load adds everything the file holds: the summary says enough
		const changes = previous ? planChanges(previous, (await storedPlan(tx, p.slug, library))!) : [];
		await writeAudit(tx, {
			by,
			programmeId,
			entity: 'plan',
			entityId: programmeId,
			action: 'load',
			before: previous ? Object.fromEntries(changes.filter((c) => c.before).map((c) => [c.item, c.before])) : null,
			after: previous ? { ...summary, changes: Object.fromEntries(changes.map((c) => [c.item, c.after])) } : summary
		});
		return summary;
	});
}

/** A theme's or next step's place on the system map as stored (absent in the file = none). */
const placementColumns = (n: { level?: number; perspectives?: string[]; trend?: string }) => ({
	level: n.level ?? null,
	perspectives: storePerspectives(n.perspectives),
	trend: n.trend ?? null
});

/** The stored row of a plan indicator: on node `nodeId` (through column `ref`), at place `order` in the plan. */
function indicatorRow(
	ind: ReturnType<typeof resolveIndicator>,
	{ programmeId, ref, nodeId, order }: { programmeId: number; ref: NodeRef; nodeId: number; order: number }
) {
	const refs: Record<NodeRef, number | null> = {
		ambition_id: null,
		outcome_id: null,
		theme_id: null,
		next_step_id: null,
		solution_id: null
	};
	refs[ref] = nodeId;
	return {
		programme_id: programmeId,
		code: ind.code,
		library_code: ind.library ?? null,
		...refs,
		name: ind.name,
		definition: ind.definition,
		kind: ind.kind,
		unit: ind.unit,
		direction: ind.direction,
		rba: ind.rba,
		target_group: ind.targetGroup,
		source: ind.source,
		method: ind.method,
		frequency: ind.frequency,
		aggregation: ind.aggregation,
		owner: ind.owner ?? null,
		baseline_value: ind.baseline?.value ?? null,
		baseline_date: ind.baseline?.date ?? null,
		baseline_source: ind.baseline?.source ?? null,
		baseline_demo: bool(ind.baseline?.demo),
		baseline_region: ind.baseline?.region ?? null,
		target_value: ind.target?.value ?? null,
		target_date: ind.target?.date ?? null,
		target_demo: bool(ind.target?.demo),
		targets: storePeriodTargets(ind.targets),
		derived: ind.derived ? JSON.stringify(ind.derived) : null,
		valid_months: ind.validMonths ?? null,
		comparable: bool(ind.comparable),
		key_indicator: bool(ind.key),
		rule_min: ind.rules?.min ?? null,
		rule_max: ind.rules?.max ?? null,
		rule_max_change: ind.rules?.maxChange ?? null,
		dimensions: storeIndicatorDimensions(ind.dimensions),
		category_targets: storeCategoryTargets(ind.categoryTargets),
		sort_order: order,
		archived_at: null,
		updated_at: nowIso()
	};
}

export type { Conn };
