import { z } from 'zod';
import {
	librarySchema,
	planSchema,
	type Library,
	type LibraryIndicator,
	type Plan,
	type PlanIndicator,
	type RegionInput
} from './plan.schema.ts';
import { validateSchoolYear } from './phase-calendar.ts';
import { NATIONAL } from './comparability.ts';
import { planningWarning } from './progress.ts';
import { inDutch } from './zod-messages.ts';
import { categoryKey, type Dimension } from './breakdown.ts';
import { isTargetGroupDimension } from './derived.ts';
import { templateIssues, type TemplateContext } from './poll.ts';

export interface PlanIssue {
	path: string;
	message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: PlanIssue[] };

export function formatPath(path: readonly PropertyKey[]): string {
	return path.reduce<string>(
		(acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
		''
	);
}

function zodIssues(error: z.ZodError): PlanIssue[] {
	return error.issues.map((i) => ({ path: formatPath(i.path) || '(bestand)', message: i.message }));
}

export function validateLibrary(raw: unknown): Validated<Library> {
	const parsed = librarySchema.safeParse(raw, inDutch);
	if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error) };
	const issues = duplicates(
		parsed.data.indicators.map((ind, i) => ({ code: ind.code, path: `indicators[${i}].code` }))
	);
	return issues.length ? { ok: false, issues } : { ok: true, value: parsed.data };
}

/** Every indicator of a plan with where it sits, in file order. */
export function* planIndicators(plan: Plan): Generator<{ indicator: PlanIndicator; path: string }> {
	const at = (base: string, list: PlanIndicator[]) =>
		list.map((indicator, i) => ({ indicator, path: `${base}.indicators[${i}]` }));
	for (const [i, a] of plan.ambitions.entries()) yield* at(`ambitions[${i}]`, a.indicators);
	for (const [i, o] of plan.outcomes.entries()) yield* at(`outcomes[${i}]`, o.indicators);
	for (const [t, theme] of plan.themes.entries()) {
		yield* at(`themes[${t}]`, theme.indicators);
		for (const [s, step] of theme.nextSteps.entries()) {
			yield* at(`themes[${t}].nextSteps[${s}]`, step.indicators);
			for (const [o, sol] of step.solutions.entries())
				yield* at(`themes[${t}].nextSteps[${s}].solutions[${o}]`, sol.indicators);
		}
	}
}

function* regionsOf(regions: RegionInput[], base = 'regions'): Generator<{ region: RegionInput; path: string }> {
	for (const [i, region] of regions.entries()) {
		yield { region, path: `${base}[${i}]` };
		if (region.children) yield* regionsOf(region.children, `${base}[${i}].children`);
	}
}

function duplicates(items: { code: string; path: string }[]): PlanIssue[] {
	const seen = new Map<string, string>();
	const issues: PlanIssue[] = [];
	for (const { code, path } of items) {
		const first = seen.get(code);
		if (first) issues.push({ path, message: `code ${code} komt dubbel voor (ook op ${first})` });
		else seen.set(code, path);
	}
	return issues;
}

/** Is `area` one a baseline may name: a region of the programme, or the Netherlands as a whole? */
export const isBaselineArea = (area: string, regionSlugs: ReadonlySet<string>) =>
	area === NATIONAL || regionSlugs.has(area);

/** An indicator's dimensions exist in the plan, and its category targets name a category of one of them. */
function breakdownIssues(indicator: PlanIndicator, path: string, dimensions: readonly Dimension[]): PlanIssue[] {
	const issues: PlanIssue[] = [];
	const own = indicator.dimensions ?? [];
	own.forEach((key, i) => {
		if (!dimensions.some((d) => d.key === key))
			issues.push({
				path: `${path}.dimensions[${i}]`,
				message: `onbekende dimensie ${key}: noem haar onder dimensions`
			});
	});
	if (own.length && indicator.unit === 'text')
		issues.push({ path: `${path}.dimensions`, message: 'een verhaal (eenheid text) wordt niet uitgesplitst' });
	const seen = new Set<string>();
	indicator.categoryTargets?.forEach((t, i) => {
		const d = own.includes(t.dimension) ? dimensions.find((x) => x.key === t.dimension) : undefined;
		const at = `${path}.categoryTargets[${i}]`;
		if (!d)
			issues.push({ path: `${at}.dimension`, message: `de indicator wordt niet uitgesplitst naar ${t.dimension}` });
		else if (!d.values.some((v) => v.key === t.category))
			issues.push({ path: `${at}.category`, message: `${t.category} is geen waarde van ${t.dimension}` });
		else if (seen.has(categoryKey(t)))
			issues.push({ path: at, message: `${t.dimension}: ${t.category} staat er twee keer` });
		else if (!t.baseline && !t.target)
			issues.push({ path: at, message: 'noem een nulmeting of een streefwaarde (of laat de regel weg)' });
		seen.add(categoryKey(t));
	});
	if (indicator.categoryTargets?.length && !own.length)
		issues.push({ path: `${path}.categoryTargets`, message: 'streefwaarden per categorie vragen dimensions' });
	return issues;
}

/**
 * A derived indicator is split only by target group, and only for its reach: by one dimension whose values
 * are target groups (jongeren, ouders, professionals), then counting all of them instead of one
 * `targetGroup`. Unsplit, reach counts one target group. Exported for the meetplan editor, which may apply
 * the same rule to an indicator it edits.
 */
export function derivedSplitIssues(
	indicator: PlanIndicator,
	path: string,
	dimensions: readonly Dimension[]
): PlanIssue[] {
	const derived = indicator.derived;
	if (!derived) return [];
	const own = indicator.dimensions ?? [];
	if (own.length === 0)
		return derived.measure === 'reached' && !derived.targetGroup
			? [
					{
						path: `${path}.derived.targetGroup`,
						message:
							'bereik telt één doelgroep: jongeren, ouders of professionals (of splits het uit naar een dimensie met die doelgroepen)'
					}
				]
			: [];
	if (derived.measure !== 'reached')
		return [
			{
				path: `${path}.dimensions`,
				message: 'een telling van acties wordt niet uitgesplitst; alleen bereik (measure: reached) naar doelgroep'
			}
		];
	if (own.length > 1)
		return [{ path: `${path}.dimensions`, message: 'een afgeleide indicator wordt naar één dimensie uitgesplitst' }];
	const issues: PlanIssue[] = [];
	const d = dimensions.find((x) => x.key === own[0]);
	if (d && !isTargetGroupDimension(d))
		issues.push({
			path: `${path}.dimensions[0]`,
			message: `een indicator afgeleid uit het actielog wordt alleen uitgesplitst naar doelgroep: de waarden van ${d.key} moeten jongeren, ouders of professionals zijn`
		});
	if (derived.targetGroup)
		issues.push({
			path: `${path}.derived.targetGroup`,
			message: 'kies één doelgroep (targetGroup) of een uitsplitsing naar doelgroep, niet beide'
		});
	return issues;
}

/** Schema check plus the rules a schema cannot express: unique codes, library references, known regions. */
export function validatePlan(raw: unknown, library: Library): Validated<Plan> {
	const parsed = planSchema.safeParse(raw, inDutch);
	if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error) };
	const plan = parsed.data;
	const libraryCodes = new Set(library.indicators.map((i) => i.code));

	const nodeCodes: { code: string; path: string }[] = [];
	const nodes = [
		...plan.ambitions.map((n, i) => ({ n, p: `ambitions[${i}]` })),
		...plan.outcomes.map((n, i) => ({ n, p: `outcomes[${i}]` }))
	];
	for (const [t, theme] of plan.themes.entries()) {
		nodes.push({ n: theme, p: `themes[${t}]` });
		for (const [s, step] of theme.nextSteps.entries()) {
			nodes.push({ n: step, p: `themes[${t}].nextSteps[${s}]` });
			step.solutions.forEach((sol, o) => nodes.push({ n: sol, p: `themes[${t}].nextSteps[${s}].solutions[${o}]` }));
		}
	}
	for (const { n, p } of nodes) nodeCodes.push({ code: n.code, path: `${p}.code` });

	const issues: PlanIssue[] = [...duplicates(nodeCodes)];
	const indicatorList = [...planIndicators(plan)];
	issues.push(
		...duplicates(indicatorList.map(({ indicator, path }) => ({ code: indicator.code, path: `${path}.code` })))
	);
	const known = new Set([...regionsOf(plan.regions)].map((r) => r.region.slug));
	for (const { indicator, path } of indicatorList) {
		const area = indicator.baseline?.region;
		if (area !== undefined && !isBaselineArea(area, known))
			issues.push({
				path: `${path}.baseline.region`,
				message: `onbekend gebied ${area}: kies een regio van het programma of ${NATIONAL}`
			});
		if (indicator.library && !libraryCodes.has(indicator.library))
			issues.push({ path: `${path}.library`, message: `onbekende bibliotheekindicator ${indicator.library}` });
		if (indicator.derived && indicator.unit && indicator.unit !== 'count')
			issues.push({ path: `${path}.unit`, message: 'een indicator afgeleid uit het actielog heeft eenheid count' });
		issues.push(...breakdownIssues(indicator, path, plan.dimensions ?? []));
		issues.push(...derivedSplitIssues(indicator, path, plan.dimensions ?? []));
	}

	const templates = templateContext(plan, library);
	plan.pollTemplates?.forEach((t, i) => {
		for (const issue of templateIssues(t, templates))
			issues.push({ path: `pollTemplates[${i}].${issue.path}`, message: issue.message });
	});

	const regionSlugs = [...regionsOf(plan.regions)];
	issues.push(...duplicates(regionSlugs.map(({ region, path }) => ({ code: region.slug, path: `${path}.slug` }))));
	plan.organisations?.forEach((org, i) => {
		if (org.region && !known.has(org.region))
			issues.push({ path: `organisations[${i}].region`, message: `onbekende regio ${org.region}` });
	});
	const years = (plan.schoolYears ?? []).map((y) => ({
		name: y.name,
		phases: y.phases.map((p) => ({ ...p, evaluationDate: p.end }))
	}));
	years.forEach((year, y) => {
		const others = years.filter((_, o) => o !== y).flatMap((o) => o.phases);
		for (const issue of validateSchoolYear(year, others))
			issues.push({
				path: `schoolYears[${y}].${issue.path.replace(/^phases\.(\d+)/, 'phases[$1]')}`,
				message: issue.message
			});
	});
	return issues.length ? { ok: false, issues } : { ok: true, value: plan };
}

type OptionalField =
	| 'library'
	| 'owner'
	| 'baseline'
	| 'target'
	| 'targets'
	| 'derived'
	| 'validMonths'
	| 'comparable'
	| 'key'
	| 'rules'
	| 'dimensions'
	| 'categoryTargets';
export type ResolvedIndicator = Required<Omit<PlanIndicator, OptionalField>> & Pick<PlanIndicator, OptionalField>;

/**
 * An indicator with the fields it inherits from its library entry filled in (its own fields win). A baseline
 * that names no area but is one of the library entry's baselines (same value and date) keeps that entry's area.
 */
export function resolveIndicator(indicator: PlanIndicator, library: Library): ResolvedIndicator {
	const base: Partial<LibraryIndicator> = indicator.library
		? (library.indicators.find((l) => l.code === indicator.library) ?? {})
		: {};
	const { baselines, code: _code, ...inherited } = base;
	const merged = { ...inherited, ...Object.fromEntries(Object.entries(indicator).filter(([, v]) => v !== undefined)) };
	const own = indicator.baseline;
	const quoted =
		own && own.region === undefined
			? baselines?.find((b) => b.value === own.value && b.date === own.date)?.region
			: undefined;
	return (quoted ? { ...merged, baseline: { ...own, region: quoted } } : merged) as ResolvedIndicator;
}

/** What the plan's poll templates are checked against: its indicators (unit as resolved, derived or not) and dimensions. */
export function templateContext(plan: Plan, library: Library): TemplateContext {
	const indicators = [...planIndicators(plan)].map(({ indicator }) => {
		const resolved = resolveIndicator(indicator, library);
		return [
			indicator.code,
			{ unit: resolved.unit, derived: resolved.derived !== undefined, dimensions: resolved.dimensions ?? [] }
		] as const;
	});
	return { indicators: new Map(indicators), dimensions: plan.dimensions ?? [] };
}

/** A plan's planning errors that do not refuse it: a target on the wrong side of the baseline. */
export interface PlanWarning {
	code: string;
	path: string;
	message: string;
}

/**
 * Every indicator whose target lies on the wrong side of its baseline for its direction (`planningWarning`),
 * and every poll template question on a dimension that splits none of the indicators its template feeds:
 * its answers would be asked for nothing but the group's bars (ask only what is used).
 */
export function planWarnings(plan: Plan, library: Library): PlanWarning[] {
	const warnings: PlanWarning[] = [];
	for (const { indicator, path } of planIndicators(plan)) {
		const ind = resolveIndicator(indicator, library);
		const message = planningWarning({
			direction: ind.direction,
			baseline: ind.baseline?.value ?? null,
			target: ind.target?.value ?? null
		});
		if (message) warnings.push({ code: ind.code, path: `${path}.target`, message });
	}
	const { indicators } = templateContext(plan, library);
	plan.pollTemplates?.forEach((t, i) => {
		const fed = t.questions.flatMap((q) => (q.indicator ? [q.indicator] : []));
		t.questions.forEach((q, j) => {
			if (q.dimension && !fed.some((code) => indicators.get(code)?.dimensions.includes(q.dimension!)))
				warnings.push({
					code: `peilingsjabloon ${t.key}`,
					path: `pollTemplates[${i}].questions[${j}].dimension`,
					message: `vraag ${q.key} vraagt naar ${q.dimension}, maar geen indicator van dit sjabloon wordt daarnaar uitgesplitst: de antwoorden tellen alleen in de uitslag voor de groep`
				});
		});
	});
	return warnings;
}

/** A planning warning as one line of `plan:load` output and the upload summary. */
export const warningLine = (w: Pick<PlanWarning, 'code' | 'message'>) => `let op: ${w.code}: ${w.message}`;
