/**
 * Counting requests per key in fixed time windows (the poll's abuse limits, issue 18): plain state over
 * plain numbers, with the clock passed in, so it is tested without waiting. Memory is bounded: an entry
 * lives one window, and at most `maxKeys` are tracked — past that the oldest window is forgotten first
 * (it would expire first anyway), so a flood of new keys costs the flooder, not the memory.
 */

export interface WindowLimit {
	/** how many a key may take per window */
	limit: number;
	windowMs: number;
	/** keys tracked at most */
	maxKeys: number;
}

/** Taken, or refused with the seconds until the key's window ends (for `Retry-After`). */
export type Take = { taken: true } | { taken: false; retryAfterSeconds: number };

interface Entry {
	count: number;
	endsAt: number;
}

export class RateWindow {
	readonly #rule: WindowLimit;
	// insertion order is the order windows end in (every window has the same length, and a new window
	// re-inserts its key), so the expired entries are always at the front
	readonly #entries = new Map<string, Entry>();

	constructor(rule: WindowLimit) {
		this.#rule = rule;
	}

	get size(): number {
		return this.#entries.size;
	}

	/** Whether the key has used its window up (taking nothing). */
	check(key: string, now: number): Take {
		this.#expire(now);
		const entry = this.#entries.get(key);
		return entry && entry.count >= this.#rule.limit ? this.#refusal(entry, now) : { taken: true };
	}

	/** Takes one for the key, unless its window is used up. */
	take(key: string, now: number): Take {
		this.#expire(now);
		const entry = this.#entries.get(key);
		if (!entry) {
			if (this.#entries.size >= this.#rule.maxKeys) this.#entries.delete(this.#entries.keys().next().value!);
			this.#entries.set(key, { count: 1, endsAt: now + this.#rule.windowMs });
			return { taken: true };
		}
		if (entry.count >= this.#rule.limit) return this.#refusal(entry, now);
		entry.count++;
		return { taken: true };
	}

	/** Gives one back (what was taken did not happen after all). */
	release(key: string): void {
		const entry = this.#entries.get(key);
		if (entry && entry.count > 0) entry.count--;
	}

	#refusal(entry: Entry, now: number): Take {
		return { taken: false, retryAfterSeconds: Math.max(1, Math.ceil((entry.endsAt - now) / 1000)) };
	}

	#expire(now: number) {
		for (const [key, entry] of this.#entries) {
			if (entry.endsAt > now) return;
			this.#entries.delete(key);
		}
	}
}
