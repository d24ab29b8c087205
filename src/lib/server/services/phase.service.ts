import type { Programme } from '../db/schema.ts';
import { transact, type Conn } from '../db/types.ts';
import type { Actor } from '../../domain/permissions.ts';
import type { ProgrammeContext, RequestContext } from '../request-context.ts';
import {
	defaultSchoolYear,
	schoolYearOf,
	validateSchoolYear,
	type SchoolYearTemplate
} from '../../domain/phase-calendar.ts';
import { writeAudit } from '../repositories/audit.repository.ts';
import * as repo from '../repositories/phase.repository.ts';
import type { PhaseView } from '../../domain/due.ts';
import { invalid, notFound, ok, stale, type Result } from '../../domain/result.ts';

/** The phase calendar of a programme: school years from the template, edited by the lead. */

export interface SchoolYearView {
	id: number;
	name: string;
	version: number;
	phases: PhaseView[];
}

const PHASES_REFUSED = 'Niet opgeslagen: de fasen sluiten niet goed op elkaar aan of een veld klopt niet.';

export const toPhaseView = (p: repo.PhaseRow): PhaseView => ({
	id: p.id,
	name: p.name,
	schoolYear: p.school_year,
	start: p.start_date,
	end: p.end_date,
	evaluationDate: p.evaluation_date
});

const label = (p: repo.PhaseRow) => `${p.name} (${p.school_year})`;

/** Creates a school year from the template in one transaction; null when it exists already or would not fit. */
async function createFromTemplate(
	db: Conn,
	programme: Programme,
	year: SchoolYearTemplate,
	{ by, how }: { by: Actor | null; how: string }
) {
	const existing = await repo.listPhases(db, programme.id);
	if (
		validateSchoolYear(
			year,
			existing.map((p) => ({ name: label(p), start: p.start_date, end: p.end_date }))
		).length > 0
	)
		return null;
	return transact(db, async (tx) => {
		const id = await repo.insertSchoolYear(tx, programme.id, year.name);
		if (id === null) return null; // created meanwhile by another request
		for (const [i, p] of year.phases.entries())
			await repo.insertPhase(tx, {
				programme_id: programme.id,
				school_year_id: id,
				name: p.name,
				start_date: p.start,
				end_date: p.end,
				evaluation_date: p.evaluationDate,
				sort_order: i
			});
		await writeAudit(tx, {
			by,
			programmeId: programme.id,
			entity: 'school_year',
			entityId: id,
			action: 'create',
			after: { ...year, how }
		});
		return id;
	});
}

/** A programme's calendar as the caller already loaded it: school-year names and phase spans. */
export interface KnownCalendar {
	schoolYears: readonly string[];
	phases: readonly { name: string; start: string; end: string }[];
}

/**
 * Makes sure the programme has the school year of `today`, so the current phase and evaluation moment
 * exist: created from the template the first time anyone opens the calendar, a dashboard, the report,
 * the progress API or the overview in a new school year, and at the server's start (idempotent). With the
 * calendar the caller `known` already loaded it costs no query when the year exists or would not fit
 * (a lead moved phases into its dates). True when it was created now.
 */
export async function ensureCurrentSchoolYear(
	db: Conn,
	programme: Programme,
	today: string,
	known?: KnownCalendar
): Promise<boolean> {
	const name = schoolYearOf(today);
	const years = known ? known.schoolYears : (await repo.listSchoolYears(db, programme.id)).map((y) => y.name);
	if (years.includes(name)) return false;
	const year = defaultSchoolYear(Number(name.slice(0, 4)));
	if (known && validateSchoolYear(year, known.phases).length > 0) return false;
	return (
		(await createFromTemplate(db, programme, year, { by: null, how: 'automatisch uit het standaardsjabloon' })) !== null
	);
}

/** All phases of the programme in date order (after making sure the current school year exists). */
export async function listPhases({ db, programme }: ProgrammeContext, today: string): Promise<PhaseView[]> {
	await ensureCurrentSchoolYear(db, programme, today);
	return (await repo.listPhases(db, programme.id)).map(toPhaseView);
}

/** School years with their phases, oldest first. */
export async function listSchoolYears({ db, programme }: ProgrammeContext, today: string): Promise<SchoolYearView[]> {
	await ensureCurrentSchoolYear(db, programme, today);
	const [years, phases] = await Promise.all([
		repo.listSchoolYears(db, programme.id),
		repo.listPhases(db, programme.id)
	]);
	return years.map((y) => ({
		id: y.id,
		name: y.name,
		version: y.version,
		phases: phases.filter((p) => p.school_year_id === y.id).map(toPhaseView)
	}));
}

/** A new school year from the template: the one after the latest the programme has. */
export async function addSchoolYear({ db, programme, actor }: RequestContext, today: string): Promise<Result<string>> {
	const years = await repo.listSchoolYears(db, programme.id);
	const latest = Math.max(Number(schoolYearOf(today).slice(0, 4)) - 1, ...years.map((y) => Number(y.name.slice(0, 4))));
	const year = defaultSchoolYear(latest + 1);
	const existing = await repo.listPhases(db, programme.id);
	const issues = validateSchoolYear(
		year,
		existing.map((p) => ({ name: label(p), start: p.start_date, end: p.end_date }))
	);
	if (issues.length) return invalid(issues, issues.map((i) => i.message).join(' '));
	const id = await createFromTemplate(db, programme, year, {
		by: actor,
		how: 'nieuw schooljaar uit het standaardsjabloon'
	});
	return id === null ? stale() : ok(year.name);
}

export interface PhaseEdit {
	id: number;
	name: string;
	start: string;
	end: string;
	evaluationDate: string;
}

/**
 * Renames phases and moves their dates, all phases of one school year at once (so a move that closes a
 * gap on one side and opens none on the other is one change). Gaps and overlaps are refused.
 */
export async function saveSchoolYear(
	{ db, programme, actor }: RequestContext,
	schoolYearId: number,
	version: number,
	edits: PhaseEdit[]
): Promise<Result<SchoolYearView>> {
	const year = await repo.findSchoolYear(db, programme.id, schoolYearId);
	if (!year) return notFound('Schooljaar');
	const all = await repo.listPhases(db, programme.id);
	const own = all.filter((p) => p.school_year_id === year.id);
	const ids = new Set(own.map((p) => p.id));
	if (edits.length !== own.length || edits.some((e) => !ids.has(e.id)))
		return invalid(
			[
				{
					path: 'phases',
					message: 'De fasen van dit schooljaar kloppen niet met wat is opgeslagen; laad de pagina opnieuw.'
				}
			],
			PHASES_REFUSED
		);
	const candidate = {
		name: year.name,
		phases: edits.map((e) => ({ name: e.name.trim(), start: e.start, end: e.end, evaluationDate: e.evaluationDate }))
	};
	const others = all
		.filter((p) => p.school_year_id !== year.id)
		.map((p) => ({ name: label(p), start: p.start_date, end: p.end_date }));
	const issues = validateSchoolYear(candidate, others);
	if (issues.length) return invalid(issues, PHASES_REFUSED);

	const order = [...edits].sort((a, b) => a.start.localeCompare(b.start)).map((e) => e.id);
	const saved = await db.transaction().execute(async (tx) => {
		if (!(await repo.bumpSchoolYear(tx, year.id, version))) return false;
		for (const e of edits)
			await repo.updatePhase(tx, e.id, {
				name: e.name.trim(),
				start_date: e.start,
				end_date: e.end,
				evaluation_date: e.evaluationDate,
				sort_order: order.indexOf(e.id)
			});
		await writeAudit(tx, {
			by: actor,
			programmeId: programme.id,
			entity: 'school_year',
			entityId: year.id,
			action: 'update',
			before: { name: year.name, phases: own.map(toPhaseView) },
			after: { name: year.name, phases: candidate.phases }
		});
		return true;
	});
	if (!saved) return stale();
	const phases = (await repo.listPhases(db, programme.id)).filter((p) => p.school_year_id === year.id).map(toPhaseView);
	return ok({ id: year.id, name: year.name, version: version + 1, phases });
}
