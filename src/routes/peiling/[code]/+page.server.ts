import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { answerPoll, newDeviceToken, pollForRespondent } from '$lib/server/services/poll-answer.service';
import { clientAddress } from '$lib/server/auth/client-address';
import { errorWith, failWith } from '$lib/server/form-result';
import { readSmallForm } from '$lib/server/read-form';
import type { Refusal } from '$lib/domain/result';
import { deviceTokenOf, giveDeviceToken } from './device-cookie';

/** The largest answer form read: 12 questions and a 500-character open answer fit in it many times over. */
const ANSWER_BODY_LIMIT = 32 * 1024;
/** Answers differ per device and change as answers come in: never kept by a browser or proxy. */
const NO_STORE = { 'cache-control': 'no-store' };
const retryAfter = (refusal: Refusal): Record<string, string> =>
	refusal.retryAfterSeconds === undefined ? {} : { 'retry-after': String(refusal.retryAfterSeconds) };

export const load: PageServerLoad = async ({ params, locals, cookies, url, getClientAddress, setHeaders }) => {
	setHeaders(NO_STORE);
	const deviceToken = deviceTokenOf(cookies);
	const result = await pollForRespondent(locals.db, params.code, {
		deviceToken,
		address: clientAddress(getClientAddress)
	});
	if (!result.ok) {
		setHeaders(retryAfter(result.refusal));
		errorWith(result.refusal);
	}
	if (deviceToken === null) giveDeviceToken(cookies, url);
	return result.value;
};

export const actions: Actions = {
	default: async ({ params, locals, cookies, url, request, getClientAddress, setHeaders }) => {
		const form = await readSmallForm(
			request,
			ANSWER_BODY_LIMIT,
			'Je antwoorden zijn te lang. Maak je antwoord korter.'
		);
		const field = (name: string) => {
			const value = form.get(name);
			return typeof value === 'string' ? value : null;
		};
		const known = deviceTokenOf(cookies);
		const deviceToken = known ?? newDeviceToken();
		const result = await answerPoll(
			locals.db,
			params.code,
			{ deviceToken, address: clientAddress(getClientAddress) },
			field
		);
		// a device posting without a cookie (a first visit that skipped the page) is this token from now on
		if (!known && (result.ok || result.refusal.status === 400 || result.refusal.status === 409))
			giveDeviceToken(cookies, url, deviceToken);
		if (result.ok) redirect(303, url.pathname);
		// an unknown code or too many answers: the error page (the poll's own page would load again)
		if (result.refusal.status === 404 || result.refusal.status === 429) {
			setHeaders(retryAfter(result.refusal));
			errorWith(result.refusal);
		}
		const values = Object.fromEntries([...form].filter((e): e is [string, string] => typeof e[1] === 'string'));
		return failWith(result.refusal, { values, reason: result.refusal.code });
	}
};
