import { fail } from '@sveltejs/kit';
import { formErrors } from '$lib/domain/action';
import type { Result } from '$lib/server/services/action.service';

/** The posted fields as strings (files are not expected here). */
export function formFields(data: FormData): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of data) if (typeof v === 'string') out[k] = v;
	return out;
}

/** A refused service call → the form back, filled in, with a Dutch message beside each wrong field. */
export function refused(result: Exclude<Result<unknown>, { ok: true }>, values: Record<string, string>) {
	const errors = result.status === 400 ? formErrors(result.issues.map((i) => ({ path: i.path.split('.'), message: i.message }))) : { form: result.message };
	return fail(result.status, { values, errors });
}
