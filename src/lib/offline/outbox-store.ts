/**
 * Where the outbox of actions typed on this device lives (localStorage), and the event it sends on
 * each change, so the header's count (OutboxCount.svelte) follows it without importing the form's code.
 */
export const OUTBOX_STORE = 'kompas.acties.outbox.v1';
export const OUTBOX_CHANGED = 'kompas:outbox';

export interface OutboxSummary {
	/** actions waiting to be sent (not those the server refused) */
	waiting: number;
	/** the action list of the programme of the first waiting action, where it can be sent by hand */
	href: string | null;
}

/** Counts what waits in a stored outbox (its JSON, or null); anything unreadable counts as nothing. */
export function summarise(raw: string | null): OutboxSummary {
	let items: unknown;
	try {
		items = raw ? JSON.parse(raw) : [];
	} catch {
		return { waiting: 0, href: null };
	}
	if (!Array.isArray(items)) return { waiting: 0, href: null };
	const waiting = items.filter(
		(i): i is { url: unknown } => typeof i === 'object' && i !== null && !('failure' in i && i.failure)
	);
	const first = waiting.find((i) => typeof i.url === 'string');
	const path = first ? /\/p\/[^/?#]+\/acties/.exec(String(first.url))?.[0] : undefined;
	return { waiting: waiting.length, href: path ?? null };
}
