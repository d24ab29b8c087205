import type { Context } from 'hono';
import { ApiError, notFound } from './errors.ts';
import { idFromPath } from '../../domain/ids.ts';
import type { Refusal, Result } from '../../domain/result.ts';

/** A refusal as the API answers it: `{error:{code,message,issues?}}` with its status (the one mapper). */
export function refusalError(refusal: Refusal, c?: Context): ApiError {
	if (refusal.retryAfterSeconds !== undefined) c?.header('Retry-After', String(refusal.retryAfterSeconds));
	return new ApiError(refusal.status, refusal.code, refusal.message, refusal.issues);
}

/** A service's result → its value, or the API error it stands for (with `Retry-After` when it says when). */
export function unwrap<T>(result: Result<T>, c?: Context): T {
	if (!result.ok) throw refusalError(result.refusal, c);
	return result.value;
}

/** A positive integer id from a path parameter; anything else is an unknown object (404), never a 400. */
export function idParam(value: string | undefined, what: string): number {
	const id = idFromPath(value);
	if (id === null) throw notFound(what);
	return id;
}
