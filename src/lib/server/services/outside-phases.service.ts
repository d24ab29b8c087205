import type { ProgrammeContext } from '../request-context.ts';
import { isPerPeriod } from '../../domain/rollup.ts';
import { dateToConfirm } from '../../domain/outside-phases.ts';
import * as phases from '../repositories/phase.repository.ts';
import { findIndicatorRow } from './kompas.service.ts';

const programmePhases = async ({ db, programme }: ProgrammeContext) =>
	(await phases.listPhases(db, programme.id)).map((p) => ({
		id: p.id,
		name: p.name,
		schoolYear: p.school_year,
		start: p.start_date,
		end: p.end_date
	}));

/** An action's date to confirm before the form saves it (outside-phases.ts), or null. */
export async function actionDateToConfirm(ctx: ProgrammeContext, date: string | undefined, confirmed?: string) {
	return dateToConfirm(date, confirmed, await programmePhases(ctx));
}

/**
 * A measurement's date to confirm, or null. Only a per-period indicator's value is counted per phase; any
 * other value stays valid from its date on, wherever it falls, so it needs no confirmation.
 */
export async function measurementDateToConfirm(
	ctx: ProgrammeContext,
	indicatorCode: string | undefined,
	date: string | undefined,
	confirmed?: string
) {
	const row = indicatorCode ? await findIndicatorRow(ctx, indicatorCode) : null;
	if (!row || !isPerPeriod(row)) return null;
	return dateToConfirm(date, confirmed, await programmePhases(ctx));
}
