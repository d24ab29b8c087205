import type { ProgrammeContext } from '../request-context.ts';
import { measurementDue, openEvaluations, overdueFollowUps, WAITING_SHOWN, type DueList } from '../../domain/due.ts';
import { momentPhase } from '../../domain/phase-calendar.ts';
import { liveTreeOfRows } from '../../domain/plan-tree.ts';
import * as repo from '../repositories/due.repository.ts';
import { listEvaluations, listNextSteps } from '../repositories/evaluation.repository.ts';
import { listPhases } from './phase.service.ts';
import { listRecords, waitingCounts } from '../repositories/measurement.repository.ts';

/**
 * "Wat staat er open" for a lead: the same list the reminder digest sends. What an archived node takes with it
 * stays out: archived next steps and those of an archived theme (listNextSteps) with their evaluations and
 * follow-ups, and every indicator below an archived node (liveTree).
 */
export async function dueList({ db, programme }: ProgrammeContext, today: string): Promise<DueList> {
	const phases = await listPhases({ db, programme }, today);
	const moment = momentPhase(today, phases);
	const [steps, finals, followUps, indicatorRows, lastDates, toReview, returned, waiting] = await Promise.all([
		listNextSteps(db, programme.id),
		repo.listFinalEvaluations(db, programme.id),
		repo.listOpenFollowUps(db, programme.id),
		repo.listMeasuredIndicators(db, programme.id),
		repo.lastMeasuredDates(db, programme.id),
		listRecords(db, programme.id, { status: ['submitted'] }, { limit: WAITING_SHOWN, offset: 0 }),
		listRecords(db, programme.id, { status: ['returned'] }, { limit: WAITING_SHOWN, offset: 0 }),
		waitingCounts(db, programme.id)
	]);
	const waitingOf = (status: string) => Number(waiting.find((w) => w.status === status)?.n ?? 0);
	const open = openEvaluations(
		today,
		phases,
		steps.map((s) => s.id),
		finals.map((f) => ({ nextStepId: f.next_step_id, phaseId: f.phase_id }))
	);
	const drafts = open.length ? await listEvaluations(db, programme.id, [...new Set(open.map((o) => o.phase.id))]) : [];
	const indicators = liveTreeOfRows(indicatorRows).indicators;
	const liveSteps = new Set(steps.map((s) => s.id));
	const last = new Map(lastDates.map((r) => [r.indicator_id, (r.last as string | null) ?? null]));
	return {
		today,
		moment,
		evaluations: open.map((o) => {
			const step = steps.find((s) => s.id === o.nextStepId)!;
			const draft = drafts.find((d) => d.next_step_id === o.nextStepId && d.phase_id === o.phase.id);
			return {
				nextStepId: step.id,
				nextStep: step.title,
				theme: `${step.theme_number}. ${step.theme_title}`,
				phase: o.phase,
				overdue: o.overdue,
				draftId: draft?.id ?? null
			};
		}),
		followUps: overdueFollowUps(
			followUps.filter((f) => liveSteps.has(f.next_step_id)).map((f) => ({ ...f, done: f.done === 1 })),
			today
		).map((f) => ({
			id: f.id,
			description: f.description,
			owner: f.owner,
			deadline: f.deadline,
			evaluationId: f.evaluation_id,
			evaluationVersion: f.version,
			nextStepId: f.next_step_id,
			nextStep: f.next_step,
			phaseId: f.phase_id,
			phase: `${f.phase} ${f.school_year}`
		})),
		measurements: {
			toReview: waitingOf('submitted'),
			returned: waitingOf('returned'),
			items: [...toReview, ...returned].map((m) => ({
				id: m.id,
				status: m.status as 'submitted' | 'returned',
				indicator: m.indicator,
				indicatorName: m.indicator_name,
				regionName: m.region_name,
				date: m.date,
				by: m.created_by_name
			}))
		},
		indicators: moment
			? indicators.flatMap((i) => {
					const due = measurementDue(
						{ frequency: i.frequency, derived: i.derived !== null, baselineDate: i.baseline_date },
						last.get(i.id) ?? null,
						moment,
						today
					);
					return due
						? [
								{
									code: i.code,
									name: i.name,
									frequency: i.frequency,
									owner: i.owner,
									lastMeasured: last.get(i.id) ?? null,
									...due
								}
							]
						: [];
				})
			: []
	};
}
