import type { Kysely } from 'kysely';
import type { Database, Programme } from '../db/schema.ts';
import { nowIso } from '../db/types.ts';
import type { ProgrammeContext, RequestContext } from '../request-context.ts';
import {
	missingForFinal,
	type EvaluationInput,
	type EvaluationSnapshot,
	type EvaluationView
} from '../../domain/evaluation.ts';
import { writeAudit } from '../repositories/audit.repository.ts';
import * as repo from '../repositories/evaluation.repository.ts';
import { findPhase } from '../repositories/phase.repository.ts';
import { takeSnapshot } from './snapshot.service.ts';
import { conflict, invalid, notFound, ok, refuse, stale, type Result } from '../../domain/result.ts';
import { todayIso } from '../../domain/dutch-format.ts';

/** Evaluations per (next step, phase): draft → final (locked, with a snapshot of the figures) → reopened. */

const LOCKED = 'Deze evaluatie is definitief en daarom vergrendeld. Heropen haar eerst.';

export function toView(
	e: repo.EvaluationRow,
	followUps: Awaited<ReturnType<typeof repo.listFollowUps>>
): EvaluationView {
	return {
		id: e.id,
		nextStepId: e.next_step_id,
		phaseId: e.phase_id,
		state: e.state,
		status: e.status,
		done: e.done,
		story: e.story,
		learnings: e.learnings,
		decision: e.decision,
		followUps: followUps
			.filter((f) => f.evaluation_id === e.id)
			.map((f) => ({ id: f.id, description: f.description, owner: f.owner, deadline: f.deadline, done: f.done === 1 })),
		snapshot: e.snapshot ? (JSON.parse(e.snapshot) as EvaluationSnapshot) : null,
		finalisedAt: e.finalised_at,
		version: e.version,
		updatedAt: e.updated_at
	};
}

/** A programme's evaluations, optionally of some phases only, with their follow-ups. Two queries. */
export async function listEvaluations(
	{ db, programme }: ProgrammeContext,
	phaseIds?: readonly number[]
): Promise<EvaluationView[]> {
	const rows = await repo.listEvaluations(db, programme.id, phaseIds);
	const followUps = await repo.listFollowUps(
		db,
		rows.map((r) => r.id)
	);
	return rows.map((r) => toView(r, followUps));
}

async function viewOf(db: Kysely<Database>, id: number): Promise<EvaluationView> {
	const row = (await repo.findEvaluation(db, id))!;
	return toView(row, await repo.listFollowUps(db, [id]));
}

/** An evaluation of this programme by id, or null (also for another programme's: ids cannot be probed). */
async function ownEvaluation(db: Kysely<Database>, programme: Programme, id: number) {
	const row = await repo.findEvaluation(db, id);
	return row && row.programme_id === programme.id ? row : null;
}

/** The next step and phase, when both belong to the programme. */
export async function findStepAndPhase({ db, programme }: ProgrammeContext, nextStepId: number, phaseId: number) {
	const [steps, phase] = await Promise.all([
		repo.listNextSteps(db, programme.id),
		findPhase(db, programme.id, phaseId)
	]);
	const step = steps.find((s) => s.id === nextStepId);
	return step && phase ? { step, phase } : null;
}

const content = (input: EvaluationInput) => ({
	status: input.status,
	done: input.done,
	story: input.story,
	learnings: input.learnings,
	decision: input.decision
});

export const VERSION_MISSING = 'Geef de versie mee waarop je wijziging is gebaseerd.';

/**
 * Creates or updates the draft evaluation of (next step, phase). A final one is locked. An update needs
 * the `version` it is based on, like every other edit: one changed by someone else since is refused,
 * nothing overwritten. Creating one needs none (0 says "new" explicitly).
 */
export async function saveDraft(
	{ db, programme, actor }: RequestContext,
	nextStepId: number,
	phaseId: number,
	input: EvaluationInput
): Promise<Result<EvaluationView>> {
	if (!(await findStepAndPhase({ db, programme }, nextStepId, phaseId))) return notFound('Evaluatie');
	const followUps = input.followUps.map((f, i) => ({
		description: f.description,
		owner: f.owner,
		deadline: f.deadline,
		done: f.done ? 1 : 0,
		sort_order: i
	}));
	const outcome = await db.transaction().execute(async (tx): Promise<Result<number>> => {
		const existing = await repo.findEvaluationFor(tx, nextStepId, phaseId);
		if (!existing) {
			if (input.version !== undefined && input.version !== 0) return stale();
			const id = await repo.insertEvaluation(tx, {
				next_step_id: nextStepId,
				phase_id: phaseId,
				state: 'draft',
				...content(input),
				created_by: actor.userId
			});
			if (id === null) return stale(); // someone else saved it first, just now
			await repo.replaceFollowUps(tx, id, followUps);
			await writeAudit(tx, {
				by: actor,
				programmeId: programme.id,
				entity: 'evaluation',
				entityId: id,
				action: 'create',
				after: { nextStepId, phaseId, ...content(input), followUps: input.followUps }
			});
			return ok(id);
		}
		if (existing.state === 'final') return conflict(LOCKED, 'locked');
		if (input.version === undefined) return invalid([{ path: 'version', message: VERSION_MISSING }], VERSION_MISSING);
		if (input.version === 0) return stale();
		if (!(await repo.updateEvaluation(tx, existing.id, input.version, { ...content(input), updated_at: nowIso() })))
			return stale();
		const before = await repo.listFollowUps(tx, [existing.id]);
		await repo.replaceFollowUps(tx, existing.id, followUps);
		await writeAudit(tx, {
			by: actor,
			programmeId: programme.id,
			entity: 'evaluation',
			entityId: existing.id,
			action: 'update',
			before: {
				status: existing.status,
				done: existing.done,
				story: existing.story,
				learnings: existing.learnings,
				decision: existing.decision,
				followUps: before.map(({ description, owner, deadline, done }) => ({
					description,
					owner,
					deadline,
					done: done === 1
				}))
			},
			after: { ...content(input), followUps: input.followUps }
		});
		return ok(existing.id);
	});
	return outcome.ok ? ok(await viewOf(db, outcome.value)) : outcome;
}

/** Makes a complete draft final: locks it and stores the step's figures as they stand at the phase's end. */
export async function finalise(
	{ db, programme, actor }: RequestContext,
	id: number,
	{ version, today = todayIso() }: { version?: number; today?: string } = {}
): Promise<Result<EvaluationView>> {
	const row = await ownEvaluation(db, programme, id);
	if (!row) return notFound('Evaluatie');
	if (row.state === 'final') return conflict('Deze evaluatie is al definitief.', 'locked');
	const missing = missingForFinal(row);
	if (missing.length)
		return refuse({ code: 'incomplete', status: 422, message: 'De evaluatie is nog niet compleet.', issues: missing });
	const phase = (await findPhase(db, programme.id, row.phase_id))!;
	// a final evaluation fixes the phase's figures: that cannot be done for a phase that has not begun
	if (phase.start_date > today)
		return conflict(
			`Deze fase begint pas op ${phase.start_date}; een evaluatie kan pas definitief worden als de fase is begonnen.`,
			'too_early'
		);
	const outcome = await db.transaction().execute(async (tx): Promise<Result<null>> => {
		const snapshot = await takeSnapshot({ db: tx, programme }, row.next_step_id, phase);
		const at = nowIso();
		if (
			!(await repo.updateEvaluation(tx, id, version ?? row.version, {
				state: 'final',
				snapshot: JSON.stringify(snapshot),
				finalised_at: at,
				finalised_by: actor.userId,
				updated_at: at
			}))
		)
			return stale();
		await writeAudit(tx, {
			by: actor,
			programmeId: programme.id,
			entity: 'evaluation',
			entityId: id,
			action: 'finalise',
			before: { state: 'draft' },
			after: { state: 'final', snapshot }
		});
		return ok(null);
	});
	return outcome.ok ? ok(await viewOf(db, id)) : outcome;
}

/** Reopens a final evaluation as a draft: a lead's explicit act, audited with the reason. The snapshot stays until it is made final again. */
export async function reopen(
	{ db, programme, actor }: RequestContext,
	id: number,
	reason: string,
	version?: number
): Promise<Result<EvaluationView>> {
	const row = await ownEvaluation(db, programme, id);
	if (!row) return notFound('Evaluatie');
	if (row.state !== 'final') return conflict('Alleen een definitieve evaluatie kan worden heropend.', 'not_final');
	const outcome = await db.transaction().execute(async (tx): Promise<Result<null>> => {
		if (!(await repo.updateEvaluation(tx, id, version ?? row.version, { state: 'draft', updated_at: nowIso() })))
			return stale();
		await writeAudit(tx, {
			by: actor,
			programmeId: programme.id,
			entity: 'evaluation',
			entityId: id,
			action: 'reopen',
			before: { state: 'final', finalisedAt: row.finalised_at, finalisedBy: row.finalised_by },
			after: { state: 'draft', reason: reason.trim() || null }
		});
		return ok(null);
	});
	return outcome.ok ? ok(await viewOf(db, id)) : outcome;
}

/**
 * Marks a follow-up action done or not done. Allowed on a final evaluation too: following up is what
 * happens after the evaluation; its content stays locked. Bumps the evaluation's version.
 */
export async function setFollowUpDone(
	{ db, programme, actor }: RequestContext,
	followUpId: number,
	done: boolean,
	version: number
): Promise<Result<null>> {
	const followUp = await repo.findFollowUp(db, followUpId);
	const row = followUp ? await ownEvaluation(db, programme, followUp.evaluation_id) : null;
	if (!followUp || !row) return notFound('Vervolgactie');
	return db.transaction().execute(async (tx): Promise<Result<null>> => {
		if (!(await repo.updateEvaluation(tx, row.id, version, { updated_at: nowIso() }))) return stale();
		await repo.setFollowUpDone(tx, followUpId, done);
		await writeAudit(tx, {
			by: actor,
			programmeId: programme.id,
			entity: 'evaluation_follow_up',
			entityId: followUpId,
			action: done ? 'done' : 'undone',
			before: { description: followUp.description, done: followUp.done === 1 },
			after: { done }
		});
		return ok(null);
	});
}
