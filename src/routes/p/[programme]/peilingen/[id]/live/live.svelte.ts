import type { LiveBoard } from '$lib/server/services/poll.service';

/** How often the classroom screen asks for the result. */
export const POLL_INTERVAL_MS = 2000;

/**
 * The live result on the classroom screen: asks the results API every 2 s until the poll is closed. A failed
 * request (a network hiccup, a server restarting) is left quietly: the next tick tries again, and the screen
 * says when it last succeeded only through `stale`.
 */
export class LivePoll {
	#board = $state<LiveBoard>() as LiveBoard;
	#stale = $state(false);
	#timer: ReturnType<typeof setInterval> | null = null;
	#busy = false;

	constructor(
		initial: LiveBoard,
		private readonly url: string
	) {
		this.#board = initial;
	}

	get board() {
		return this.#board;
	}
	get stale() {
		return this.#stale;
	}

	start() {
		if (this.#timer || this.#board.state === 'closed') return;
		this.#timer = setInterval(() => void this.#tick(), POLL_INTERVAL_MS);
	}

	stop() {
		if (this.#timer) clearInterval(this.#timer);
		this.#timer = null;
	}

	async #tick() {
		if (this.#busy) return;
		this.#busy = true;
		try {
			const res = await fetch(this.url, { headers: { accept: 'application/json' }, cache: 'no-store' });
			if (!res.ok) throw new Error(String(res.status));
			this.#board = (await res.json()) as LiveBoard;
			this.#stale = false;
			if (this.#board.state === 'closed') this.stop();
		} catch {
			this.#stale = true;
		} finally {
			this.#busy = false;
		}
	}
}
