import { deserialize } from '$app/forms';
import type { ActionResult } from '@sveltejs/kit';

/**
 * Actions typed on this device and not yet confirmed by the server. Each keeps the idempotency key of
 * its form, so sending it again after a dropped connection can never store it twice. Kept in
 * localStorage: it survives a closed tab, an expired session and a flat battery alike.
 */

export interface Pending {
	key: string;
	/** the form action to post to */
	url: string;
	fields: [string, string][];
	savedAt: string;
	/** the server refused it (invalid input): shown again in the form with its errors */
	failure?: { errors: Record<string, string> };
}

export type Sent =
	{ key: string; result: ActionResult } | { key: string; offline: true } | { key: string; signedOut: true };

const STORE = 'kompas.acties.outbox.v1';
const draftKey = (programme: string) => `kompas.acties.concept.v1.${programme}`;

function read<T>(key: string, fallback: T): T {
	try {
		const raw = localStorage.getItem(key);
		return raw ? (JSON.parse(raw) as T) : fallback;
	} catch {
		return fallback;
	}
}

function write(key: string, value: unknown) {
	try {
		if (value === null) localStorage.removeItem(key);
		else localStorage.setItem(key, JSON.stringify(value));
	} catch {
		/* storage full or disabled: the form still posts normally */
	}
}

/** A random key that also works outside secure contexts (crypto.randomUUID needs https). */
export function newKey(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	return `form-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export class Outbox {
	#items = $state<Pending[]>([]);
	#sending = false;
	status = $state<'idle' | 'sending' | 'offline' | 'signed-out'>('idle');

	constructor() {
		this.#items = read<Pending[]>(STORE, []);
	}

	get waiting() {
		return this.#items.filter((i) => !i.failure);
	}

	get failed() {
		return this.#items.filter((i) => i.failure);
	}

	#save() {
		write(STORE, this.#items);
	}

	add(item: Pending) {
		this.#items = [...this.#items.filter((i) => i.key !== item.key), item];
		this.#save();
	}

	remove(key: string) {
		this.#items = this.#items.filter((i) => i.key !== key);
		this.#save();
	}

	/** Sends every waiting action in order; stops at the first network failure. */
	async flush(onSent: (s: Sent) => void | Promise<void>): Promise<void> {
		if (this.#sending) return;
		this.#sending = true;
		try {
			for (const item of this.waiting) {
				this.status = 'sending';
				const sent = await send(item);
				if ('offline' in sent || 'signedOut' in sent) {
					this.status = 'offline' in sent ? 'offline' : 'signed-out';
					await onSent(sent);
					return;
				}
				if (sent.result.type === 'failure') {
					const errors = ((sent.result.data as { errors?: Record<string, string> } | undefined)?.errors ??
						{}) as Record<string, string>;
					this.#items = this.#items.map((i) => (i.key === item.key ? { ...i, failure: { errors } } : i));
					this.#save();
				} else if (sent.result.type === 'error') {
					// refused for another reason (no longer allowed, server error): keep it, try again later
					this.status = 'offline';
					await onSent(sent);
					return;
				} else this.remove(item.key);
				await onSent(sent);
			}
			this.status = 'idle';
		} finally {
			this.#sending = false;
		}
	}

	static loadDraft(programme: string): Record<string, string> | null {
		return read<Record<string, string> | null>(draftKey(programme), null);
	}

	static saveDraft(programme: string, fields: Record<string, string> | null) {
		write(draftKey(programme), fields);
	}
}

async function send(item: Pending): Promise<Sent> {
	const body = new FormData();
	for (const [k, v] of item.fields) body.append(k, v);
	let res: Response;
	try {
		res = await fetch(item.url, {
			method: 'POST',
			body,
			headers: { 'x-sveltekit-action': 'true', accept: 'application/json' }
		});
	} catch {
		return { key: item.key, offline: true };
	}
	// an expired session ends on the login page (HTML), not in an action result
	if (res.redirected || !(res.headers.get('content-type') ?? '').includes('application/json'))
		return { key: item.key, signedOut: true };
	try {
		return { key: item.key, result: deserialize(await res.text()) };
	} catch {
		return { key: item.key, offline: true };
	}
}
