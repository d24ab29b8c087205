import type { PageServerLoad } from './$types';
import { listProgrammes } from '$lib/server/services/kompas.service';

export const load: PageServerLoad = async ({ locals }) => ({ programmes: await listProgrammes(locals.db) });
