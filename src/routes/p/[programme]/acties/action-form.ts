import { formFieldOf } from '$lib/domain/action';
import type { Refusal } from '$lib/domain/result';
import { failWith } from '$lib/server/form-result';

/** The posted fields as strings (files are not expected here). */
export function formFields(data: FormData): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of data) if (typeof v === 'string') out[k] = v;
	return out;
}

/** A refused service call → the form back, filled in, with a Dutch message beside each wrong field. */
export const refused = (refusal: Refusal, values: Record<string, string>) =>
	failWith(refusal, { values }, (path) => formFieldOf(path.split('.')));
