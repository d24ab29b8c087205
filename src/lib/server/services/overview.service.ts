import type { RequestContext } from '../request-context.ts';
import { canSee } from '../../domain/permissions.ts';
import { listProgrammes } from '../repositories/kompas.repository.ts';
import { loadProgresses } from './progress.service.ts';

/**
 * Programmes read together in one progress read. Bounds the figures query's parameters (4 per programme
 * plus the per-period indicators' ids; SQLite allows 32,766, PostgreSQL 65,535): up to this many programmes
 * cost the same five queries, beyond it five more per batch.
 */
export const OVERVIEW_BATCH = 100;

/**
 * One row per programme the actor may see: progress per theme and data completeness in the programme's
 * current phase, and its latest evaluation moment. All programmes together cost the same five queries
 * (the list, then one progress read for all of them); nothing is queried per programme, theme or indicator,
 * and no trend is read or computed (the overview shows none).
 */
export async function programmeOverview({ db, actor }: Pick<RequestContext, 'db' | 'actor'>) {
	const programmes = (await listProgrammes(db)).filter((p) => canSee(actor, p.id));
	const progresses: Awaited<ReturnType<typeof loadProgresses>> = [];
	for (let i = 0; i < programmes.length; i += OVERVIEW_BATCH)
		progresses.push(...(await loadProgresses(db, programmes.slice(i, i + OVERVIEW_BATCH), {}, { trend: false })));
	return programmes.map((programme, k) => {
		const loaded = progresses[k];
		if (!loaded.ok) throw new Error(`default selection refused for ${programme.slug}: ${loaded.refusal.message}`);
		const ctx = loaded.value;
		const { progress, input } = ctx;
		const numeric = progress.indicators.filter((i) => i.unit !== 'text');
		const withData = numeric.filter((i) => i.latest !== null).length;
		const finals = input.evaluations.filter((e) => e.state === 'final');
		const evaluated = input.phases.filter((p) => finals.some((e) => e.phaseId === p.id)).at(-1) ?? null;
		const year = (phaseId: number) => ctx.schoolYears.find((y) => y.phases.some((p) => p.id === phaseId))?.name ?? '';
		return {
			slug: programme.slug,
			name: programme.name,
			period: progress.period.phase
				? `${progress.period.phase.name} ${progress.period.schoolYear?.name ?? ''}`
				: (progress.period.schoolYear?.name ?? 'alle gegevens'),
			themes: progress.themes.map((t) => ({ id: t.id, number: t.number, title: t.title, progress: t.progress })),
			latestEvaluation: evaluated && {
				phase: `${evaluated.name} ${year(evaluated.id)}`,
				date:
					ctx.schoolYears.flatMap((y) => y.phases).find((p) => p.id === evaluated.id)?.evaluationDate ?? evaluated.end,
				count: finals.filter((e) => e.phaseId === evaluated.id).length
			},
			completeness: { withData, total: numeric.length, share: numeric.length ? withData / numeric.length : null }
		};
	});
}

export type OverviewRow = Awaited<ReturnType<typeof programmeOverview>>[number];
