import type { FormValues } from '$lib/domain/plan-edit';
import type { Refusal } from '$lib/domain/result';
import { failWith } from '$lib/server/form-result';

/** The posted fields; a field given more than once (checkboxes) becomes a list. */
export function formValues(data: FormData): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [k, v] of data) {
		if (typeof v !== 'string') continue;
		const prev = out[k];
		out[k] = prev === undefined ? v : [prev, v].flat();
	}
	return out;
}

/** A refused edit → the form back, filled in, with the message beside each field (or above the form). */
export const refusedEdit = (refusal: Refusal, values: FormValues) => failWith(refusal, { values });

/**
 * Where a saved indicator goes: back to the meetplan, or, when its target lies on the wrong side of its
 * baseline, to its own form, which shows that warning beside the target (saved all the same: a plan may be mid-edit).
 */
export const afterSave = (programme: string, saved: { code: string; warning: string | null }) =>
	saved.warning
		? `/p/${programme}/meetplan/indicatoren/${saved.code}?opgeslagen`
		: `/p/${programme}/meetplan?opgeslagen=${saved.code}#${saved.code}`;
