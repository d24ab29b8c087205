import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { can } from '$lib/domain/permissions';
import { pageContext } from '$lib/server/auth/page-access';
import * as evaluations from '$lib/server/services/evaluation.service';
import { evaluationDetail } from '$lib/server/services/evaluation-overview.service';

import { readEvaluationForm } from './evaluation-form';
import { idField } from '$lib/domain/ids';
import { readForm } from '$lib/server/read-form';
import { invalid, conflict } from '$lib/domain/result';
import { failWith } from '$lib/server/form-result';
import { redirectWithFlash, takeFlash } from '$lib/server/flash';
import { todayIso } from '$lib/domain/dutch-format';

const id = idField();
const ids = (params: { nextStepId: string; phaseId: string }) => {
	const step = id.safeParse(params.nextStepId);
	const phase = id.safeParse(params.phaseId);
	if (!step.success || !phase.success) error(404, 'Niet gevonden.');
	return { nextStepId: step.data, phaseId: phase.data };
};

export const load: PageServerLoad = async (event) => {
	const ctx = await pageContext(event, event.params.programme);
	const { nextStepId, phaseId } = ids(event.params);
	const today = todayIso();
	const detail = await evaluationDetail(ctx, nextStepId, phaseId, today);
	if (!detail) error(404, 'Niet gevonden.');
	return {
		...detail,
		today,
		may: { write: can(ctx.actor, 'evaluation:write', ctx.programme.id) },
		flash: takeFlash(event)
	};
};

/** Where the evaluation stands, for actions that act on it by (next step, phase). */
async function current(event: RequestEvent) {
	const ctx = await pageContext(event, event.params.programme, 'evaluation:write');
	const { nextStepId, phaseId } = ids(event.params);
	const found = await evaluations.findStepAndPhase(ctx, nextStepId, phaseId);
	if (!found) error(404, 'Niet gevonden.');
	const [evaluation] = (await evaluations.listEvaluations(ctx, [phaseId])).filter((e) => e.nextStepId === nextStepId);
	return { ctx, nextStepId, phaseId, schoolYear: found.phase.school_year, evaluation };
}

async function save(event: RequestEvent, thenFinalise: boolean) {
	const { ctx, nextStepId, phaseId, schoolYear } = await current(event);
	const { values, input, errors } = readEvaluationForm(await readForm(event.request));
	if (!input) return failWith(invalid(errors, 'Niet opgeslagen: verbeter de gemarkeerde velden.').refusal, { values });
	const saved = await evaluations.saveDraft(ctx, nextStepId, phaseId, input);
	if (!saved.ok) return failWith(saved.refusal, { values });
	if (!thenFinalise) redirectWithFlash(event, { message: 'Concept opgeslagen.' });
	const final = await evaluations.finalise(ctx, saved.value.id, { version: saved.value.version });
	if (!final.ok)
		return failWith(
			{
				...final.refusal,
				message: `Concept opgeslagen, maar nog niet definitief: ${final.refusal.message.toLowerCase()}`
			},
			{ values: { ...values, version: String(saved.value.version) } }
		);
	// back to the grid, where the cell now shows the final status
	redirect(
		303,
		`/p/${ctx.programme.slug}/evaluaties?schooljaar=${schoolYear}&definitief=${final.value.id}#stap-${nextStepId}`
	);
}

const versionOf = (form: FormData) => id.safeParse(form.get('version'));

export const actions: Actions = {
	save: async (event) => save(event, false),
	finalise: async (event) => save(event, true),
	reopen: async (event) => {
		const { ctx, evaluation } = await current(event);
		const form = await readForm(event.request);
		const reason = String(form.get('reason') ?? '').slice(0, 2000);
		const version = versionOf(form);
		if (!evaluation || !version.success)
			return failWith(
				conflict('Deze evaluatie is niet (meer) definitief; laad de pagina opnieuw.', 'not_final').refusal
			);
		const r = await evaluations.reopen(ctx, evaluation.id, reason, version.data);
		if (!r.ok) return failWith(r.refusal);
		redirectWithFlash(event, { message: 'Evaluatie heropend: ze is weer een concept.' });
	},
	followUp: async (event) => {
		const { ctx } = await current(event);
		const form = await readForm(event.request);
		const followUp = id.safeParse(form.get('followUp'));
		const version = versionOf(form);
		if (!followUp.success || !version.success)
			return failWith(invalid({ followUp: 'Onbekende vervolgactie.' }, 'Onbekende vervolgactie.').refusal);
		const r = await evaluations.setFollowUpDone(ctx, followUp.data, form.get('done') === '1', version.data);
		if (!r.ok) return failWith(r.refusal);
		redirectWithFlash(event, {
			message: form.get('done') === '1' ? 'Vervolgactie afgerond.' : 'Vervolgactie weer open.'
		});
	}
};
