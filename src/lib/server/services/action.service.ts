import type { Programme } from '../db/schema.ts';
import type { RequestContext } from '../request-context.ts';
import type { Conn } from '../db/types.ts';
import { actionInputSchema, actionPatchSchema, type ActionFilter, type ActionView } from '../../domain/action.ts';
import { canEditAction, canSeeUnsharedStories, type Actor } from '../../domain/permissions.ts';
import * as repo from '../repositories/action.repository.ts';
import { findOrganisation } from '../repositories/organisation.repository.ts';
import { findRegion } from '../repositories/region.repository.ts';
import { writeAudit } from '../repositories/audit.repository.ts';
import { formatDate } from '../../domain/phase-calendar.ts';
import { inDutch } from '../../domain/zod-messages.ts';
import { ensureCurrentSchoolYear } from './phase.service.ts';
import { todayIso } from '../../domain/dutch-format.ts';
import {
	conflict,
	forbidden,
	invalid,
	issuesOf,
	notFound,
	ok,
	stale,
	type Issue,
	type Result
} from '../../domain/result.ts';

/** The action log: rules, transactions and audit, shared by the pages and the API. */

export function toActionView(r: repo.ActionRow, actor: Actor | null): ActionView {
	const quoteVisible = r.quote_public === 1 || canSeeUnsharedStories(actor, r.programme_id);
	return {
		id: r.id,
		date: r.date,
		theme: { id: r.theme_id, number: r.theme_number, title: r.theme_title },
		nextStep: { id: r.next_step_id, code: r.next_step_code, title: r.next_step_title },
		solution: r.solution_id === null ? null : { id: r.solution_id, code: r.solution_code!, title: r.solution_title! },
		kind: r.kind,
		organisation: r.organisation_id === null ? null : { id: r.organisation_id, name: r.organisation_name! },
		region: { slug: r.region_slug, name: r.region_name },
		reached: { jongeren: r.reached_jongeren, ouders: r.reached_ouders, professionals: r.reached_professionals },
		description: r.description,
		quote: quoteVisible ? r.quote : null,
		quotePublic: r.quote_public === 1,
		author: r.author_id === null ? null : { id: r.author_id, name: r.author_name ?? '' },
		demo: r.demo === 1,
		version: r.version,
		createdAt: r.created_at,
		updatedAt: r.updated_at,
		mayEdit: canEditAction(actor, r.programme_id, r.author_id)
	};
}

/** What the audit log keeps of an action (no joins: ids and values as stored). */
const auditShape = (r: repo.ActionRow) => ({
	date: r.date,
	nextStep: r.next_step_id,
	solution: r.solution_id,
	kind: r.kind,
	organisation: r.organisation_id,
	region: r.region_slug,
	reached: { jongeren: r.reached_jongeren, ouders: r.reached_ouders, professionals: r.reached_professionals },
	description: r.description,
	quote: r.quote,
	quotePublic: r.quote_public === 1
});

interface Refs {
	nextStep?: number;
	solution?: number;
	organisation?: number | null;
	region?: string;
}

/** Next step, solution, organisation and region resolved within the programme; anything else is an issue. */
async function resolveRefs(db: Conn, programmeId: number, refs: Refs, current?: repo.ActionRow) {
	const issues: Issue[] = [];
	let nextStepId = current?.next_step_id;
	let solutionId = current?.solution_id ?? null;
	if (refs.solution !== undefined) {
		const solution = await repo.findSolution(db, programmeId, refs.solution);
		if (!solution) issues.push({ path: 'solution', message: 'Onbekende oplossing in dit programma.' });
		else if (refs.nextStep !== undefined && refs.nextStep !== solution.next_step_id)
			issues.push({ path: 'solution', message: 'Deze oplossing hoort niet bij de gekozen vervolgstap.' });
		else [nextStepId, solutionId] = [solution.next_step_id, solution.id];
	} else if (refs.nextStep !== undefined) {
		const step = await repo.findNextStep(db, programmeId, refs.nextStep);
		if (!step) issues.push({ path: 'nextStep', message: 'Onbekende vervolgstap in dit programma.' });
		else [nextStepId, solutionId] = [step.id, null];
	}

	let organisationId = current?.organisation_id ?? null;
	let organisationRegion: number | null = null;
	if (refs.organisation !== undefined && refs.organisation !== current?.organisation_id) {
		const org = refs.organisation === null ? null : await findOrganisation(db, programmeId, refs.organisation);
		if (refs.organisation !== null && (!org || org.archived_at !== null))
			issues.push({ path: 'organisation', message: 'Onbekende organisatie in dit programma.' });
		else [organisationId, organisationRegion] = [org?.id ?? null, org?.region_id ?? null];
	}

	let regionId = organisationRegion ?? current?.region_id;
	if (refs.region !== undefined) {
		const region = await findRegion(db, programmeId, refs.region);
		if (!region) issues.push({ path: 'region', message: 'Onbekende regio in dit programma.' });
		else regionId = region.id;
	} else if (regionId === undefined && !issues.some((i) => i.path === 'organisation'))
		issues.push({ path: 'region', message: 'Kies een regio (of een organisatie met een regio).' });

	return { issues, nextStepId: nextStepId!, solutionId, organisationId, regionId: regionId! };
}

const beforeStart = (programme: Programme, date: string): Issue[] =>
	date < programme.start_date
		? [
				{
					path: 'date',
					message: `De datum ligt vóór de start van ${programme.name} (${formatDate(programme.start_date)}).`
				}
			]
		: [];

async function view(db: Conn, programmeId: number, id: number, actor: Actor | null) {
	return toActionView((await repo.findAction(db, programmeId, id))!, actor);
}

/** A replay of an earlier submission with the same idempotency key, or why it cannot be one. */
async function replay(db: Conn, programme: Programme, actor: Actor, key: string): Promise<Result<LoggedAction> | null> {
	const earlier = await repo.findByKey(db, key);
	if (!earlier) return null;
	if (earlier.programme_id !== programme.id || earlier.author_id !== actor.userId)
		return conflict('Deze idempotentiesleutel is al gebruikt voor een andere actie.');
	if (earlier.deleted_at !== null) return conflict('Deze actie is al opgeslagen en daarna verwijderd.');
	return ok({ action: await view(db, programme.id, earlier.id, actor), replayed: true });
}

/** A logged action, and whether it was stored the first time already (a replay of the same key). */
export interface LoggedAction {
	action: ActionView;
	replayed: boolean;
}

/**
 * Logs an action. With an idempotency key a resubmission (a retry after a dropped connection, a
 * second tap) returns the action stored the first time instead of a second one.
 */
export async function createAction(
	{ db, programme, actor }: RequestContext,
	input: unknown,
	{ idempotencyKey = null, today = todayIso() }: { idempotencyKey?: string | null; today?: string } = {}
): Promise<Result<LoggedAction>> {
	if (idempotencyKey) {
		const earlier = await replay(db, programme, actor, idempotencyKey);
		if (earlier) return earlier;
	}
	const parsed = actionInputSchema(today).safeParse(input, inDutch);
	if (!parsed.success) return invalid(issuesOf(parsed.error.issues));
	const a = parsed.data;
	const refs = await resolveRefs(db, programme.id, a);
	const issues = [...beforeStart(programme, a.date), ...refs.issues];
	if (issues.length) return invalid(issues);
	// the phase the action falls in must exist for it to count in derived indicators
	await ensureCurrentSchoolYear(db, programme, a.date);
	try {
		const id = await db.transaction().execute(async (tx) => {
			const id = await repo.insertAction(tx, {
				programme_id: programme.id,
				date: a.date,
				next_step_id: refs.nextStepId,
				solution_id: refs.solutionId,
				kind: a.kind,
				organisation_id: refs.organisationId,
				region_id: refs.regionId,
				reached_jongeren: a.reached.jongeren,
				reached_ouders: a.reached.ouders,
				reached_professionals: a.reached.professionals,
				description: a.description,
				quote: a.quote || null,
				quote_public: a.quote && a.quotePublic ? 1 : 0,
				author_id: actor.userId,
				idempotency_key: idempotencyKey,
				demo: 0
			});
			const row = (await repo.findAction(tx, programme.id, id))!;
			await writeAudit(tx, {
				by: actor,
				programmeId: programme.id,
				entity: 'action',
				entityId: id,
				action: 'create',
				after: auditShape(row)
			});
			return id;
		});
		return ok({ action: await view(db, programme.id, id, actor), replayed: false });
	} catch (e) {
		// two submissions with one key at the same moment: the unique key let one through
		const earlier = idempotencyKey ? await replay(db, programme, actor, idempotencyKey) : null;
		if (earlier) return earlier;
		throw e;
	}
}

/** An action of this programme, for reading. */
export async function getAction({ db, programme, actor }: RequestContext, id: number): Promise<ActionView | null> {
	const row = await repo.findAction(db, programme.id, id);
	return row ? toActionView(row, actor) : null;
}

/** Changes an action: its author (aanjager) or a lead; based on the version the change was made on. */
export async function updateAction(
	{ db, programme, actor }: RequestContext,
	id: number,
	input: unknown,
	today: string = todayIso()
): Promise<Result<ActionView>> {
	const current = await repo.findAction(db, programme.id, id);
	if (!current) return notFound('Actie');
	if (!canEditAction(actor, programme.id, current.author_id))
		return forbidden('Je kunt alleen je eigen acties wijzigen.');
	const parsed = actionPatchSchema(today).safeParse(input, inDutch);
	if (!parsed.success) return invalid(issuesOf(parsed.error.issues));
	const p = parsed.data;
	const date = p.date ?? current.date;
	const refs = await resolveRefs(db, programme.id, p, current);
	const issues = [...beforeStart(programme, date), ...refs.issues];
	if (issues.length) return invalid(issues);
	const quote = p.quote === undefined ? current.quote : p.quote || null;
	const quotePublic = p.quotePublic ?? current.quote_public === 1;
	if (date !== current.date) await ensureCurrentSchoolYear(db, programme, date);
	const saved = await db.transaction().execute(async (tx) => {
		const ok = await repo.updateAction(tx, id, p.version, {
			date,
			next_step_id: refs.nextStepId,
			solution_id: refs.solutionId,
			kind: p.kind ?? current.kind,
			organisation_id: refs.organisationId,
			region_id: refs.regionId,
			reached_jongeren: p.reached?.jongeren ?? current.reached_jongeren,
			reached_ouders: p.reached?.ouders ?? current.reached_ouders,
			reached_professionals: p.reached?.professionals ?? current.reached_professionals,
			description: p.description ?? current.description,
			quote,
			quote_public: quote && quotePublic ? 1 : 0,
			updated_at: new Date().toISOString()
		});
		if (!ok) return false;
		const after = (await repo.findAction(tx, programme.id, id))!;
		await writeAudit(tx, {
			by: actor,
			programmeId: programme.id,
			entity: 'action',
			entityId: id,
			action: 'update',
			before: auditShape(current),
			after: auditShape(after)
		});
		return true;
	});
	if (!saved) return stale();
	return ok(await view(db, programme.id, id, actor));
}

/** Deletes an action (kept as deleted, so its idempotency key still answers); optionally only at `version`. */
export async function deleteAction(
	{ db, programme, actor }: RequestContext,
	id: number,
	version?: number
): Promise<Result<null>> {
	const current = await repo.findAction(db, programme.id, id);
	if (!current) return notFound('Actie');
	if (!canEditAction(actor, programme.id, current.author_id))
		return forbidden('Je kunt alleen je eigen acties verwijderen.');
	const now = new Date().toISOString();
	const done = await db.transaction().execute(async (tx) => {
		if (!(await repo.updateAction(tx, id, version ?? current.version, { deleted_at: now, updated_at: now })))
			return false;
		await writeAudit(tx, {
			by: actor,
			programmeId: programme.id,
			entity: 'action',
			entityId: id,
			action: 'delete',
			before: auditShape(current)
		});
		return true;
	});
	return done ? ok(null) : stale();
}

/** A page of actions, newest first, with whether there are more. */
export async function listActions({ db, programme, actor }: RequestContext, filter: ActionFilter) {
	const rows = await repo.listActions(db, programme.id, filter);
	return { actions: rows.slice(0, filter.limit).map((r) => toActionView(r, actor)), more: rows.length > filter.limit };
}

/** Number of actions per theme id between two dates (inclusive), e.g. in the current phase. */
export async function actionCountsByTheme(
	db: Conn,
	programmeId: number,
	from: string,
	to: string
): Promise<Map<number, number>> {
	return new Map((await repo.countByTheme(db, programmeId, from, to)).map((r) => [r.theme_id, Number(r.count)]));
}
