import type { ProgrammeContext } from '../request-context.ts';
import { openEvaluations } from '../../domain/due.ts';
import { gridCell, type GridCell } from '../../domain/evaluation-grid.ts';
import type { EvaluationSnapshot, EvaluationView } from '../../domain/evaluation.ts';
import { momentPhase, phaseOf, schoolYearOf } from '../../domain/phase-calendar.ts';
import { listFinalEvaluations } from '../repositories/due.repository.ts';
import * as repo from '../repositories/evaluation.repository.ts';
import { findStepAndPhase, listEvaluations } from './evaluation.service.ts';
import { listSchoolYears } from './phase.service.ts';
import type { PhaseView } from '../../domain/due.ts';
import { takeSnapshot } from './snapshot.service.ts';

/** What the evaluation pages show: the themes × phases grid and one evaluation with what lies beside it. */

export interface GridRow {
	theme: { id: number; number: number; title: string };
	step: { id: number; code: string; title: string };
	cells: (GridCell & { phaseId: number; evaluationId: number | null; actions: number })[];
}

export interface EvaluationGrid {
	schoolYears: string[];
	schoolYear: string;
	phases: (PhaseView & { current: boolean })[];
	rows: GridRow[];
}

/** The grid of one school year (by default today's): a row per next step, grouped by theme; a cell per phase. */
export async function evaluationGrid(
	ctx: ProgrammeContext,
	today: string,
	schoolYear?: string
): Promise<EvaluationGrid | null> {
	const { db, programme } = ctx;
	const years = await listSchoolYears(ctx, today);
	const wanted = schoolYear ?? schoolYearOf(today);
	const year = years.find((y) => y.name === wanted) ?? (schoolYear === undefined ? years.at(-1) : undefined);
	if (!year) return null;
	const allPhases = years.flatMap((y) => y.phases);
	const phases = year.phases;
	const [steps, evaluations, finals, actions] = await Promise.all([
		repo.listNextSteps(db, programme.id),
		listEvaluations(
			ctx,
			phases.map((p) => p.id)
		),
		listFinalEvaluations(db, programme.id),
		phases.length ? repo.listActionDates(db, programme.id, phases[0].start, phases.at(-1)!.end) : Promise.resolve([])
	]);
	const open = openEvaluations(
		today,
		allPhases,
		steps.map((s) => s.id),
		finals.map((f) => ({ nextStepId: f.next_step_id, phaseId: f.phase_id }))
	);
	const actionCount = new Map<string, number>();
	for (const a of actions) {
		const phase = phaseOf(a.date, phases);
		if (phase)
			actionCount.set(`${a.next_step_id}:${phase.id}`, (actionCount.get(`${a.next_step_id}:${phase.id}`) ?? 0) + 1);
	}
	const current = momentPhase(today, allPhases);
	return {
		schoolYears: years.map((y) => y.name),
		schoolYear: year.name,
		phases: phases.map((p) => ({ ...p, current: p.id === current?.id })),
		rows: steps.map((s) => ({
			theme: { id: s.theme_id, number: s.theme_number, title: s.theme_title },
			step: { id: s.id, code: s.code, title: s.title },
			cells: phases.map((p) => {
				const e = evaluations.find((x) => x.nextStepId === s.id && x.phaseId === p.id) ?? null;
				const o = open.find((x) => x.nextStepId === s.id && x.phase.id === p.id) ?? null;
				return {
					...gridCell({ evaluation: e, open: o, phase: p, today }),
					phaseId: p.id,
					evaluationId: e?.id ?? null,
					actions: actionCount.get(`${s.id}:${p.id}`) ?? 0
				};
			})
		}))
	};
}

export interface EvaluationDetail {
	step: { id: number; code: string; title: string; goal: string; theme: string };
	phase: PhaseView;
	/** the other phases of its school year, to move between them */
	phases: PhaseView[];
	evaluation: EvaluationView | null;
	actions: Awaited<ReturnType<typeof repo.listStepActions>>;
	/** the stored snapshot of a final evaluation, else the figures as they stand now */
	figures: EvaluationSnapshot;
	live: boolean;
}

export async function evaluationDetail(
	ctx: ProgrammeContext,
	nextStepId: number,
	phaseId: number,
	today: string
): Promise<EvaluationDetail | null> {
	const { db, programme } = ctx;
	const found = await findStepAndPhase(ctx, nextStepId, phaseId);
	if (!found) return null;
	const { step, phase } = found;
	const years = await listSchoolYears(ctx, today);
	const [[evaluation], actions] = await Promise.all([
		listEvaluations(ctx, [phaseId]).then((list) => list.filter((e) => e.nextStepId === nextStepId)),
		// the phase's own date range: the same boundaries phaseOf() uses (inclusive)
		repo.listStepActions(db, nextStepId, phase.start_date, phase.end_date)
	]);
	const stored = evaluation?.state === 'final' ? evaluation.snapshot : null;
	return {
		step: {
			id: step.id,
			code: step.code,
			title: step.title,
			goal: step.goal,
			theme: `${step.theme_number}. ${step.theme_title}`
		},
		phase: years.flatMap((y) => y.phases).find((p) => p.id === phaseId)!,
		phases: years.find((y) => y.id === phase.school_year_id)?.phases ?? [],
		evaluation: evaluation ?? null,
		actions,
		figures: stored ?? (await takeSnapshot({ db, programme }, nextStepId, phase)),
		live: stored === null
	};
}
