import type { NodeLevel } from './kompas.ts';
import type { ProgressNode } from './programme-progress.ts';

/**
 * "Het verhaal achter de curve": which stories and evaluations belong beside an indicator's curve. A
 * solution's indicator: the quotes logged on that solution and the evaluations of its next step; a next
 * step's: the step's quotes (its solutions included) and evaluations; a theme's: those of all its next
 * steps. Beleid indicators (ambition, outcome) have none: no action or evaluation hangs on them.
 */

/** The newest this many stories and evaluations are shown; the rest is counted ("en 4 eerdere"). */
export const STORY_LIMIT = 10;

export interface CurveStoryScope {
	/** the action-log filter for the quotes; null = none */
	stories: { themeId: number } | { nextStepId: number } | { solutionId: number } | null;
	/** the next steps whose final evaluations tell the story */
	nextStepIds: number[];
}

export function curveStoryScope(
	node: { level: NodeLevel; id: number },
	nextSteps: readonly ProgressNode[],
	solutions: readonly ProgressNode[]
): CurveStoryScope {
	switch (node.level) {
		case 'solution': {
			const step = solutions.find((s) => s.id === node.id)?.parentId ?? null;
			return { stories: { solutionId: node.id }, nextStepIds: step === null ? [] : [step] };
		}
		case 'nextStep':
			return { stories: { nextStepId: node.id }, nextStepIds: [node.id] };
		case 'theme':
			return {
				stories: { themeId: node.id },
				nextStepIds: nextSteps.filter((s) => s.parentId === node.id).map((s) => s.id)
			};
		default:
			return { stories: null, nextStepIds: [] };
	}
}

/** "en 4 eerdere" under a list cut at `shown` of `total`; null when nothing was left out. */
export const earlierText = (shown: number, total: number) => (total > shown ? `en ${total - shown} eerdere` : null);
