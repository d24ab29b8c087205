import { redirect } from '@sveltejs/kit';
import type { Programme } from './db/schema.ts';
import { errorWith } from './form-result.ts';
import { categoryFilter } from './services/progress.service.ts';

/** The name of the "Uitsplitsing" select: its GET form sends `?uitsplitsing=geslacht:meisje`. */
export const BREAKDOWN_FIELD = 'uitsplitsing';

/**
 * A page's breakdown filter (`?geslacht=meisje`), checked against the programme's dimensions: the category
 * key for the services, null for the totals; an unknown one is a 400 page with the Dutch message. The
 * select's own `?uitsplitsing=geslacht:meisje` (a form without JavaScript) is sent on to the canonical URL,
 * so the address always reads `?geslacht=meisje`.
 */
export function pageCategory(url: URL, programme: Pick<Programme, 'dimensions'>, reserved: readonly string[]) {
	const params = url.searchParams;
	if (params.has(BREAKDOWN_FIELD)) {
		const chosen = params.get(BREAKDOWN_FIELD) ?? '';
		const [dimension, value] = chosen.split(':');
		const next = new URLSearchParams([...params].filter(([k]) => reserved.includes(k)));
		if (dimension && value) next.set(dimension, value);
		redirect(303, `${url.pathname}${next.size ? `?${next}` : ''}`);
	}
	const category = categoryFilter(programme, params, reserved);
	if (!category.ok) errorWith(category.refusal);
	return category.value;
}
