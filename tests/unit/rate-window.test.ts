import { describe, expect, it } from 'vitest';
import { RateWindow } from '../../src/lib/domain/rate-window.ts';

describe(RateWindow.name, () => {
	const MINUTE = 60_000;

	it('should take up to the limit per window, then refuse with the seconds left', () => {
		const w = new RateWindow({ limit: 3, windowMs: MINUTE, maxKeys: 10 });
		expect([0, 1, 2].map((t) => w.take('a', t * 1000).taken)).toEqual([true, true, true]);
		expect(w.take('a', 20_000)).toEqual({ taken: false, retryAfterSeconds: 40 });
		expect(w.check('a', 20_000)).toEqual({ taken: false, retryAfterSeconds: 40 });
		// another key has its own window
		expect(w.take('b', 20_000).taken).toBe(true);
	});

	it('should start a new window once the old one ended', () => {
		const w = new RateWindow({ limit: 1, windowMs: MINUTE, maxKeys: 10 });
		expect(w.take('a', 0).taken).toBe(true);
		expect(w.take('a', MINUTE - 1).taken).toBe(false);
		expect(w.take('a', MINUTE).taken).toBe(true);
	});

	it('should give back what was released', () => {
		const w = new RateWindow({ limit: 2, windowMs: MINUTE, maxKeys: 10 });
		w.take('a', 0);
		w.take('a', 0);
		expect(w.take('a', 0).taken).toBe(false);
		w.release('a');
		expect(w.take('a', 0).taken).toBe(true);
	});

	it('should never say less than one second to wait', () => {
		const w = new RateWindow({ limit: 1, windowMs: MINUTE, maxKeys: 10 });
		w.take('a', 0);
		expect(w.check('a', MINUTE - 1)).toEqual({ taken: false, retryAfterSeconds: 1 });
	});

	it('should track at most maxKeys, forgetting the oldest window first, and drop ended windows', () => {
		const w = new RateWindow({ limit: 1, windowMs: MINUTE, maxKeys: 3 });
		for (const [key, t] of [
			['a', 0],
			['b', 1],
			['c', 2],
			['d', 3]
		] as const)
			w.take(key, t);
		expect(w.size).toBe(3);
		// a was forgotten (it may take again), d is still counted
		expect(w.take('a', 4).taken).toBe(true);
		expect(w.take('d', 4).taken).toBe(false);
		expect(w.check('x', MINUTE + 10).taken).toBe(true);
		expect(w.size).toBe(0);
	});
});
