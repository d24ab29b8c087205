import type { Conn } from '../db/types.ts';
import type { EvaluationSnapshot, SnapshotIndicator } from '../../domain/evaluation.ts';
import type { Direction, Unit } from '../../domain/plan.schema.ts';
import { indicatorProgress, meanProgress } from '../../domain/progress.ts';
import { listApprovedUntil, listStepIndicators } from '../repositories/evaluation.repository.ts';
import { derivedMeasurements } from './derived.service.ts';

/**
 * A next step's figures at the end of a phase: each indicator on the step or its solutions with its
 * latest approved value up to the phase's last day (any region; on one date the lowest region id), or
 * for a derived indicator its value in that phase summed over regions (0 when nothing was logged),
 * against baseline and target, with progress from the one definition.
 */
export async function takeSnapshot(db: Conn, programmeId: number, nextStepId: number, phase: { id: number; end_date: string }): Promise<EvaluationSnapshot> {
	const indicators = await listStepIndicators(db, nextStepId);
	const measured = indicators.filter((i) => i.derived === null && i.unit !== 'text');
	const derived = indicators.filter((i) => i.derived !== null);
	const [rows, points] = await Promise.all([
		listApprovedUntil(db, measured.map((i) => i.id), phase.end_date),
		derived.length ? derivedMeasurements(db, programmeId, derived.map((i) => i.id)) : Promise.resolve([])
	]);
	const latest = new Map<number, SnapshotIndicator['latest']>();
	for (const r of rows) if (!latest.has(r.indicator_id)) latest.set(r.indicator_id, { value: r.value!, date: r.date, demo: r.demo === 1 });
	for (const i of derived) {
		const inPhase = points.filter((p) => p.indicatorId === i.id && p.phaseId === phase.id);
		latest.set(i.id, { value: inPhase.reduce((sum, p) => sum + p.value, 0), date: phase.end_date, demo: inPhase.some((p) => p.demo) });
	}
	const out: SnapshotIndicator[] = indicators.map((i) => {
		const l = latest.get(i.id) ?? null;
		const direction = i.direction as Direction;
		return {
			code: i.code,
			name: i.name,
			unit: i.unit as Unit,
			direction,
			baseline: i.baseline_value,
			target: i.target_value,
			demo: i.baseline_demo === 1 || i.target_demo === 1,
			latest: l,
			derived: i.derived !== null,
			progress: indicatorProgress({ direction, baseline: i.baseline_value, target: i.target_value, latest: l?.value ?? null })
		};
	});
	return { takenAt: new Date().toISOString(), asOf: phase.end_date, indicators: out, progress: meanProgress(out.map((i) => i.progress)) };
}
