import { join } from 'node:path';
import type { RequestContext } from '../request-context.ts';
import { ok, refuse, type Result } from '../../domain/result.ts';
import { env } from '../env.ts';
import { LIBRARY_FILE, parsePlanText, PlanFileError } from '../plan-files.ts';
import { loadPlan, type LoadSummary } from './plan-loader.service.ts';

/**
 * An admin creates or updates a programme by uploading its plan (the YAML format of `indicators/`),
 * checked against the shared indicator library. A refused plan changes nothing.
 */
export async function uploadPlan(
	{ db, actor }: Pick<RequestContext, 'db' | 'actor'>,
	name: string,
	text: string
): Promise<Result<LoadSummary>> {
	try {
		const { plan, library } = parsePlanText(name, text, join(env().PLANS_DIR, LIBRARY_FILE));
		return ok(await loadPlan(db, plan, library, actor));
	} catch (e) {
		if (e instanceof PlanFileError)
			return refuse({
				code: 'invalid_plan',
				status: 422,
				message: 'Het plan is geweigerd; er is niets gewijzigd.',
				issues: e.issues
			});
		throw e;
	}
}
