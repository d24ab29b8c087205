/**
 * The one shape every service answers with: a value, or a refusal that says why in Dutch.
 * The API turns a refusal into `{error:{code,message,issues?}}` (`api/service-result.ts` `unwrap`),
 * pages into `fail()` (`server/form-result.ts` `failWith`).
 */

export interface Issue {
	/** the field, dotted (`reached.jongeren`), or `form` for the form as a whole */
	path: string;
	message: string;
	/** a file's problem: its row as a spreadsheet shows it (0 for the file as a whole) and column header */
	row?: number;
	column?: string;
}

/**
 * 401 only for a failed sign-in (the API's `invalid_credentials`); forms answer it as 400. 503: the server
 * cannot do it now (every PDF render in use, Chromium missing), with `retryAfterSeconds` when waiting helps
 */
export type RefusalStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

export interface Refusal {
	/** stable, part of the API contract: invalid_input, not_found, forbidden, conflict, … */
	code: string;
	status: RefusalStatus;
	message: string;
	issues?: Issue[];
	/** with 429 and 503: when to try again (the API sends it as `Retry-After`) */
	retryAfterSeconds?: number;
	/** figures a refusal shows besides its issues, e.g. an import's `rows` read and `problems` in all */
	counts?: Readonly<Record<string, number>>;
}

export type Refused = { ok: false; refusal: Refusal };
export type Result<T> = { ok: true; value: T } | Refused;

/** The one wording for an optimistic-lock conflict, wherever it happens. */
export const STALE_MESSAGE =
	'Iemand anders heeft dit intussen gewijzigd. Bekijk de nieuwe gegevens en probeer het opnieuw; er is niets overschreven.';
export const INVALID_MESSAGE = 'Controleer de invoer.';

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

export const refuse = (refusal: Refusal): Refused => ({ ok: false, refusal });

type FieldMessages = Readonly<Record<string, string | undefined>>;
// Array.isArray does not narrow a readonly array type
const isIssueList = (issues: readonly Issue[] | FieldMessages): issues is readonly Issue[] => Array.isArray(issues);

/** 400 `invalid_input`, from issues or from a field → message map. */
export function invalid(issues: readonly Issue[] | FieldMessages, message = INVALID_MESSAGE): Refused {
	const list: Issue[] = isIssueList(issues)
		? [...issues]
		: Object.entries(issues).flatMap(([path, message]) => (message === undefined ? [] : [{ path, message }]));
	return refuse({ code: 'invalid_input', status: 400, message, issues: list });
}

/** A form posted without the version it was based on (an old page, a tampered form): reload. */
export const versionMissing = (): Refused => invalid({ form: 'De versie ontbreekt: ververs de pagina.' });

/** The one wording of an unknown object, also for ids the API cannot parse. */
export const notFoundMessage = (what: string) => `${what} niet gevonden.`;

/** 404 `not_found`: "<what> niet gevonden." */
export const notFound = (what: string): Refused =>
	refuse({ code: 'not_found', status: 404, message: notFoundMessage(what) });

export const forbidden = (message: string): Refused => refuse({ code: 'forbidden', status: 403, message });

/** 409: someone else changed it since it was read (optimistic lock). */
export const stale = (): Refused => refuse({ code: 'conflict', status: 409, message: STALE_MESSAGE });

/** 409 with its own reason: the state does not allow it (`locked`, `not_final`, `duplicate`, …). */
export const conflict = (message: string, code = 'conflict'): Refused => refuse({ code, status: 409, message });

export const rateLimited = (message: string, retryAfterSeconds: number): Refused =>
	refuse({ code: 'rate_limited', status: 429, message, retryAfterSeconds });

/** zod's issues as `Issue`s (path joined with dots). */
export const issuesOf = (issues: readonly { path: readonly PropertyKey[]; message: string }[]): Issue[] =>
	issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));

/** Issues → one message per field (the first), as forms show them beside the field. */
export function fieldErrors(issues: readonly Issue[] | undefined): Record<string, string> {
	const errors: Record<string, string> = {};
	for (const i of issues ?? []) errors[i.path || 'form'] ??= i.message;
	return errors;
}
