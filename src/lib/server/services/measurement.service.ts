import type { Kysely } from 'kysely';
import type { Database, Programme } from '../db/schema.ts';
import type { MeasurementStatus, MeasurementView } from '../../domain/measurement.ts';
import * as repo from '../repositories/measurement.repository.ts';
import { findRegion, listProgrammeRegions } from '../repositories/region.repository.ts';

export async function listMeasurements(
	db: Kysely<Database>,
	programme: Programme,
	indicatorId: number,
	regionSlug?: string
): Promise<MeasurementView[] | 'unknown-region'> {
	let regionId: number | undefined;
	if (regionSlug !== undefined) {
		const region = await findRegion(db, programme.id, regionSlug);
		if (!region) return 'unknown-region';
		regionId = region.id;
	}
	return (await repo.listForIndicator(db, indicatorId, regionId)).map(toView);
}

type Row = Awaited<ReturnType<typeof repo.listForIndicator>>[number];
const toView = (r: Row): MeasurementView => ({ ...r, status: r.status as MeasurementStatus, demo: r.demo === 1 });

/**
 * What the indicator page shows: every region of the programme, the chosen one (by default the region
 * with the most measurements), and that region's measurements.
 */
export async function indicatorDetail(db: Kysely<Database>, programme: Programme, indicatorId: number, regionSlug: string | null) {
	const [regions, all] = await Promise.all([listProgrammeRegions(db, programme.id), repo.listForIndicator(db, indicatorId)]);
	const perRegion = new Map<string, number>();
	for (const m of all) perRegion.set(m.region, (perRegion.get(m.region) ?? 0) + 1);
	const busiest = [...perRegion.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
	const chosen = regions.find((r) => r.slug === regionSlug) ?? regions.find((r) => r.slug === busiest) ?? regions[0];
	return {
		regions: regions.map((r) => ({ slug: r.slug, name: r.name, parent: r.parent_id, measurements: perRegion.get(r.slug) ?? 0 })),
		region: chosen ? { slug: chosen.slug, name: chosen.name } : null,
		measurements: all.filter((m) => m.region === chosen?.slug).map(toView)
	};
}
