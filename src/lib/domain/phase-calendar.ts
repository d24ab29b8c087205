/** The phase calendar: school-year phases and which phase a date falls in. */
export interface PhaseSpan {
	id: number;
	start: string;
	end: string;
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
