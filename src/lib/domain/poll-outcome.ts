import { z } from 'zod';

/**
 * What closing a poll made (issue 18), stored on the poll (`polls.outcome`) and shown on its page: the
 * measurements it made, the questions that made none and why, and the categories left off a measurement
 * because they failed the breakdown rules (breakdown.ts `categoryIssues`). Closing never fails on these.
 */
export interface PollOutcome {
	measurements: { id: number; question: string; indicator: string; value: number; n: number }[];
	skipped: { question: string; indicator: string; reason: string }[];
	/** `category` as `dimensie:waarde` */
	droppedCategories: { question: string; indicator: string; category: string; reason: string }[];
}

const outcomeSchema = z.object({
	measurements: z.array(
		z.object({ id: z.number(), question: z.string(), indicator: z.string(), value: z.number(), n: z.number() })
	),
	skipped: z.array(z.object({ question: z.string(), indicator: z.string(), reason: z.string() })),
	droppedCategories: z
		.array(z.object({ question: z.string(), indicator: z.string(), category: z.string(), reason: z.string() }))
		.default([])
});

/** The stored column as its value; null while the poll is open. */
export const parsePollOutcome = (stored: string | null): PollOutcome | null =>
	stored === null ? null : outcomeSchema.parse(JSON.parse(stored));
