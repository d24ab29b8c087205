import type { Programme } from '../db/schema.ts';
import type { ProgrammeContext } from '../request-context.ts';
import type { Library } from '../../domain/plan.schema.ts';
import { exportPlan as toYaml } from '../../domain/plan-export.ts';
import { ok, refuse, type Result } from '../../domain/result.ts';
import { loadStoredPlan } from '../repositories/plan-edit.repository.ts';
import { currentLibrary } from './indicator-edit.service.ts';

/**
 * The programme's live plan as a YAML file in the format of `indicators/`: what `npm run plan:load`
 * reads back. Refused (422 `plan_incomplete`, with the reasons) while the plan misses something a plan file requires.
 */
export async function exportPlanYaml(
	{ db, programme }: ProgrammeContext,
	library: Library = currentLibrary()
): Promise<Result<string>> {
	const stored = await loadStoredPlan(db, programme.id);
	const result = toYaml({ programme, ...stored }, library);
	if (!result.ok)
		return refuse({
			code: 'plan_incomplete',
			status: 422,
			message: 'Het meetplan is nog niet compleet genoeg voor een planbestand.',
			issues: result.issues
		});
	return ok(result.value.yaml);
}

export const planFileName = (programme: Programme) => `${programme.slug}.yaml`;
