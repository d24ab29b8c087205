import type { ProgrammeContext } from '../request-context.ts';
import { comparability, NATIONAL, type Comparability } from '../../domain/comparability.ts';
import { planningWarning } from '../../domain/progress.ts';
import { validUntil, type ValidityRule } from '../../domain/validity.ts';
import { listProgrammeRegions } from '../repositories/region.repository.ts';
import { findIndicatorRow, toIndicatorView } from './kompas.service.ts';
import { indicatorDetail } from './measurement.service.ts';
import { listSchoolYears } from './phase.service.ts';

/**
 * What the indicator page shows: the indicator, its values in the chosen region, each marked verouderd once
 * its validity (validity.ts) has ended on `today`, the baseline's area and whether the region's values compare
 * with it (comparability.ts), and a planning warning when the target lies on the wrong side of the baseline.
 */
export async function indicatorPage(
	ctx: ProgrammeContext,
	code: string,
	regionSlug: string | null,
	{ includeUnapproved, today }: { includeUnapproved: boolean; today: string }
) {
	const row = await findIndicatorRow(ctx, code);
	if (!row) return null;
	const indicator = toIndicatorView(row);
	const [schoolYears, regions, detail] = await Promise.all([
		listSchoolYears(ctx, today),
		listProgrammeRegions(ctx.db, ctx.programme.id),
		indicatorDetail(ctx, indicator.id, regionSlug, { includeUnapproved })
	]);
	const phases = schoolYears.flatMap((y) => y.phases);
	const rule: ValidityRule = { frequency: row.frequency, validMonths: row.valid_months, targetDate: row.target_date };
	const measurements = detail.measurements.map((m) => {
		const until = validUntil(m.date, rule, phases);
		return { ...m, validUntil: until, stale: until < today };
	});
	const scoped = regions.map((r) => ({ id: r.id, parentId: r.parent_id, slug: r.slug, name: r.name }));
	const scope = row.baseline_value === null ? null : row.baseline_region;
	const shown = scoped.find((r) => r.slug === detail.region?.slug) ?? null;
	const baseline: { area: string | null; comparability: Comparability } = {
		area:
			scope === null
				? null
				: scope === NATIONAL
					? 'Nederland (landelijk)'
					: (scoped.find((r) => r.slug === scope)?.name ?? scope),
		comparability: comparability({ comparable: row.comparable === 1, baselineScope: scope }, scoped, shown?.id ?? null)
	};
	return {
		indicator,
		schoolYears,
		today,
		...detail,
		measurements,
		baseline,
		planningWarning: planningWarning({
			direction: indicator.direction,
			baseline: indicator.baseline?.value ?? null,
			target: indicator.target?.value ?? null
		})
	};
}
