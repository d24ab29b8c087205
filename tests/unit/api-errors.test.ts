import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { onError } from '../../src/lib/server/api/errors.ts';

describe(onError.name, () => {
	const failing = (error: Error) => new Hono().get('/', () => Promise.reject(error)).onError(onError);

	it('should answer a unique-key violation of either database with 409 in the one error shape', async () => {
		for (const code of ['23505', 'SQLITE_CONSTRAINT_UNIQUE']) {
			const res = await failing(Object.assign(new Error('duplicate key'), { code })).request('/');
			expect(res.status).toBe(409);
			expect(((await res.json()) as { error: { code: string } }).error.code).toBe('conflict');
		}
	});

	it('should answer anything else unexpected with 500 and no stack', async () => {
		const res = await failing(Object.assign(new Error('geheim detail'), { code: 'SQLITE_BUSY' })).request('/');
		expect(res.status).toBe(500);
		expect(await res.text()).not.toContain('geheim');
	});

	it("should word Hono's own 400 for a body it cannot parse in Dutch", async () => {
		const res = await failing(new HTTPException(400, { message: 'Malformed JSON in request body' })).request('/');
		expect([res.status, await res.json()]).toEqual([
			400,
			{ error: { code: 'bad_request', message: 'De body is geen geldige JSON.' } }
		]);
	});
});
