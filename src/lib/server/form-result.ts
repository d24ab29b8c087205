import { error, fail, type ActionFailure } from '@sveltejs/kit';
import { fieldErrors, type Refusal } from '../domain/result.ts';

/** What every refused form answers besides its own data: the message beside each field, and the message. */
export type FormRefusal = { errors: Record<string, string>; message: string };

/**
 * A refusal as a page's form answers it (the one mapper for form actions): the form back, filled in,
 * with each issue's message beside its field and the message above the form (`errors.form`) when no
 * field is named or the refusal is not about the input. `data` is what the page needs besides (`values`,
 * which form, …); `fieldOf` names the form field of an issue's path where the form's fields are not the
 * input's paths.
 */
export function failWith(refusal: Refusal): ActionFailure<FormRefusal>;
export function failWith<D extends Record<string, unknown>>(
	refusal: Refusal,
	data: D,
	fieldOf?: (path: string) => string
): ActionFailure<D & FormRefusal>;
export function failWith(refusal: Refusal, data: Record<string, unknown> = {}, fieldOf?: (path: string) => string) {
	const errors = fieldErrors(fieldOf ? refusal.issues?.map((i) => ({ ...i, path: fieldOf(i.path) })) : refusal.issues);
	// a refusal not about the input (a conflict, a duplicate) also says so above the form
	if (!Object.keys(errors).length || refusal.status !== 400) errors.form ??= refusal.message;
	return fail(pageStatus(refusal), { ...data, errors, message: refusal.message });
}

/** A refusal while a page loads (an unknown region or phase in its query): SvelteKit's error page with the message. */
export function errorWith(refusal: Refusal): never {
	error(pageStatus(refusal), refusal.message);
}

// a failed sign-in is no authentication challenge for a page: it answers it as a bad request
const pageStatus = (refusal: Refusal) => (refusal.status === 401 ? 400 : refusal.status);
