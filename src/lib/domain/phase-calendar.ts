/** The phase calendar: school-year phases and which phase a date falls in. */
export interface PhaseSpan {
	id: number;
	start: string;
	end: string;
}

export interface PhaseTemplate {
	name: string;
	start: string;
	end: string;
	evaluationDate: string;
}

export interface SchoolYearTemplate {
	name: string;
	phases: PhaseTemplate[];
}

/** The phase a date (YYYY-MM-DD) falls in, boundaries inclusive; null outside every phase. */
export function phaseOf<P extends PhaseSpan>(date: string, phases: readonly P[]): P | null {
	return phases.find((p) => p.start <= date && date <= p.end) ?? null;
}

/** The school year (e.g. "2024-2025") a date falls in; school years run from 1 August to 31 July. */
export function schoolYearOf(date: string): string {
	const year = Number(date.slice(0, 4));
	const month = Number(date.slice(5, 7));
	const start = month >= 8 ? year : year - 1;
	return `${start}-${start + 1}`;
}

/**
 * The default school year starting in September of `startYear`: the phases of the source report
 * (Sep | Oct | Nov | Dec | Jan–Jun), each with its evaluation moment on its last day.
 */
export function defaultSchoolYear(startYear: number): SchoolYearTemplate {
	const y = String(startYear);
	const next = String(startYear + 1);
	const phase = (name: string, start: string, end: string): PhaseTemplate => ({
		name,
		start,
		end,
		evaluationDate: end
	});
	return {
		name: `${y}-${next}`,
		phases: [
			phase('September', `${y}-09-01`, `${y}-09-30`),
			phase('Oktober', `${y}-10-01`, `${y}-10-31`),
			phase('November', `${y}-11-01`, `${y}-11-30`),
			phase('December', `${y}-12-01`, `${y}-12-31`),
			phase('Januari–juni', `${next}-01-01`, `${next}-06-30`)
		]
	};
}
