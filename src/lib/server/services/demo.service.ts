import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { demoMeasurements } from '../../domain/demo-data.ts';
import type { Unit } from '../../domain/plan.schema.ts';
import { listProgrammes } from '../repositories/kompas.repository.ts';
import { listProgrammeRegions } from '../repositories/region.repository.ts';
import * as repo from '../repositories/demo.repository.ts';

export const DEMO_SOURCE = 'Demo: synthetische waarden, geen echte meting';

/**
 * Synthetic measurements for each programme's phases, at the neighbourhood level (the first child
 * of the top region), all flagged demo. Idempotent: existing measurements are never touched.
 */
export async function seedDemo(db: Kysely<Database>): Promise<number> {
	return db.transaction().execute(async (tx) => {
		let added = 0;
		for (const programme of await listProgrammes(tx)) {
			const regions = await listProgrammeRegions(tx, programme.id);
			const root = regions.find((r) => r.parent_id === null);
			const region = regions.find((r) => r.parent_id === root?.id) ?? root;
			if (!region) continue;
			// only phases that have ended: demo figures are never dated in the future
			const today = new Date().toISOString().slice(0, 10);
			const phases = (await repo.listPhases(tx, programme.id)).filter((p) => p.end_date <= today);
			const indicators = (await repo.listIndicators(tx, programme.id)).map((i) => ({
				id: i.id,
				code: i.code,
				unit: i.unit as Unit,
				kind: i.kind,
				derived: i.derived,
				baseline: i.baseline_value,
				target: i.target_value
			}));
			const rows = demoMeasurements(indicators, phases.map((p) => p.end_date)).map((m) => ({
				indicator_id: m.indicatorId,
				region_id: region.id,
				date: m.date,
				value: m.value,
				n: m.n,
				source: DEMO_SOURCE,
				status: 'approved',
				demo: 1
			}));
			await repo.insertMissingMeasurements(tx, rows);
			added += rows.length;
		}
		return added;
	});
}
