import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import {
	conflict,
	fieldErrors,
	invalid,
	notFound,
	ok,
	rateLimited,
	refuse,
	stale,
	STALE_MESSAGE,
	type Result
} from '../../src/lib/domain/result.ts';
import { onError } from '../../src/lib/server/api/errors.ts';
import { unwrap } from '../../src/lib/server/api/service-result.ts';
import { failWith } from '../../src/lib/server/form-result.ts';

describe(invalid.name, () => {
	it('should make a 400 invalid_input from field messages, in their order, leaving out fields without one', () => {
		expect(invalid({ code: 'bezet', unit: undefined, name: 'ontbreekt' })).toEqual({
			ok: false,
			refusal: {
				code: 'invalid_input',
				status: 400,
				message: 'Controleer de invoer.',
				issues: [
					{ path: 'code', message: 'bezet' },
					{ path: 'name', message: 'ontbreekt' }
				]
			}
		});
	});
});

describe(fieldErrors.name, () => {
	it('should keep the first message per field and put a pathless issue on the form', () => {
		const issues = [
			{ path: 'date', message: 'eerste' },
			{ path: 'date', message: 'tweede' },
			{ path: '', message: 'geheel' }
		];
		expect(fieldErrors(issues)).toEqual({ date: 'eerste', form: 'geheel' });
	});
});

describe('the one wording', () => {
	it('should word every stale refusal alike, and every unknown object', () => {
		expect(stale().refusal).toEqual({ code: 'conflict', status: 409, message: STALE_MESSAGE });
		expect(STALE_MESSAGE).toMatch(/^Iemand anders heeft dit intussen gewijzigd\./);
		expect(notFound('Meting').refusal).toEqual({ code: 'not_found', status: 404, message: 'Meting niet gevonden.' });
	});
});

describe(unwrap.name, () => {
	const answering = (result: Result<{ n: number }>) =>
		new Hono().get('/', (c) => c.json(unwrap(result, c), 200)).onError(onError);

	it('should give the value of a success', async () => {
		const res = await answering(ok({ n: 1 })).request('/');
		expect([res.status, await res.json()]).toEqual([200, { n: 1 }]);
	});

	it('should answer a refusal in the error shape with its status, issues and Retry-After', async () => {
		const refused = await answering(invalid({ n: 'te groot' })).request('/');
		expect([refused.status, await refused.json()]).toEqual([
			400,
			{
				error: { code: 'invalid_input', message: 'Controleer de invoer.', issues: [{ path: 'n', message: 'te groot' }] }
			}
		]);
		const limited = await answering(rateLimited('Te veel pogingen.', 90)).request('/');
		expect([limited.status, limited.headers.get('retry-after'), await limited.json()]).toEqual([
			429,
			'90',
			{ error: { code: 'rate_limited', message: 'Te veel pogingen.' } }
		]);
	});
});

describe(failWith.name, () => {
	it('should put each issue beside its field and keep the form values', () => {
		const failure = failWith(invalid({ code: 'bezet' }).refusal, { values: { code: 'VV-T1' } });
		expect([failure.status, failure.data]).toEqual([
			400,
			{ values: { code: 'VV-T1' }, errors: { code: 'bezet' }, message: 'Controleer de invoer.' }
		]);
	});

	it('should say a refusal that is not about the input above the form, also beside a field it names', () => {
		expect(failWith(stale().refusal).data.errors).toEqual({ form: STALE_MESSAGE });
		const duplicate = refuse({
			code: 'duplicate',
			status: 409,
			message: 'Er is al een meting.',
			issues: [{ path: 'date', message: 'al bezet' }]
		});
		expect([failWith(duplicate.refusal).status, failWith(duplicate.refusal).data.errors]).toEqual([
			409,
			{ date: 'al bezet', form: 'Er is al een meting.' }
		]);
	});

	it('should name form fields through fieldOf and answer a failed sign-in as 400', () => {
		expect(failWith(invalid({ 'reached.ouders': 'negatief' }).refusal, {}, (p) => p.split('.')[1]).data.errors).toEqual(
			{ ouders: 'negatief' }
		);
		expect(failWith(refuse({ code: 'invalid_credentials', status: 401, message: 'Klopt niet.' }).refusal).status).toBe(
			400
		);
		expect(failWith(conflict('Al definitief.', 'locked').refusal).status).toBe(409);
	});
});
