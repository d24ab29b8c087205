import { evaluationInputSchema, type EvaluationInput } from '$lib/domain/evaluation';

/** The evaluation form as posted (no JavaScript needed): its values to fill the form again, or the input. */
export interface EvaluationFormValues {
	status: string;
	done: string;
	story: string;
	learnings: string;
	decision: string;
	version: string;
	followUps: { description: string; owner: string; deadline: string; done: boolean }[];
}

const str = (form: FormData, name: string) => {
	const v = form.get(name);
	return typeof v === 'string' ? v : '';
};

export function readEvaluationForm(form: FormData): {
	values: EvaluationFormValues;
	input: EvaluationInput | null;
	errors: Record<string, string>;
} {
	const rows: EvaluationFormValues['followUps'] = [];
	for (let i = 0; i < 60 && form.has(`followUps.${i}.description`); i++)
		rows.push({
			description: str(form, `followUps.${i}.description`),
			owner: str(form, `followUps.${i}.owner`),
			deadline: str(form, `followUps.${i}.deadline`),
			done: form.get(`followUps.${i}.done`) === 'on'
		});
	// an empty row is an unused slot (or a follow-up cleared to remove it)
	const followUps = rows.filter((r) => r.description.trim() || r.owner.trim() || r.deadline.trim());
	const values: EvaluationFormValues = {
		status: str(form, 'status'),
		done: str(form, 'done'),
		story: str(form, 'story'),
		learnings: str(form, 'learnings'),
		decision: str(form, 'decision'),
		version: str(form, 'version'),
		followUps
	};
	const parsed = evaluationInputSchema.safeParse({
		...values,
		status: values.status || null,
		decision: values.decision || null,
		version: /^\d+$/.test(values.version) ? Number(values.version) : undefined
	});
	if (parsed.success) return { values, input: parsed.data, errors: {} };
	const errors: Record<string, string> = {};
	for (const issue of parsed.error.issues) errors[issue.path.map(String).join('.')] ??= issue.message;
	return { values, input: null, errors };
}
