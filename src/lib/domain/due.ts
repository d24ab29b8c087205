import { momentPhase, type PhaseSpan } from './phase-calendar.ts';

/**
 * "Wat staat er open": the rules for what is due at the current evaluation moment.
 * Pure functions over plain data; the due service gathers the data.
 */

export interface MomentPhase extends PhaseSpan {
	evaluationDate: string;
}

export interface OpenEvaluation<P> {
	nextStepId: number;
	phase: P;
	/** its evaluation moment has passed */
	overdue: boolean;
}

/**
 * Per next step at most one evaluation is open: the phase after its latest final evaluation (or, when it
 * has none yet, the current phase), as long as that phase is not after the current one. Steering looks
 * forward: a phase left out before a later final evaluation stays "niet geëvalueerd" in the grid but is
 * no longer asked for.
 */
export function openEvaluations<P extends MomentPhase>(
	today: string,
	phases: readonly P[],
	nextStepIds: readonly number[],
	finals: readonly { nextStepId: number; phaseId: number }[]
): OpenEvaluation<P>[] {
	const sorted = [...phases].sort((a, b) => a.start.localeCompare(b.start));
	const current = momentPhase(today, sorted);
	if (!current) return [];
	const index = new Map(sorted.map((p, i) => [p.id, i]));
	const currentIndex = index.get(current.id)!;
	const out: OpenEvaluation<P>[] = [];
	for (const stepId of nextStepIds) {
		const latest = Math.max(
			-1,
			...finals.filter((f) => f.nextStepId === stepId).map((f) => index.get(f.phaseId) ?? -1)
		);
		const next = latest === -1 ? currentIndex : latest + 1;
		if (next > currentIndex) continue;
		const phase = sorted[next];
		out.push({ nextStepId: stepId, phase, overdue: phase.evaluationDate < today });
	}
	return out;
}

export type Frequency = 'per_phase' | 'yearly' | 'every_2_years' | 'every_4_years' | 'once';

const YEARS: Partial<Record<Frequency, number>> = { yearly: 1, every_2_years: 2, every_4_years: 4 };

function addYears(date: string, years: number): string {
	const d = new Date(`${date}T00:00:00Z`);
	d.setUTCFullYear(d.getUTCFullYear() + years);
	return d.toISOString().slice(0, 10);
}

export interface MeasurementDue {
	/** the date by which the next measurement is expected */
	dueDate: string;
	/** that date has passed */
	overdue: boolean;
}

/**
 * Whether an indicator's next measurement falls due in `phase` (or was due before), by its frequency:
 * per phase — none yet in this phase; yearly / every 2 / every 4 years — that long after the last
 * measurement (or the baseline when there is none); once — none at all. Derived indicators are computed,
 * never due. `lastMeasured` is the date of the latest measurement that was not returned.
 */
export function measurementDue(
	indicator: { frequency: Frequency; derived: boolean; baselineDate: string | null },
	lastMeasured: string | null,
	phase: { start: string; end: string },
	today: string
): MeasurementDue | null {
	if (indicator.derived) return null;
	const f = indicator.frequency;
	let dueDate: string;
	if (f === 'per_phase') {
		if (lastMeasured !== null && lastMeasured >= phase.start) return null;
		dueDate = phase.end;
	} else if (f === 'once') {
		if (lastMeasured !== null) return null;
		dueDate = phase.end;
	} else {
		const years = YEARS[f];
		if (years === undefined) return null;
		const from = lastMeasured ?? indicator.baselineDate;
		dueDate = from === null ? phase.end : addYears(from, years);
		if (dueDate > phase.end) return null;
	}
	return { dueDate, overdue: dueDate < today };
}

/** Follow-up actions not done whose deadline has passed. */
export const overdueFollowUps = <F extends { deadline: string; done: boolean }>(
	followUps: readonly F[],
	today: string
): F[] => followUps.filter((f) => !f.done && f.deadline < today).sort((a, b) => a.deadline.localeCompare(b.deadline));

/** A phase as the due list shows it. */
/** A phase as pages, the API and the due list show it: dates as ISO calendar days. */
export interface PhaseView {
	id: number;
	name: string;
	schoolYear: string;
	start: string;
	end: string;
	evaluationDate: string;
}

/** "Wat staat er open" for a lead: the same list the reminder digest sends. */
export interface DueList {
	today: string;
	/** the phase whose evaluation moment is current */
	moment: PhaseView | null;
	evaluations: {
		nextStepId: number;
		nextStep: string;
		theme: string;
		phase: PhaseView;
		overdue: boolean;
		/** a draft already started, if any */
		draftId: number | null;
	}[];
	followUps: {
		id: number;
		description: string;
		owner: string;
		deadline: string;
		evaluationId: number;
		evaluationVersion: number;
		nextStepId: number;
		nextStep: string;
		phaseId: number;
		phase: string;
	}[];
	/**
	 * Measurements waiting: submitted ones for review, returned ones for their submitter to correct; the
	 * totals and the newest of each (at most WAITING_SHOWN).
	 */
	measurements: {
		toReview: number;
		returned: number;
		items: WaitingMeasurement[];
	};
	indicators: {
		code: string;
		name: string;
		frequency: string;
		owner: string | null;
		lastMeasured: string | null;
		dueDate: string;
		overdue: boolean;
	}[];
}

/** How many waiting measurements of each status the list names one by one (the rest are counted). */
export const WAITING_SHOWN = 20;

export interface WaitingMeasurement {
	id: number;
	status: 'submitted' | 'returned';
	indicator: string;
	indicatorName: string;
	regionName: string;
	date: string;
	by: string | null;
}

/** Everything open, as one count (the digest's subject, "niets open"). */
export const openCount = (due: DueList) =>
	due.evaluations.length +
	due.followUps.length +
	due.indicators.length +
	due.measurements.toReview +
	due.measurements.returned;
