import { fail } from '@sveltejs/kit';
import type { RawEntry } from '$lib/domain/measurement';
import type { Failure } from '$lib/server/services/measurement.service';

/** The posted fields as strings. */
export function formFields(data: FormData): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of data) if (typeof v === 'string') out[k] = v;
	return out;
}

/** A form as the measurement rules read it: a story goes in the value slot for a text indicator. */
export function entryFrom(values: Record<string, string>, isText: boolean): RawEntry {
	return {
		indicator: values.indicator,
		region: values.region,
		date: values.date,
		value: isText ? values.story : values.value,
		n: values.n,
		source: values.source,
		note: values.note
	};
}

/** A refused service call → the form back, filled in, with each message beside its field. */
export function refused(result: Failure, values: Record<string, string>, isText: boolean) {
	const errors: Record<string, string> = {};
	for (const i of result.issues ?? []) errors[i.path === 'value' && isText ? 'story' : i.path] = i.message;
	if (!result.issues?.length || result.status === 409) errors.form = result.message;
	return fail(result.status, { values, errors });
}
