import type { Db } from '../db/create-db.ts';

export interface ApiEnv {
	Variables: { db: Db };
}
