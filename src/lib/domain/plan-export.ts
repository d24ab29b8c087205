import { Document, isMap, isNode, isPair, isScalar, isSeq, visit, type Pair } from 'yaml';
import type { Library, Plan, PlanIndicator, RegionInput } from './plan.schema.ts';
import { validatePlan, type Validated } from './plan-validation.ts';
import { parseDerivedRule, parsePeriodTargets } from './plan.schema.ts';
import { parsePerspectives } from './system-map.ts';
import { parseCategoryTargets, parseDimensions, parseIndicatorDimensions } from './breakdown.ts';
import { DEFAULT_MIN_GROUP_SIZE } from './small-groups.ts';
import { DEFAULT_RETENTION_DAYS, parsePollTemplates } from './poll.ts';

/**
 * A stored plan back in the YAML format of `indicators/` (plan.schema.ts). Deterministic: the same
 * stored plan always gives the same bytes, so export → load → export is byte-identical.
 */

interface StoredNode {
	id: number;
	code: string;
	title: string;
	description: string;
}
export interface StoredIndicator {
	code: string;
	library_code: string | null;
	ambition_id: number | null;
	outcome_id: number | null;
	theme_id: number | null;
	next_step_id: number | null;
	solution_id: number | null;
	name: string;
	definition: string;
	kind: string;
	unit: string;
	direction: string;
	rba: string;
	target_group: string;
	source: string;
	method: string;
	frequency: string;
	aggregation: string;
	owner: string | null;
	baseline_value: number | null;
	baseline_date: string | null;
	baseline_source: string | null;
	baseline_demo: number;
	baseline_region: string | null;
	target_value: number | null;
	target_date: string | null;
	target_demo: number;
	targets: string | null;
	derived: string | null;
	valid_months: number | null;
	comparable: number;
	key_indicator: number;
	rule_min: number | null;
	rule_max: number | null;
	rule_max_change: number | null;
	dimensions: string | null;
	category_targets: string | null;
}

/** A theme's or next step's place on the system map as stored (system-map.ts). */
interface StoredPlacement {
	level: number | null;
	perspectives: string | null;
	trend: string | null;
}

/** The placement fields as the file writes them: only those given. */
function placementToPlan(n: StoredPlacement) {
	const perspectives = parsePerspectives(n.perspectives);
	return {
		...(n.level !== null ? { level: n.level } : {}),
		...(perspectives.length ? { perspectives } : {}),
		...(n.trend !== null ? { trend: n.trend } : {})
	};
}

/** The live (non-archived) rows of a programme's plan, each list in its stored order. */
export interface StoredPlan {
	programme: {
		slug: string;
		name: string;
		description: string;
		start_date: string;
		source: string;
		dimensions: string | null;
		min_group_size: number;
		poll_templates: string | null;
		poll_retention_days: number;
	};
	regions: { id: number; parent_id: number | null; slug: string; name: string; kind: string }[];
	organisations: { name: string; kind: string; region_id: number | null }[];
	schoolYears: { id: number; name: string }[];
	phases: { school_year_id: number; name: string; start_date: string; end_date: string }[];
	ambitions: StoredNode[];
	outcomes: StoredNode[];
	themes: (StoredNode & { number: number } & StoredPlacement)[];
	nextSteps: (StoredNode & { theme_id: number; goal: string; impact: string } & StoredPlacement)[];
	solutions: (StoredNode & { next_step_id: number })[];
	indicators: StoredIndicator[];
}

/** Indicator fields in file order, with their stored column. */
const FIELDS = [
	['name', 'name'],
	['definition', 'definition'],
	['kind', 'kind'],
	['unit', 'unit'],
	['direction', 'direction'],
	['rba', 'rba'],
	['targetGroup', 'target_group'],
	['source', 'source'],
	['method', 'method'],
	['frequency', 'frequency'],
	['aggregation', 'aggregation'],
	['owner', 'owner']
] as const;

/** A stored indicator as the file says it; one from the library says `library:` and only what differs. */
export function indicatorToPlan(row: StoredIndicator, library: Library): PlanIndicator {
	const entry = row.library_code ? library.indicators.find((l) => l.code === row.library_code) : undefined;
	const out: Record<string, unknown> = { code: row.code };
	if (entry) out.library = entry.code;
	for (const [key, column] of FIELDS) {
		const value = row[column];
		if (value === null) continue;
		if (entry && entry[key] === value) continue;
		out[key] = value;
	}
	if (row.derived) {
		const rule = parseDerivedRule(row.derived)!;
		out.derived = {
			measure: rule.measure,
			...(rule.targetGroup ? { targetGroup: rule.targetGroup } : {}),
			...(rule.kinds?.length ? { kinds: rule.kinds } : {})
		};
	}
	if (row.baseline_value !== null)
		out.baseline = {
			value: row.baseline_value,
			date: row.baseline_date,
			source: row.baseline_source,
			...(row.baseline_demo ? { demo: true } : {}),
			...(row.baseline_region !== null ? { region: row.baseline_region } : {})
		};
	if (row.target_value !== null)
		out.target = { value: row.target_value, date: row.target_date, ...(row.target_demo ? { demo: true } : {}) };
	const targets = parsePeriodTargets(row.targets);
	if (targets.length) out.targets = targets;
	if (row.valid_months !== null) out.validMonths = row.valid_months;
	if (row.comparable) out.comparable = true;
	if (row.key_indicator) out.key = true;
	if (row.rule_min !== null || row.rule_max !== null || row.rule_max_change !== null)
		out.rules = {
			...(row.rule_min !== null ? { min: row.rule_min } : {}),
			...(row.rule_max !== null ? { max: row.rule_max } : {}),
			...(row.rule_max_change !== null ? { maxChange: row.rule_max_change } : {})
		};
	const dimensions = parseIndicatorDimensions(row.dimensions);
	if (dimensions.length) out.dimensions = dimensions;
	const categoryTargets = parseCategoryTargets(row.category_targets);
	if (categoryTargets.length) out.categoryTargets = categoryTargets;
	return out as PlanIndicator;
}

export function storedToPlan(s: StoredPlan, library: Library): Plan {
	const on = (
		ref: keyof Pick<StoredIndicator, 'ambition_id' | 'outcome_id' | 'theme_id' | 'next_step_id' | 'solution_id'>,
		id: number
	) => s.indicators.filter((i) => i[ref] === id).map((i) => indicatorToPlan(i, library));
	const node = (n: StoredNode) => ({
		code: n.code,
		title: n.title,
		...(n.description ? { description: n.description } : {})
	});
	const regionTree = (parent: number | null): RegionInput[] =>
		s.regions
			.filter((r) => r.parent_id === parent)
			.map((r) => {
				const children = regionTree(r.id);
				return { slug: r.slug, name: r.name, kind: r.kind, ...(children.length ? { children } : {}) };
			});
	const regionSlug = new Map(s.regions.map((r) => [r.id, r.slug]));
	const p = s.programme;
	const dimensions = parseDimensions(p.dimensions);
	const pollTemplates = parsePollTemplates(p.poll_templates);
	return {
		programme: {
			slug: p.slug,
			name: p.name,
			description: p.description,
			start: p.start_date,
			source: p.source,
			// the default is not written, so a plan that never set it reads as it was written
			...(p.min_group_size !== DEFAULT_MIN_GROUP_SIZE ? { minGroupSize: p.min_group_size } : {}),
			...(p.poll_retention_days !== DEFAULT_RETENTION_DAYS ? { pollRetentionDays: p.poll_retention_days } : {})
		},
		...(dimensions.length ? { dimensions } : {}),
		regions: regionTree(null),
		...(s.organisations.length
			? {
					organisations: s.organisations.map((o) => ({
						name: o.name,
						kind: o.kind,
						...(o.region_id !== null ? { region: regionSlug.get(o.region_id)! } : {})
					}))
				}
			: {}),
		...(s.schoolYears.length
			? {
					schoolYears: s.schoolYears.map((y) => ({
						name: y.name,
						phases: s.phases
							.filter((ph) => ph.school_year_id === y.id)
							.map((ph) => ({ name: ph.name, start: ph.start_date, end: ph.end_date }))
					}))
				}
			: {}),
		ambitions: s.ambitions.map((a) => ({ ...node(a), indicators: on('ambition_id', a.id) })),
		outcomes: s.outcomes.map((o) => ({ ...node(o), indicators: on('outcome_id', o.id) })),
		themes: s.themes.map((t) => ({
			code: t.code,
			number: t.number,
			title: t.title,
			...(t.description ? { description: t.description } : {}),
			...placementToPlan(t),
			indicators: on('theme_id', t.id),
			nextSteps: s.nextSteps
				.filter((st) => st.theme_id === t.id)
				.map((st) => ({
					code: st.code,
					title: st.title,
					...(st.description ? { description: st.description } : {}),
					goal: st.goal,
					impact: st.impact,
					...placementToPlan(st),
					indicators: on('next_step_id', st.id),
					solutions: s.solutions
						.filter((so) => so.next_step_id === st.id)
						.map((so) => ({ ...node(so), indicators: on('solution_id', so.id) }))
				}))
		})),
		...(pollTemplates.length ? { pollTemplates } : {})
	};
}

const FLOW_KEYS = new Set(['target', 'derived', 'perspectives']);

/** The plan as YAML text in the style of the hand-written files (short maps on one line). */
export function planToYaml(plan: Plan): string {
	const doc = new Document(plan);
	visit(doc, {
		Pair(_, pair: Pair) {
			const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
			if (FLOW_KEYS.has(key) && (isMap(pair.value) || isSeq(pair.value))) pair.value.flow = true;
			// a phase, a dimension's value and a poll question's option each on one line; questions stay blocks
			if ((key === 'phases' || key === 'values' || key === 'options') && isSeq(pair.value))
				for (const item of pair.value.items) if (isMap(item)) item.flow = true;
			// an indicator's dimension keys on one line; the programme's dimensions (maps) stay blocks
			if (key === 'dimensions' && isSeq(pair.value) && pair.value.items.every(isScalar)) pair.value.flow = true;
			if (key === 'categoryTargets' && isSeq(pair.value))
				for (const item of pair.value.items)
					if (isMap(item)) for (const p of item.items) if (isMap(p.value)) p.value.flow = true;
		}
	});
	// a blank line before each top-level section and each theme, as in the hand-written files
	if (isMap(doc.contents))
		for (const [n, item] of doc.contents.items.entries()) {
			if (!isPair(item)) continue;
			if (isNode(item.key)) item.key.spaceBefore = n > 0;
			if (isScalar(item.key) && item.key.value === 'themes' && isSeq(item.value))
				item.value.items.forEach((theme, i) => i > 0 && isNode(theme) && (theme.spaceBefore = true));
		}
	doc.commentBefore = ` Kompasplan ${plan.programme.name}, geëxporteerd uit Kompas Monitor.\n Formaat: src/lib/domain/plan.schema.ts; laden met npm run plan:load -- <bestand>.`;
	return doc.toString({ lineWidth: 0 });
}

/** The stored plan as a checked plan and its YAML; refused when the stored plan is not complete. */
export function exportPlan(stored: StoredPlan, library: Library): Validated<{ plan: Plan; yaml: string }> {
	const plan = storedToPlan(stored, library);
	const checked = validatePlan(plan, library);
	if (!checked.ok) return checked;
	return { ok: true, value: { plan, yaml: planToYaml(plan) } };
}
