import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { AccessError } from '../auth/access.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { thrownStatus } from '../thrown.ts';
import { logError } from '../log.ts';
import { notFoundMessage } from '../../domain/result.ts';

export interface ApiIssue {
	path: string;
	message: string;
}

/** An expected failure with a stable code, answered as `{error:{code,message,issues?}}`. */
export class ApiError extends Error {
	constructor(
		readonly status: ContentfulStatusCode,
		readonly code: string,
		message: string,
		readonly issues?: ApiIssue[]
	) {
		super(message);
	}
}

const ACCESS_CODE = { 401: 'unauthorized', 403: 'forbidden', 404: 'not_found' } as const;

export const notFound = (what: string) => new ApiError(404, 'not_found', notFoundMessage(what));

export function zodToIssues(error: z.core.$ZodError | readonly z.core.$ZodIssue[]): ApiIssue[] {
	const issues = 'issues' in error ? error.issues : error;
	return issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

export function errorBody(code: string, message: string, issues?: ApiIssue[]) {
	return { error: issues ? { code, message, issues } : { code, message } };
}

/** The one error handler: every failure becomes JSON; unexpected ones are logged and never leak a stack. */
export function onError(err: Error, c: Context) {
	if (err instanceof ApiError) return c.json(errorBody(err.code, err.message, err.issues), err.status);
	if (err instanceof AccessError) return c.json(errorBody(ACCESS_CODE[err.status], err.message), err.status);
	if (err instanceof HTTPException) {
		const status = err.status;
		// a declared JSON body sent as something else (the OpenAPI routes check the media type)
		if (status === 415)
			return c.json(
				errorBody('unsupported_media_type', 'Stuur de body als JSON (Content-Type: application/json).'),
				415
			);
		const code = status === 413 ? 'payload_too_large' : status === 400 ? 'bad_request' : 'http_error';
		return c.json(
			errorBody(code, status === 400 ? badRequestMessage(err.message) : err.message || 'Ongeldig verzoek'),
			status
		);
	}
	// the server's body limit (adapter-node's BODY_SIZE_LIMIT) cut off a chunked upload while it was read
	if (thrownStatus(err) === 413) return c.json(errorBody('payload_too_large', 'Het verzoek is te groot.'), 413);
	// a check-then-insert that lost a race the service does not word itself: the unique key decided
	if (isUniqueViolation(err))
		return c.json(
			errorBody(
				'conflict',
				'Iemand anders heeft tegelijk hetzelfde opgeslagen. Laad de gegevens opnieuw en probeer het nog eens.'
			),
			409
		);
	logError(err);
	return c.json(errorBody('internal', 'Er ging iets mis op de server'), 500);
}

/** Hono's own 400s (a body its validator cannot parse) in Dutch, like every other API answer. */
function badRequestMessage(message: string): string {
	if (/json/i.test(message)) return 'De body is geen geldige JSON.';
	if (/form/i.test(message)) return 'De formulier-body kon niet gelezen worden.';
	return 'Ongeldig verzoek.';
}
