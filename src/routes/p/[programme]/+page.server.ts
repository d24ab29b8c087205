import type { PageServerLoad } from './$types';
import { findProgramme, getKompas } from '$lib/server/services/kompas.service';

export const load: PageServerLoad = async ({ locals, params }) => {
	const programme = (await findProgramme(locals.db, params.programme))!;
	return { kompas: await getKompas(locals.db, programme) };
};
