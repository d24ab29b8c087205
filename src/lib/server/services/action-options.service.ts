import type { ProgrammeContext, RequestContext } from '../request-context.ts';
import { targetValue, type TargetGroupOption } from '../../domain/action.ts';
import * as repo from '../repositories/action.repository.ts';
import { listOrganisations } from '../repositories/organisation.repository.ts';
import { listProgrammeRegions } from '../repositories/region.repository.ts';
import { listPhases } from '../repositories/phase.repository.ts';

/** What the action form and the list's filters offer: plan nodes, organisations, regions, authors, phases. */

const short = (s: string, max = 70) => (s.length > max ? `${s.slice(0, max - 1).trimEnd()}…` : s);

/** Regions in tree order with their depth, so a select can indent them. */
function regionTree(regions: Awaited<ReturnType<typeof listProgrammeRegions>>) {
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

export async function actionOptions({ db, programme }: ProgrammeContext) {
	const [{ themes, steps, solutions }, organisations, regions, authors, phases] = await Promise.all([
		repo.listTargets(db, programme.id),
		listOrganisations(db, programme.id, false),
		listProgrammeRegions(db, programme.id),
		repo.listAuthors(db, programme.id),
		listPhases(db, programme.id)
	]);
	const targets: TargetGroupOption[] = themes.map((t) => ({
		theme: { id: t.id, number: t.number, title: t.title },
		options: steps
			.filter((s) => s.theme_id === t.id)
			.flatMap((s) => [
				{
					value: targetValue({ nextStep: s.id, solution: null }),
					label: `Vervolgstap: ${short(s.title)}`,
					stepId: s.id,
					solutionId: null
				},
				...solutions
					.filter((o) => o.next_step_id === s.id)
					.map((o) => ({
						value: targetValue({ nextStep: s.id, solution: o.id }),
						label: o.title,
						stepId: s.id,
						solutionId: o.id
					}))
			])
	}));
	return {
		targets,
		solutions: solutions.map((o) => ({ id: o.id, title: o.title })),
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

/** The form's starting values: today, and what this author used last (next step or solution, kind, organisation). */
export async function actionDefaults(
	{ db, programme, actor }: RequestContext,
	today: string
): Promise<Record<string, string>> {
	const last = actor.userId === null ? undefined : await repo.lastOfAuthor(db, programme.id, actor.userId);
	const regions = last ? await listProgrammeRegions(db, programme.id) : [];
	return {
		date: today,
		target: last ? targetValue({ nextStep: last.next_step_id, solution: last.solution_id }) : '',
		kind: last?.kind ?? '',
		organisation: last?.organisation_id ? String(last.organisation_id) : '',
		// with an organisation the region follows it, unless it was chosen apart
		region: last && last.organisation_id === null ? (regions.find((r) => r.id === last.region_id)?.slug ?? '') : '',
		jongeren: '',
		ouders: '',
		professionals: '',
		description: '',
		quote: ''
	};
}
