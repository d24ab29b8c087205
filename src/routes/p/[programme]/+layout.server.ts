import { error } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { findProgramme, toProgrammeView } from '$lib/server/services/kompas.service';

export const load: LayoutServerLoad = async ({ locals, params }) => {
	const programme = await findProgramme(locals.db, params.programme);
	if (!programme) error(404, `Het programma "${params.programme}" bestaat niet.`);
	return { programme: toProgrammeView(programme) };
};
