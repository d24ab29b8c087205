import { phaseOf, schoolYearSpan, type PhaseSpan } from './phase-calendar.ts';
import type { FigurePeriod, Window } from './rollup.ts';

/** The period a dashboard, report or progress call is about: a phase, or a whole school year. */
export interface PeriodPhase {
	id: number;
	name: string;
	start: string;
	end: string;
	evaluationDate: string;
}

export interface PeriodSchoolYear {
	id: number;
	name: string;
	phases: PeriodPhase[];
}

export interface Period {
	schoolYear: PeriodSchoolYear | null;
	/** null when the whole school year (or, without phases, everything) is chosen */
	phase: PeriodPhase | null;
	/** what progress counts: per-period values from the school year's start, cumulative values up to the end */
	window: Window;
	/** the dates whose actions "in this period" count: the phase, or the whole school year */
	actions: { start: string | null; end: string };
	/** the school year's phases whose figures add up to a per-period value: its first up to the chosen one */
	counted: PeriodPhase[];
	/**
	 * the school year's days (1 August–31 July) up to the period's end — to 31 July once its last phase is
	 * chosen — whose actions and values fall in no phase: the "buiten de fasen" bucket
	 */
	outside: { start: string; end: string } | null;
	/** the URL value that selects this period again */
	param: string | null;
}

const OPEN_END = '9999-12-31';
const yearStart = (y: PeriodSchoolYear) => y.phases[0]?.start ?? null;
const yearEnd = (y: PeriodSchoolYear) => y.phases.at(-1)?.end ?? OPEN_END;

/** The school year's days up to `end` outside its phases; the days after its last phase once that is reached. */
function outsideOf(year: PeriodSchoolYear, end: string): Period['outside'] {
	const span = schoolYearSpan(year.name);
	if (!span) return null;
	return { start: span.start, end: end >= yearEnd(year) ? span.end : end };
}

function forPhase(year: PeriodSchoolYear, phase: PeriodPhase): Period {
	return {
		schoolYear: year,
		phase,
		window: { start: yearStart(year), end: phase.end },
		actions: { start: phase.start, end: phase.end },
		counted: year.phases.filter((p) => p.start <= phase.start),
		outside: outsideOf(year, phase.end),
		param: String(phase.id)
	};
}

function forYear(year: PeriodSchoolYear): Period {
	const start = yearStart(year);
	const end = yearEnd(year);
	return {
		schoolYear: year,
		phase: null,
		window: { start, end },
		actions: { start, end },
		counted: year.phases,
		outside: outsideOf(year, end),
		param: year.name
	};
}

/**
 * The chosen period from a URL value: a phase id ("12") or a school year ("2024-2025"). Without a value:
 * the phase today falls in, else the latest phase that has started, else the first phase. Undefined when the
 * value names no phase or school year of the programme.
 */
export function choosePeriod(
	years: readonly PeriodSchoolYear[],
	param: string | null,
	today: string
): Period | undefined {
	const sorted = [...years]
		.filter((y) => y.phases.length > 0)
		.sort((a, b) => yearStart(a)!.localeCompare(yearStart(b)!));
	const all = sorted.flatMap((y) => y.phases.map((p) => ({ y, p })));
	if (param) {
		if (/^\d+$/.test(param)) {
			const hit = all.find(({ p }) => p.id === Number(param));
			return hit && forPhase(hit.y, hit.p);
		}
		const year = sorted.find((y) => y.name === param);
		return year && forYear(year);
	}
	if (all.length === 0)
		return {
			schoolYear: null,
			phase: null,
			window: { start: null, end: OPEN_END },
			actions: { start: null, end: OPEN_END },
			counted: [],
			outside: null,
			param: null
		};
	const current = phaseOf(
		today,
		all.map(({ p }) => p)
	);
	const started = all.filter(({ p }) => p.start <= today).at(-1);
	const hit = all.find(({ p }) => p === current) ?? started ?? all[0];
	return forPhase(hit.y, hit.p);
}

/** Does a date fall in the period's action span? Phase membership goes through phaseOf(), the one rule. */
export function inActionSpan(date: string, period: Period): boolean {
	if (period.phase) return phaseOf(date, [period.phase]) !== null;
	return (period.actions.start === null || date >= period.actions.start) && date <= period.actions.end;
}

/** What the figure rules (rollup.ts) need of a period; `allPhases` are every phase of the programme. */
export const figurePeriod = (period: Period, allPhases: readonly PhaseSpan[]): FigurePeriod => ({
	window: period.window,
	phases: period.counted,
	allPhases,
	outside: period.outside
});
