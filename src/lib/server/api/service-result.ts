import { ApiError } from './errors.ts';
import { idFromPath } from '../../domain/ids.ts';

type Failure = { ok: false; status: 400 | 403 | 404 | 409; code: string; message: string; issues?: { path: string; message: string }[] };

/** A service's result → its value, or the API error it stands for. */
export function unwrap<T>(result: { ok: true; value: T } | Failure): T {
	if (!result.ok) throw new ApiError(result.status, result.code, result.message, result.issues);
	return result.value;
}

/** A positive integer id from a path parameter; anything else is an unknown object (404), never a 400. */
export function idParam(value: string | undefined, what: string): number {
	const id = idFromPath(value);
	if (id === null) throw new ApiError(404, 'not_found', `${what} niet gevonden`);
	return id;
}
