import { zValidator } from '@hono/zod-validator';
import type { MiddlewareHandler, ValidationTargets } from 'hono';
import type { z } from 'zod';
import { NUL_MESSAGE, nulPath } from '../../domain/input-rules.ts';
import { inDutch } from '../../domain/zod-messages.ts';
import { ApiError, zodToIssues } from './errors.ts';

/** zValidator that turns a failure into one 400 `invalid_input` with the zod issues, worded in Dutch. */
export const validate = <T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) =>
	zValidator(
		target,
		schema,
		(result) => {
			if (!result.success) throw new ApiError(400, 'invalid_input', 'Ongeldige invoer', zodToIssues(result.error));
		},
		// the library types the result by the schema's zod version, which a generic T cannot resolve
		{ validationFunction: (s, value) => s.safeParseAsync(value, inDutch) as never }
	);

const isJson = (type: string | undefined) => /^application\/(.+\+)?json\b/i.test(type ?? '');

/**
 * One rule for every JSON body, whichever route reads it: a string holding a NUL character is refused
 * (400 `invalid_input` on its path), as PostgreSQL could not store it and SQLite would. A body that is no
 * JSON passes on, for the route to refuse in its own words; the URL is checked in the server hook.
 */
export const refuseNul: MiddlewareHandler = async (c, next) => {
	if (isJson(c.req.header('content-type'))) {
		const body = await c.req.json().catch((e: unknown) => {
			if (e instanceof SyntaxError) return undefined;
			throw e; // e.g. the body limit's own error, which answers 413
		});
		const path = nulPath(body);
		if (path) {
			const where = path.map(String).join('.');
			throw new ApiError(400, 'invalid_input', 'Ongeldige invoer', [{ path: where, message: NUL_MESSAGE }]);
		}
	}
	await next();
};
