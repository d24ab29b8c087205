import type { Db } from '../db/create-db.ts';
import type { Programme } from '../db/schema.ts';
import type { Actor } from '../../domain/permissions.ts';
import type { RequestContext } from '../request-context.ts';

export interface ApiEnv {
	/** from the SvelteKit route: the client's address (the socket's, or ADDRESS_HEADER behind a proxy) */
	Bindings: { clientAddress?: string };
	Variables: {
		db: Db;
		/** who is asking: from the session cookie or a bearer API token; null when anonymous */
		actor: Actor | null;
		/** set by the `inProgramme` guard on programme-scoped routes */
		programme: Programme;
		/** set by the `inProgramme` guard too: what the services take */
		ctx: RequestContext;
	};
}
