import type { ProgrammeContext } from '../request-context.ts';
import { systemMap, type SystemMap } from '../../domain/system-map.ts';
import { loadProgress, type ProgressContext } from './progress.service.ts';

/** The system map from progress already loaded (the dashboard's): no query of its own. */
export const systemMapOf = (ctx: Pick<ProgressContext, 'input' | 'progress'>): SystemMap =>
	systemMap(ctx.input, ctx.progress);

/** The programme page's system map: status and trend as of today, for the whole programme (the default selection). */
export async function programmeSystemMap(ctx: ProgrammeContext): Promise<SystemMap> {
	const loaded = await loadProgress(ctx);
	if (!loaded.ok) throw new Error(`default selection refused for ${ctx.programme.slug}: ${loaded.refusal.message}`);
	return systemMapOf(loaded.value);
}
