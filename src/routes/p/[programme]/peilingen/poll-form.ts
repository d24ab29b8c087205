import { instantOfDutchWallTime } from '$lib/domain/poll-input';

/** The "Nieuwe peiling" form → the API's input shape (not yet validated: the service's schema says what is wrong). */
export function pollInputOf(form: Record<string, string>) {
	const number = form.maxAnswers?.trim() ?? '';
	return {
		template: form.template ?? '',
		name: form.name ?? '',
		region: form.region ?? '',
		date: form.date ?? '',
		// a datetime-local field holds Dutch wall time; empty: the default (24 hours from now)
		...(form.closesAt ? { closesAt: instantOfDutchWallTime(form.closesAt) } : {}),
		// a number as a number; anything else as typed, so the schema names the mistake
		...(number ? { maxAnswers: /^\d{1,9}$/.test(number) ? Number(number) : number } : {}),
		openQuestion: form.openQuestion === 'on'
	};
}
