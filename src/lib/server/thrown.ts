/**
 * Fields of something thrown, read without trusting its type: a database driver's error `code`
 * (`23505`, `SQLITE_BUSY`), or the `status` a body reader gives a request that was too large.
 */
const isObject = (e: unknown): e is object => typeof e === 'object' && e !== null;

export const thrownCode = (e: unknown): unknown => (isObject(e) && 'code' in e ? e.code : undefined);

export const thrownStatus = (e: unknown): unknown => (isObject(e) && 'status' in e ? e.status : undefined);
