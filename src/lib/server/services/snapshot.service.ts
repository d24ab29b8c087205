import type { ProgrammeContext } from '../request-context.ts';
import type { EvaluationSnapshot, SnapshotIndicator } from '../../domain/evaluation.ts';
import { meanProgress } from '../../domain/progress.ts';
import { programmeProgress } from './progress.service.ts';

/**
 * A next step's figures for a phase: each indicator on the step or its solutions with its value for the
 * whole programme in that phase (latest approved or derived, rolled up over regions and time by the
 * progress service — the one definition) against baseline and target, with its progress.
 */
export async function takeSnapshot(
	ctx: ProgrammeContext,
	nextStepId: number,
	phase: { id: number; end_date: string }
): Promise<EvaluationSnapshot> {
	const loaded = await programmeProgress(ctx, { phase: String(phase.id) });
	// the phase is the evaluation's own: a refusal here is a bug, not input
	if (!loaded.ok) throw new Error(`snapshot: ${loaded.refusal.message}`);
	const progress = loaded.value;
	const indicators: SnapshotIndicator[] = progress.indicators
		.filter((i) => i.nextStepId === nextStepId)
		.map((i) => ({
			code: i.code,
			name: i.name,
			unit: i.unit,
			direction: i.direction,
			baseline: i.baseline?.value ?? null,
			target: i.target?.value ?? null,
			demo: Boolean(i.baseline?.demo || i.target?.demo),
			latest: i.latest ? { value: i.latest.value, date: i.latest.date, demo: i.latest.demo } : null,
			derived: i.derived,
			progress: i.progress
		}));
	const step = progress.themes.flatMap((t) => t.nextSteps).find((s) => s.id === nextStepId);
	return {
		takenAt: new Date().toISOString(),
		asOf: phase.end_date,
		indicators,
		progress: step?.progress ?? meanProgress(indicators.map((i) => i.progress))
	};
}
