import { deserialize } from '$app/forms';
import type { ActionResult } from '@sveltejs/kit';
import { z } from 'zod';
import { OUTBOX_CHANGED, OUTBOX_STORE } from '$lib/offline/outbox-store';

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

const fieldsSchema = z.record(z.string(), z.string());
const pendingSchema = z.object({
	key: z.string(),
	url: z.string(),
	fields: z.array(z.tuple([z.string(), z.string()])),
	savedAt: z.string(),
	failure: z.object({ errors: fieldsSchema }).optional()
}) satisfies z.ZodType<Pending>;
const refusalSchema = z.object({ errors: fieldsSchema });

/** The messages beside the fields of a refused form action (what `failWith` answers), or none. */
export function refusedErrors(data: unknown): Record<string, string> {
	const refusal = refusalSchema.safeParse(data);
	return refusal.success ? refusal.data.errors : {};
}

export type Sent =
	{ key: string; result: ActionResult } | { key: string; offline: true } | { key: string; signedOut: true };

const STORE = OUTBOX_STORE;
const draftKey = (programme: string) => `kompas.acties.concept.v1.${programme}`;

/** What this device stored under `key`, when it still has the shape `schema` expects. */
function read<T, F>(key: string, schema: z.ZodType<T>, fallback: F): T | F {
	try {
		const raw = localStorage.getItem(key);
		const stored = raw ? schema.safeParse(JSON.parse(raw)) : null;
		return stored?.success ? stored.data : fallback;
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
		this.#items = read(STORE, z.array(pendingSchema), []);
	}

	get waiting() {
		return this.#items.filter((i) => !i.failure);
	}

	get failed() {
		return this.#items.filter((i) => i.failure);
	}

	#save() {
		write(STORE, this.#items);
		// the header's count; other tabs learn of it through the storage event
		window.dispatchEvent(new Event(OUTBOX_CHANGED));
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
					const errors = refusedErrors(sent.result.data);
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
		return read(draftKey(programme), fieldsSchema, null);
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
