import { MONTHS } from './dutch-format.ts';
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

/**
 * The phase an action dated `date` will count in once saved: the phase of the date, or, when the date's
 * school year has no phases yet, the template's phase (saving an action creates that school year).
 */
export function phaseOnSave(
	date: string,
	phases: readonly (PhaseSpan & { name: string; schoolYear: string })[]
): { name: string; schoolYear: string } | null {
	const year = schoolYearOf(date);
	if (phases.some((p) => p.schoolYear === year)) return phaseOf(date, phases);
	const template = defaultSchoolYear(Number(year.slice(0, 4))).phases.map((p, i) => ({
		id: -1 - i,
		name: p.name,
		schoolYear: year,
		start: p.start,
		end: p.end
	}));
	return phaseOf(date, template);
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date in YYYY-MM-DD form. */
export function isIsoDate(s: string): boolean {
	if (!ISO.test(s)) return false;
	const d = new Date(`${s}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** The date `days` days after (or before) an ISO date. */
export function addDays(date: string, days: number): string {
	const d = new Date(`${date}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + days);
	return d.toISOString().slice(0, 10);
}

/** The span of a school year named "2026-2027": 1 August 2026 to 31 July 2027. */
export function schoolYearSpan(name: string): { start: string; end: string } | null {
	const m = /^(\d{4})-(\d{4})$/.exec(name);
	if (!m || Number(m[2]) !== Number(m[1]) + 1) return null;
	return { start: `${m[1]}-08-01`, end: `${m[2]}-07-31` };
}

/**
 * The phase whose evaluation moment is current: the phase of `today`, else the next one to come, else the
 * last one (between the last phase of a school year and the next school year's first).
 */
export function momentPhase<P extends PhaseSpan>(today: string, phases: readonly P[]): P | null {
	const sorted = [...phases].sort((a, b) => a.start.localeCompare(b.start));
	return phaseOf(today, sorted) ?? sorted.find((p) => p.start > today) ?? sorted.at(-1) ?? null;
}

/** "2024-11-01" → "1 november 2024" (no time zone involved: the date is a calendar date). */
export function formatDate(date: string): string {
	return `${Number(date.slice(8, 10))} ${MONTHS[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`;
}

export interface CalendarIssue {
	/** the field, e.g. `phases.1.start`; `phases` for the year as a whole */
	path: string;
	message: string;
}

/**
 * Checks a school year's phases: real dates, start ≤ evaluation date ≤ end, inside the school year
 * (1 August–31 July), unique names, and no gap or overlap between consecutive phases. Phases of the
 * programme's other school years (`others`) must not overlap either, so every date has at most one phase.
 */
export function validateSchoolYear(
	year: SchoolYearTemplate,
	others: readonly { name: string; start: string; end: string }[] = []
): CalendarIssue[] {
	const issues: CalendarIssue[] = [];
	const span = schoolYearSpan(year.name);
	if (!span) issues.push({ path: 'name', message: 'Een schooljaar heet bijvoorbeeld 2026-2027.' });
	if (year.phases.length === 0) issues.push({ path: 'phases', message: 'Een schooljaar heeft minstens één fase.' });
	const seen = new Set<string>();
	year.phases.forEach((p, i) => {
		const at = (field: string) => `phases.${i}.${field}`;
		const name = p.name.trim();
		if (name === '') issues.push({ path: at('name'), message: 'Geef de fase een naam.' });
		else if (name.length > 60) issues.push({ path: at('name'), message: 'Hooguit 60 tekens.' });
		else if (seen.has(name.toLowerCase()))
			issues.push({ path: at('name'), message: `Er is al een fase "${name}" in dit schooljaar.` });
		seen.add(name.toLowerCase());
		for (const field of ['start', 'end', 'evaluationDate'] as const)
			if (!isIsoDate(p[field])) issues.push({ path: at(field), message: 'Geef een geldige datum (jjjj-mm-dd).' });
		if (!isIsoDate(p.start) || !isIsoDate(p.end)) return;
		if (p.end < p.start) issues.push({ path: at('end'), message: 'De einddatum ligt vóór de begindatum.' });
		else if (isIsoDate(p.evaluationDate) && (p.evaluationDate < p.start || p.evaluationDate > p.end))
			issues.push({
				path: at('evaluationDate'),
				message: `Het evaluatiemoment valt binnen de fase (${formatDate(p.start)} – ${formatDate(p.end)}).`
			});
		if (span && (p.start < span.start || p.end > span.end))
			issues.push({
				path: at(p.start < span.start ? 'start' : 'end'),
				message: `Een fase van ${year.name} valt tussen ${formatDate(span.start)} en ${formatDate(span.end)}.`
			});
	});
	if (issues.length > 0) return issues;

	const order = year.phases.map((p, i) => ({ ...p, i })).sort((a, b) => a.start.localeCompare(b.start));
	for (let k = 1; k < order.length; k++) {
		const prev = order[k - 1];
		const next = order[k];
		const expected = addDays(prev.end, 1);
		if (next.start > expected)
			issues.push({
				path: `phases.${next.i}.start`,
				message: `Tussen ${prev.name} en ${next.name} zit een gat: ${range(expected, addDays(next.start, -1))} valt in geen fase.`
			});
		else if (next.start < expected)
			issues.push({
				path: `phases.${next.i}.start`,
				message: `${prev.name} en ${next.name} overlappen: ${range(next.start, minDate(prev.end, next.end))} valt in beide.`
			});
	}
	for (const p of order)
		for (const o of others)
			if (p.start <= o.end && o.start <= p.end)
				issues.push({
					path: `phases.${p.i}.start`,
					message: `${p.name} overlapt met ${o.name}: ${range(maxDate(p.start, o.start), minDate(p.end, o.end))} valt in beide.`
				});
	return issues;
}

const minDate = (a: string, b: string) => (a < b ? a : b);
const maxDate = (a: string, b: string) => (a > b ? a : b);
const range = (from: string, to: string) =>
	from === to ? formatDate(from) : `${formatDate(from)} t/m ${formatDate(to)}`;
