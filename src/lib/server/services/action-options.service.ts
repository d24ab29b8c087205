import type { ProgrammeContext, RequestContext } from '../request-context.ts';
import { targetValue, type TargetGroupOption } from '../../domain/action.ts';
import { defaultRegion, distinctLabels, reachAsked, type ReachIndicator } from '../../domain/action-choices.ts';
import { TARGET_GROUP_KEYS, withReachSplit, type TargetGroup } from '../../domain/derived.ts';
import { parseDimensions, parseIndicatorDimensions } from '../../domain/breakdown.ts';
import { parseDerivedRule } from '../../domain/plan.schema.ts';
import { liveTreeOfRows, nodeOfIndicator } from '../../domain/plan-tree.ts';
import { listDerivedIndicators } from '../repositories/derived.repository.ts';
import * as repo from '../repositories/action.repository.ts';
import { listOrganisations } from '../repositories/organisation.repository.ts';
import { listProgrammeRegions } from '../repositories/region.repository.ts';
import { listPhases } from '../repositories/phase.repository.ts';

/** What the action form and the list's filters offer: plan nodes, organisations, regions, authors, phases. */

const short = (s: string, max = 70) => (s.length > max ? `${s.slice(0, max - 1).trimEnd()}…` : s);

/** Regions in tree order with their depth, so a select can indent them. */
export function regionTree(regions: Awaited<ReturnType<typeof listProgrammeRegions>>) {
	const out: { slug: string; name: string; depth: number }[] = [];
	const walk = (parent: number | null, depth: number) => {
		for (const r of regions.filter((x) => x.parent_id === parent)) {
			out.push({ slug: r.slug, name: r.name, depth });
			walk(r.id, depth + 1);
		}
	};
	walk(null, 0);
	return out;
}

/** The programme's live derived indicators as the action form needs them: node and rule, with its split. */
function reachIndicators(
	rows: Awaited<ReturnType<typeof listDerivedIndicators>>,
	dimensions: string | null
): ReachIndicator[] {
	const programmeDimensions = parseDimensions(dimensions);
	return liveTreeOfRows(rows).indicators.map((i) => ({
		node: nodeOfIndicator(i),
		rule: withReachSplit(parseDerivedRule(i.derived), parseIndicatorDimensions(i.dimensions), programmeDimensions)!
	}));
}

export async function actionOptions({ db, programme }: ProgrammeContext) {
	const [{ themes, steps, solutions }, organisations, regions, authors, phases, derived] = await Promise.all([
		repo.listTargets(db, programme.id),
		listOrganisations(db, programme.id, false),
		listProgrammeRegions(db, programme.id),
		repo.listAuthors(db, programme.id),
		listPhases(db, programme.id),
		listDerivedIndicators(db, programme.id)
	]);
	const themeOf = new Map(themes.map((t) => [t.id, `Thema ${t.number}. ${short(t.title, 40)}`]));
	const stepTheme = new Map(steps.map((s) => [s.id, themeOf.get(s.theme_id) ?? '']));
	// one list over all themes, so a name shared across themes is told apart everywhere it appears
	const labelled = distinctLabels(
		themes.flatMap((t) =>
			steps
				.filter((s) => s.theme_id === t.id)
				.flatMap((s) => [
					{
						value: targetValue({ nextStep: s.id, solution: null }),
						label: `Vervolgstap: ${short(s.title)}`,
						stepId: s.id,
						solutionId: null,
						themeId: t.id,
						theme: themeOf.get(t.id)!
					},
					...solutions
						.filter((o) => o.next_step_id === s.id)
						.map((o) => ({
							value: targetValue({ nextStep: s.id, solution: o.id }),
							label: o.title,
							stepId: s.id,
							solutionId: o.id,
							themeId: t.id,
							theme: themeOf.get(t.id)!
						}))
				])
		)
	);
	const targets: TargetGroupOption[] = themes.map((t) => ({
		theme: { id: t.id, number: t.number, title: t.title },
		options: labelled
			.filter((o) => o.themeId === t.id)
			.map(({ value, label, stepId, solutionId }) => ({ value, label, stepId, solutionId }))
	}));
	const indicators = reachIndicators(derived, programme.dimensions);
	const byTarget: Record<string, TargetGroup[]> = Object.fromEntries(
		labelled.map((o) => [
			o.value,
			reachAsked({ themeId: o.themeId, nextStepId: o.stepId, solutionId: o.solutionId }, indicators)
		])
	);
	const used = new Set(Object.values(byTarget).flat());
	return {
		targets,
		/**
		 * The reach fields the form asks for: per choice of next step or solution, the target groups its derived
		 * indicators count; `all` — every group any of them counts, for a form without JavaScript (README "Acties")
		 */
		reach: { all: TARGET_GROUP_KEYS.filter((g) => used.has(g)), byTarget },
		solutions: distinctLabels(
			solutions.map((o) => ({ id: o.id, label: o.title, theme: stepTheme.get(o.next_step_id) ?? '' }))
		).map((o) => ({ id: o.id, title: o.label })),
		organisations: organisations.map((o) => ({
			id: o.id,
			name: o.name,
			region: o.region ? { slug: o.region, name: o.region_name! } : null
		})),
		regions: regionTree(regions),
		authors,
		/** so the form can say which phase a date falls in (and warn when it falls in none) */
		phases: phases.map((p) => ({
			id: p.id,
			name: p.name,
			schoolYear: p.school_year,
			start: p.start_date,
			end: p.end_date
		}))
	};
}

/** The form's starting values: today, what this author used last (next step or solution, kind, organisation), and a region that is always valid. */
export async function actionDefaults(
	{ db, programme, actor }: RequestContext,
	today: string
): Promise<Record<string, string>> {
	const [last, regions, organisations] = await Promise.all([
		actor.userId === null ? undefined : repo.lastOfAuthor(db, programme.id, actor.userId),
		listProgrammeRegions(db, programme.id),
		listOrganisations(db, programme.id, false)
	]);
	const organisation = last?.organisation_id ? organisations.find((o) => o.id === last.organisation_id) : undefined;
	return {
		date: today,
		target: last ? targetValue({ nextStep: last.next_step_id, solution: last.solution_id }) : '',
		kind: last?.kind ?? '',
		organisation: organisation ? String(organisation.id) : '',
		region: defaultRegion(
			organisation?.region ?? null,
			regions.find((r) => r.id === last?.region_id)?.slug ?? null,
			regions.map((r) => r.slug)
		),
		jongeren: '',
		ouders: '',
		professionals: '',
		description: '',
		quote: ''
	};
}
