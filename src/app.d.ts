import type { Kysely } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import type { Actor } from '$lib/domain/permissions';

declare global {
	namespace App {
		interface Locals {
			db: Kysely<Database>;
			actor: Actor | null;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
