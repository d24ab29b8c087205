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
