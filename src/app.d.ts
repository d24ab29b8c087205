import type { Kysely } from 'kysely';
import type { Database } from '$lib/server/db/schema';

declare global {
	namespace App {
		interface Locals {
			db: Kysely<Database>;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
