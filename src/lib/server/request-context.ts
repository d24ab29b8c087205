import type { Kysely } from 'kysely';
import type { Database, Programme } from './db/schema.ts';
import type { Actor } from '../domain/permissions.ts';

/**
 * Who asks, in which programme, on which database: built once per request — by the API's
 * `inProgramme` guard (`c.var.ctx`) and by `pageContext` in page loads and form actions — and
 * handed to the services as their first argument instead of three positional parameters.
 * The guards that build it have already checked the actor's right, so `actor` is never null.
 */
export interface RequestContext {
	db: Kysely<Database>;
	actor: Actor;
	programme: Programme;
}

/** For services that only read the programme's data and do not depend on who asks. */
export type ProgrammeContext = Pick<RequestContext, 'db' | 'programme'>;
