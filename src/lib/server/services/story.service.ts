import type { ProgrammeContext, RequestContext } from '../request-context.ts';
import type { StoryView } from '../../domain/action.ts';
import { canSeeUnsharedStories } from '../../domain/permissions.ts';
import * as repo from '../repositories/action.repository.ts';
import * as evaluationRepo from '../repositories/evaluation.repository.ts';
import { STORY_LIMIT, type CurveStoryScope } from '../../domain/curve-story.ts';

/** Stories: the quotes and observations of the action log ("tellen én vertellen"), newest first. */

export interface StoryScope {
	themeId?: number;
	nextStepId?: number;
	solutionId?: number;
	/** true: only quotes their author marked as shareable with funders (the funder report) */
	shareableOnly: boolean;
	limit?: number;
}

export async function listStories({ db, programme }: ProgrammeContext, scope: StoryScope): Promise<StoryView[]> {
	const rows = await repo.listStories(db, programme.id, { ...scope, limit: scope.limit ?? 50 });
	return rows.map((r) => ({
		actionId: r.id,
		date: r.date,
		quote: r.quote!,
		shareable: r.quote_public === 1,
		theme: { id: r.theme_id, number: r.theme_number, title: r.theme_title },
		nextStep: { id: r.next_step_id, code: r.next_step_code, title: r.next_step_title },
		solution: r.solution_id === null ? null : { id: r.solution_id, code: r.solution_code!, title: r.solution_title! },
		kind: r.kind,
		organisation: r.organisation_name,
		region: r.region_name,
		demo: r.demo === 1
	}));
}

/** The stories of a theme (all its next steps), shareable only or all. For the funder report: `shareableOnly: true`. */
export const themeStories = (
	ctx: ProgrammeContext,
	themeId: number,
	{ shareableOnly, limit }: Pick<StoryScope, 'shareableOnly' | 'limit'>
) => listStories(ctx, { themeId, shareableOnly, limit });

/** The stories this actor may read: funders see only shareable ones. */
export const storiesFor = ({ db, programme, actor }: RequestContext, scope: Omit<StoryScope, 'shareableOnly'>) =>
	listStories({ db, programme }, { ...scope, shareableOnly: !canSeeUnsharedStories(actor, programme.id) });

/**
 * The story behind an indicator's curve (curve-story.ts): the newest quotes and final evaluations (learnings
 * and decision, with phase) of the indicator's node, each list bounded with its total; funders read only
 * shareable quotes.
 */
export async function curveStory(ctx: RequestContext, scope: CurveStoryScope) {
	const shareableOnly = !canSeeUnsharedStories(ctx.actor, ctx.programme.id);
	const filter = scope.stories ? { ...scope.stories, shareableOnly } : null;
	const [stories, storiesTotal, evaluations, evaluationsTotal] = await Promise.all([
		filter ? listStories(ctx, { ...filter, limit: STORY_LIMIT }) : [],
		filter ? repo.countStories(ctx.db, ctx.programme.id, filter) : 0,
		scope.nextStepIds.length ? evaluationRepo.listFinalEvaluations(ctx.db, scope.nextStepIds, STORY_LIMIT) : [],
		scope.nextStepIds.length ? evaluationRepo.countFinalEvaluations(ctx.db, scope.nextStepIds) : 0
	]);
	return {
		shareableOnly,
		stories,
		storiesTotal,
		evaluations: evaluations.map((e) => ({
			id: e.id,
			nextStep: { id: e.next_step_id, title: e.next_step_title },
			phaseName: e.phase_name,
			schoolYear: e.school_year,
			date: e.evaluation_date,
			status: e.status,
			learnings: e.learnings,
			decision: e.decision
		})),
		evaluationsTotal
	};
}
