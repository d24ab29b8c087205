import type { PageServerLoad } from './$types';
import { z } from 'zod';
import { canEditMeasurement, MEASUREMENT_STATUSES } from '$lib/domain/measurement';
import { can } from '$lib/domain/permissions';
import { pageContext } from '$lib/server/auth/page-access';
import {
	listMeasurementRecords,
	measurementOptions,
	reviewQueueCount
} from '$lib/server/services/measurement-list.service';

const PAGE = 50;
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const filterSchema = z.object({
	indicator: z.string().max(100).optional().catch(undefined),
	regio: z.string().max(100).optional().catch(undefined),
	thema: z.string().max(100).optional().catch(undefined),
	status: z.enum(MEASUREMENT_STATUSES).optional().catch(undefined),
	van: isoDate.optional().catch(undefined),
	tot: isoDate.optional().catch(undefined),
	pagina: z.coerce.number().int().min(1).max(100_000).catch(1)
});

export const load: PageServerLoad = async (event) => {
	const ctx = await pageContext(event, event.params.programme);
	const { programme, actor } = ctx;
	const raw = Object.fromEntries([...event.url.searchParams].filter(([, v]) => v !== ''));
	const f = filterSchema.parse(raw);
	const filter = { indicator: f.indicator, region: f.regio, theme: f.thema, status: f.status, from: f.van, to: f.tot };
	const [listed, options] = await Promise.all([
		listMeasurementRecords(ctx, filter, { limit: PAGE, offset: (f.pagina - 1) * PAGE }),
		measurementOptions(ctx)
	]);
	// a filter naming what the programme does not have lists nothing and says so (`unknown`)
	const result = listed.ok ? listed.value : null;
	const mayReview = can(actor, 'measurement:approve', programme.id);
	return {
		filter: { ...f, pagina: undefined },
		page: f.pagina,
		pages: Math.max(1, Math.ceil((result?.total ?? 0) / PAGE)),
		total: result?.total ?? 0,
		unknown: result === null,
		// how many categories, never their figures: the list is no data-entry view (small-groups.ts)
		measurements: (result?.rows ?? []).map(({ categories, ...m }) => ({
			...m,
			categoryCount: categories.length,
			mayEdit: canEditMeasurement(actor, programme.id, m)
		})),
		options,
		queue: mayReview ? await reviewQueueCount(ctx) : null,
		seesAll: can(actor, 'measurement:submit', programme.id),
		saved: event.url.searchParams.get('opgeslagen')
	};
};
