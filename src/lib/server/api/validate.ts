import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { z } from 'zod';
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
