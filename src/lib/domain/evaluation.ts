import { z } from 'zod';
import { int32 } from './input-rules.ts';
import { isIsoDate } from './phase-calendar.ts';
import type { Unit, Direction } from './plan.schema.ts';

/** The evaluation of one next step in one phase: the moment to steer (bijsturen). */

export const EVALUATION_STATUSES = ['op_koers', 'aandacht_nodig', 'bijsturen'] as const;
export const DECISIONS = ['voortzetten', 'versterken', 'bijstellen', 'stoppen'] as const;
export const EVALUATION_STATES = ['draft', 'final'] as const;
export type EvaluationStatus = (typeof EVALUATION_STATUSES)[number];
export type Decision = (typeof DECISIONS)[number];
export type EvaluationState = (typeof EVALUATION_STATES)[number];

export const EVALUATION_STATUS_LABEL: Record<EvaluationStatus, string> = {
	op_koers: 'Op koers',
	aandacht_nodig: 'Aandacht nodig',
	bijsturen: 'Bijsturen'
};
export const DECISION_LABEL: Record<Decision, string> = {
	voortzetten: 'Voortzetten',
	versterken: 'Versterken',
	bijstellen: 'Bijstellen',
	stoppen: 'Stoppen'
};
export const STATE_LABEL: Record<EvaluationState, string> = { draft: 'concept', final: 'definitief' };

export const TEXT_MAX = 10_000;

/** "op koers" and "op_koers" both mean op_koers. */
const word = <T extends readonly [string, ...string[]]>(values: T, message: string) =>
	z.preprocess(
		(v) => (typeof v === 'string' ? v.trim().toLowerCase().replace(/\s+/g, '_') : v),
		z.enum(values, message)
	);

const text = (label: string) =>
	z.string(`${label}: tekst verwacht.`).max(TEXT_MAX, `${label}: hooguit ${TEXT_MAX} tekens.`).default('');

export const followUpSchema = z.object({
	description: z.string().trim().min(1, 'Beschrijf de vervolgactie.').max(500, 'Hooguit 500 tekens.'),
	owner: z.string().trim().min(1, 'Wie is eigenaar?').max(200, 'Hooguit 200 tekens.'),
	deadline: z.string().refine(isIsoDate, 'Geef een geldige datum (jjjj-mm-dd).'),
	done: z.boolean().default(false)
});
export type FollowUpInput = z.infer<typeof followUpSchema>;

/** The body of `PUT …/evaluations/{nextStepId}/{phaseId}`: a draft may be incomplete. */
export const evaluationInputSchema = z.object({
	status: word(EVALUATION_STATUSES, 'Kies op koers, aandacht nodig of bijsturen.').nullable().default(null),
	done: text('Wat is gedaan'),
	story: text('Het verhaal achter de cijfers'),
	learnings: text('Geleerde lessen'),
	decision: word(DECISIONS, 'Kies voortzetten, versterken, bijstellen of stoppen.').nullable().default(null),
	followUps: z.array(followUpSchema).max(50, 'Hooguit 50 vervolgacties.').default([]),
	/** the version this edit is based on (0: a new evaluation); an update needs it, a change since is refused */
	version: int32().min(0).optional()
});
export type EvaluationInput = z.infer<typeof evaluationInputSchema>;

/** What a final evaluation must have; each missing field with the reason. */
export function missingForFinal(e: {
	status: string | null;
	done: string;
	story: string;
	decision: string | null;
}): { path: string; message: string }[] {
	const missing: { path: string; message: string }[] = [];
	if (!e.status) missing.push({ path: 'status', message: 'Kies een status voordat je de evaluatie definitief maakt.' });
	if (!e.done.trim()) missing.push({ path: 'done', message: 'Beschrijf wat er is gedaan.' });
	if (!e.story.trim()) missing.push({ path: 'story', message: 'Vertel het verhaal achter de cijfers.' });
	if (!e.decision) missing.push({ path: 'decision', message: 'Kies een besluit.' });
	return missing;
}

/** One indicator as it stood when the evaluation was made final. */
export interface SnapshotIndicator {
	code: string;
	name: string;
	unit: Unit;
	direction: Direction;
	baseline: number | null;
	target: number | null;
	/** true when baseline or target is invented */
	demo: boolean;
	latest: { value: number; date: string; demo: boolean } | null;
	derived: boolean;
	progress: number | null;
}

export interface EvaluationSnapshot {
	takenAt: string;
	/** measurements up to and including this date (the phase's last day) */
	asOf: string;
	indicators: SnapshotIndicator[];
	progress: number | null;
}

export interface FollowUpView {
	id: number;
	description: string;
	owner: string;
	deadline: string;
	done: boolean;
}

export interface EvaluationView {
	id: number;
	nextStepId: number;
	phaseId: number;
	state: EvaluationState;
	status: EvaluationStatus | null;
	done: string;
	story: string;
	learnings: string;
	decision: Decision | null;
	followUps: FollowUpView[];
	snapshot: EvaluationSnapshot | null;
	finalisedAt: string | null;
	version: number;
	updatedAt: string;
}
