import { parseIndicatorDimensions, type Dimension } from './breakdown.ts';
import type { Unit } from './plan.schema.ts';
import {
	measureOf,
	templateIssues,
	type PollTemplate,
	type PollTemplateQuestion,
	type TemplateContext
} from './poll.ts';

/**
 * The plan editor may not leave a poll template (poll.ts) asking for something gone or changed: an
 * indicator deleted, archived (itself or with its node), given another code, made derived, or given a unit
 * that changes what its question measures; a dimension removed, or left with too few values to choose from.
 * One check for every editor service: the programme's templates against its plan before and after the
 * change. A template changes only through the plan file, so the refusal says to change it there first.
 */

/** An indicator row as stored, with what a template asks of it. */
export interface TemplateIndicatorRow {
	code: string;
	unit: string;
	derived: string | null;
	dimensions: string | null;
}

/** The context templates are checked against, from the live indicator rows and the programme's dimensions. */
export function storedTemplateContext(
	indicators: readonly TemplateIndicatorRow[],
	dimensions: readonly Dimension[]
): TemplateContext {
	return {
		indicators: new Map(
			indicators.map((i) => [
				i.code,
				{ unit: i.unit as Unit, derived: i.derived !== null, dimensions: parseIndicatorDimensions(i.dimensions) }
			])
		),
		dimensions
	};
}

/** What a question measures of its indicator in this plan; null when it has none or cannot feed it. */
function measure(q: PollTemplateQuestion, ctx: TemplateContext) {
	const indicator = q.indicator ? ctx.indicators.get(q.indicator) : undefined;
	return indicator && !indicator.derived ? measureOf(q.kind, indicator.unit) : null;
}

/**
 * The refusal's Dutch message for the first template question a change breaks: an issue it did not have
 * before (`templateIssues`), or another measure of its indicator (a percentage question that would count a
 * mean). Null when every template still fits.
 */
export function templateBreak(
	templates: readonly PollTemplate[],
	before: TemplateContext,
	after: TemplateContext
): string | null {
	for (const t of templates) {
		const had = new Set(templateIssues(t, before).map((i) => i.path));
		const fresh = templateIssues(t, after).filter((i) => !had.has(i.path));
		for (const [n, q] of t.questions.entries()) {
			const was = measure(q, before);
			const broken = fresh.some((i) => i.path.startsWith(`questions[${n}].`)) || (was && measure(q, after) !== was);
			if (broken)
				return `Peilingsjabloon ${t.name} (${t.key}) vraagt in vraag ${q.key} naar ${
					q.indicator ? `indicator ${q.indicator}` : `dimensie ${q.dimension}`
				}; pas eerst het sjabloon aan in het planbestand.`;
		}
	}
	return null;
}
