import type { Programme } from '../db/schema.ts';
import type { Conn } from '../db/types.ts';
import type { IndicatorFigure } from '../../domain/programme-progress.ts';
import { periodOptions, regionOptions, selectionOf } from './dashboard.service.ts';
import { isProblem, loadProgress, type ProgressContext, type SelectionProblem } from './progress.service.ts';
import { todayInNl } from './phase.service.ts';

/**
 * The funder report: the kompas, per theme its progress, indicators (baseline / latest / target), final
 * evaluation decisions and shareable stories, for a region and period. The page, the CSV/XLSX downloads
 * and the PDF all come from this one view.
 */
export async function report(db: Conn, programme: Programme, q: { region?: string | null; phase?: string | null }): Promise<ReportView | SelectionProblem> {
	const ctx = await loadProgress(db, programme, q, { stories: { publicOnly: true, perStep: 3 } });
	return isProblem(ctx) ? ctx : present(programme, ctx);
}

function present(programme: Programme, ctx: ProgressContext) {
	const { input, progress } = ctx;
	const period = progress.period;
	const yearPhases = new Set((period.schoolYear?.phases ?? []).map((p) => p.id));
	const phase = new Map(input.phases.map((p) => [p.id, p]));
	const byCode = new Map(progress.indicators.map((i) => [i.code, i]));
	const themes = progress.themes.map((t) => {
		const steps = input.nextSteps.filter((s) => s.parentId === t.id);
		const stepIds = steps.map((s) => s.id);
		return {
			...t,
			rows: t.indicators.map((code) => byCode.get(code)!),
			evaluations: input.evaluations
				.filter((e) => e.state === 'final' && stepIds.includes(e.nextStepId) && yearPhases.has(e.phaseId) && phase.get(e.phaseId)!.start <= period.window.end)
				.map((e) => ({ phase: phase.get(e.phaseId)!.name, start: phase.get(e.phaseId)!.start, step: steps.find((s) => s.id === e.nextStepId)!.title, status: e.status, decision: e.decision }))
				.sort((a, b) => a.start.localeCompare(b.start)),
			stories: ctx.stories.filter((s) => stepIds.includes(s.nextStepId)).map((s) => ({ id: s.id, date: s.date, quote: s.quote, demo: s.demo }))
		};
	});
	return {
		programme: { slug: programme.slug, name: programme.name, description: programme.description, start: programme.start_date },
		generatedOn: todayInNl(),
		selection: selectionOf(ctx),
		regions: regionOptions(ctx),
		schoolYears: periodOptions(ctx.schoolYears),
		kompas: {
			ambitions: input.ambitions.map((a) => a.title),
			outcomes: input.outcomes.map((o) => o.title),
			themes: input.themes.map((t) => ({
				number: t.number,
				title: t.title,
				nextSteps: input.nextSteps
					.filter((s) => s.parentId === t.id)
					.map((s) => ({ title: s.title, solutions: input.solutions.filter((o) => o.parentId === s.id).map((o) => o.title) }))
			}))
		},
		beleid: progress.beleid,
		themes
	};
}

export type ReportView = ReturnType<typeof present>;

/** One row per indicator: what the CSV and XLSX downloads hold (Beleid first, then per theme). */
export function reportRows(view: ReportView) {
	const row = (i: IndicatorFigure, theme: { title: string; progress: number | null } | null, level: string) => ({
		regio: view.selection.region?.name ?? 'hele programma',
		periode: view.selection.phaseName ? `${view.selection.phaseName} ${view.selection.schoolYear}` : (view.selection.schoolYear ?? 'alles'),
		thema: theme?.title ?? level,
		themavoortgang: theme?.progress ?? null,
		code: i.code,
		indicator: i.name,
		eenheid: i.unit,
		nulmeting: i.baseline?.value ?? null,
		nulmetingDatum: i.baseline?.date ?? null,
		laatste: i.latest?.value ?? null,
		laatsteDatum: i.latest?.date ?? null,
		streefwaarde: i.target?.value ?? null,
		streefDatum: i.target?.date ?? null,
		voortgang: i.progress,
		afgeleid: i.derived,
		demo: Boolean(i.baseline?.demo || i.target?.demo || i.latest?.demo)
	});
	return [
		...view.beleid.map((b) => row(b.indicator, null, b.indicator.node.level === 'ambition' ? 'Ambitie' : 'Maatschappelijk resultaat')),
		...view.themes.flatMap((t) => t.rows.filter((i) => i.unit !== 'text').map((i) => row(i, t, 'Thema')))
	];
}

export type ReportRow = ReturnType<typeof reportRows>[number];
