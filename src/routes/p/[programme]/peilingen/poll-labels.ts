import type { PollState } from '$lib/server/services/poll-answer.service';

/** A poll's state in words (never colour alone). Zod-free, so pages can use it in the browser. */
export const STATE_LABEL: Record<PollState, string> = { open: 'open', full: 'vol', closed: 'gesloten' };
