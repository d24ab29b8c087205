import { z } from 'zod';

export type FieldErrors = Record<string, string>;

/** The posted text fields (a file field is read on its own). */
export function formValues(form: FormData): Record<string, string> {
	const values: Record<string, string> = {};
	for (const [name, value] of form) if (typeof value === 'string') values[name] = value;
	return values;
}

/** zod's issues as one Dutch message per field, the first one for each. */
export function fieldErrors(error: z.ZodError): FieldErrors {
	const errors: FieldErrors = {};
	for (const issue of error.issues) errors[String(issue.path[0])] ??= issue.message;
	return errors;
}

const texts = z.record(z.string(), z.string());
const refusedSchema = z.object({ form: z.string(), errors: texts.optional(), values: texts.optional() });

/** The refused form's errors and values, when the refusal came from the form with this name. */
export function refusedForm(form: unknown, name: string): { errors: FieldErrors; values: Record<string, string> } {
	const refused = refusedSchema.safeParse(form);
	if (!refused.success || refused.data.form !== name) return { errors: {}, values: {} };
	return { errors: refused.data.errors ?? {}, values: refused.data.values ?? {} };
}
