import { zValidator } from '@hono/zod-validator';
import type { MiddlewareHandler, ValidationTargets } from 'hono';
import type { z } from 'zod';
import { hasNul, NUL_MESSAGE, nulPath } from '../../domain/input-rules.ts';
import { inDutch } from '../../domain/zod-messages.ts';
import { ApiError, zodToIssues } from './errors.ts';

/** How every API validator parses: zod's generic issues worded in Dutch (also the OpenAPI routes' validators). */
export const parseInDutch = (schema: z.ZodType, value: unknown) => schema.safeParseAsync(value, inDutch);

/** zValidator that turns a failure into one 400 `invalid_input` with the zod issues, worded in Dutch. */
export const validate = <T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) =>
	zValidator(
		target,
		schema,
		(result) => {
			if (!result.success) throw new ApiError(400, 'invalid_input', 'Ongeldige invoer', zodToIssues(result.error));
		},
		// the library types the result by the schema's zod version, which a generic T cannot resolve
		{ validationFunction: (s, value) => parseInDutch(s, value) as never }
	);

const WITHOUT_BODY = new Set(['GET', 'HEAD', 'OPTIONS']);
const MAX_PATH = 20;

/** Where a body holds a NUL character: its JSON path, '' for the body as a whole, null when nowhere. */
function nulIn(text: string): string | null {
	const raw = hasNul(text);
	// JSON spells a NUL as \u0000; a body with neither spelling is left alone without parsing it
	if (!raw && !text.includes('\\u0000')) return null;
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return raw ? '' : null;
	}
	const path = nulPath(parsed);
	if (!path) return raw ? '' : null;
	// a deeply nested body would otherwise be quoted back at its full depth
	return (path.length > MAX_PATH ? [...path.slice(0, MAX_PATH), '…'] : path).map(String).join('.');
}

/**
 * One rule for every request body, whichever route reads it and whatever its content type says (a route
 * may read JSON sent as text/plain): a string holding a NUL character is refused (400 `invalid_input` on
 * its path), as PostgreSQL could not store it and SQLite would. File uploads are the import's to check;
 * the URL is checked in the server hook.
 */
export const refuseNul: MiddlewareHandler = async (c, next) => {
	if (!WITHOUT_BODY.has(c.req.method) && !/^multipart\//i.test(c.req.header('content-type') ?? '')) {
		const where = nulIn(await c.req.text()); // the body limit's own error passes through: 413
		if (where !== null)
			throw new ApiError(400, 'invalid_input', 'Ongeldige invoer', [{ path: where, message: NUL_MESSAGE }]);
	}
	await next();
};
