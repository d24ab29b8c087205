import type { RawEntry } from '$lib/domain/measurement';
import type { Refusal } from '$lib/domain/result';
import { failWith } from '$lib/server/form-result';

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
export const refused = (refusal: Refusal, values: Record<string, string>, isText: boolean) =>
	failWith(refusal, { values }, (path) => (path === 'value' && isText ? 'story' : path));
