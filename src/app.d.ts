import type { Kysely } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import type { Actor } from '$lib/domain/permissions';

declare global {
	namespace App {
		interface Locals {
			db: Kysely<Database>;
			actor: Actor | null;
			/** this request's id in the log (X-Request-Id) */
			requestId: string;
			/** a form post through another address than ORIGIN, let through to /login only, which refuses it with a message */
			wrongAddress?: true;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
