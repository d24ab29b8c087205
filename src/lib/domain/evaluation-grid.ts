import { EVALUATION_STATUS_LABEL, type EvaluationState, type EvaluationStatus } from './evaluation.ts';

/** One cell of the themes × phases grid: a word (never colour alone) and a tone for its colour. */
export type CellTone = EvaluationStatus | 'draft' | 'due' | 'overdue' | 'missing' | 'future';

export interface GridCell {
	tone: CellTone;
	word: string;
	/** a second line: "definitief", "concept", the status of a draft… */
	detail: string;
}

export function gridCell(input: {
	evaluation: { state: EvaluationState; status: EvaluationStatus | null } | null;
	/** this (next step, phase) is on the open list; `overdue` when its moment has passed */
	open: { overdue: boolean } | null;
	phase: { evaluationDate: string; start: string };
	today: string;
}): GridCell {
	const { evaluation: e, open, phase, today } = input;
	if (e?.state === 'final' && e.status)
		return { tone: e.status, word: EVALUATION_STATUS_LABEL[e.status], detail: 'definitief' };
	if (e)
		return { tone: 'draft', word: 'Concept', detail: e.status ? EVALUATION_STATUS_LABEL[e.status] : 'nog geen status' };
	if (open)
		return open.overdue
			? { tone: 'overdue', word: 'Te laat', detail: 'nog te evalueren' }
			: { tone: 'due', word: 'Te doen', detail: 'nog te evalueren' };
	if (phase.evaluationDate < today) return { tone: 'missing', word: 'Niet geëvalueerd', detail: '' };
	return { tone: 'future', word: 'Nog niet', detail: phase.start > today ? 'fase komt nog' : '' };
}
