import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Queries counted per request, for the query budget (tests and `npm run bench`). The server counts every
 * query into the store of the request it runs for; with QUERY_STATS=true it answers the count in a header.
 */
export const QUERY_COUNT_HEADER = 'x-query-count';

const store = new AsyncLocalStorage<{ queries: number }>();

/** Kysely's `log` callback: one more query for the current request, if any. */
export function countQuery(): void {
	const s = store.getStore();
	if (s) s.queries++;
}

/** Runs `fn` with a fresh count; `fn` receives a reader for the count so far. */
export function withQueryCount<T>(fn: (count: () => number) => Promise<T>): Promise<T> {
	const s = { queries: 0 };
	return store.run(s, () => fn(() => s.queries));
}
