import { newPollCode } from '../../src/lib/server/services/poll.service.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema.ts';
import { parseDimensions } from '../../src/lib/domain/breakdown.ts';
import { pollTemplateSchema, resolveQuestions, type TemplateContext } from '../../src/lib/domain/poll.ts';
import { insertPoll } from '../../src/lib/server/repositories/poll.repository.ts';

/**
 * Polls for the respondent's tests and bench (issue 18), written straight into the test database with the
 * foundation's repository: the create form is built elsewhere. The template feeds ZKL Onder Druk's indicators.
 */

export const ZKL_SLUG = 'zkl-onder-druk';

export const TEMPLATE = pollTemplateSchema.parse({
	key: 'druk-in-de-klas',
	name: 'Peiling druk in de klas',
	questions: [
		{ key: 'leeftijd', kind: 'choice', text: 'Hoe oud ben je?', dimension: 'leeftijd' },
		{
			key: 'keuze',
			kind: 'scale',
			text: 'Ik mag zelf kiezen hoe ik mijn werk doe.',
			indicator: 'ZKL-MR-3-AUTONOMIE'
		},
		{
			key: 'praten',
			kind: 'yesno',
			text: 'Ik weet met wie ik kan praten als ik me zorgen maak.',
			indicator: 'ZKL-T1-S1-NUT'
		}
	],
	openQuestion: 'Wil je nog iets kwijt?'
});

/** One respondent's form: the option keys per question (what a browser posts). */
export const ANSWER = { leeftijd: '10-12', keuze: '4', praten: 'ja' };

export interface PollOptions {
	maxAnswers?: number;
	/** the server's "now" (ISO instant); the poll is dated that day */
	now?: string;
	/** ISO instant; default a day after `now` */
	closesAt?: string;
	status?: 'open' | 'closed';
	openQuestion?: boolean;
}

/** A poll of ZKL Onder Druk in its first region; answers its id and public code. */
export async function createTestPoll(
	db: Kysely<Database>,
	{
		maxAnswers = 300,
		now = new Date().toISOString(),
		closesAt,
		status = 'open',
		openQuestion = false
	}: PollOptions = {}
): Promise<{ id: number; code: string }> {
	const programme = await db
		.selectFrom('programmes')
		.select(['id', 'dimensions'])
		.where('slug', '=', ZKL_SLUG)
		.executeTakeFirstOrThrow();
	const region = await db
		.selectFrom('regions')
		.select('id')
		.where('programme_id', '=', programme.id)
		.orderBy('id')
		.executeTakeFirstOrThrow();
	const indicators = await db
		.selectFrom('indicators')
		.select(['code', 'unit', 'derived'])
		.where('programme_id', '=', programme.id)
		.execute();
	const ctx: TemplateContext = {
		indicators: new Map(indicators.map((i) => [i.code, { unit: i.unit, derived: i.derived !== null, dimensions: [] }])),
		dimensions: parseDimensions(programme.dimensions)
	};
	const code = newPollCode();
	const { id } = await insertPoll(db, {
		programme_id: programme.id,
		region_id: region.id,
		template_key: TEMPLATE.key,
		name: TEMPLATE.name,
		date: now.slice(0, 10),
		code,
		questions: JSON.stringify(resolveQuestions(TEMPLATE, ctx)),
		open_question: openQuestion ? (TEMPLATE.openQuestion ?? null) : null,
		max_answers: maxAnswers,
		closes_at: closesAt ?? new Date(Date.parse(now) + 24 * 3600_000).toISOString(),
		status,
		created_at: now,
		updated_at: now
	});
	return { id: Number(id), code };
}

/** The rows stored for a poll, as the tests read them. */
export const responsesOf = (db: Kysely<Database>, pollId: number) =>
	db.selectFrom('poll_responses').selectAll().where('poll_id', '=', pollId).execute();

/** What the public page answered, with the device token its cookie holds (the one sent, or a new one). */
export interface Reply {
	status: number;
	body: string;
	location: string | null;
	/** the `Set-Cookie` of the device token, if the server sent one */
	setCookie: string | null;
	device: string | null;
	headers: Headers;
}

export interface As {
	/** the device's token (its cookie); none: a first visit */
	device?: string | null;
	/** the address, sent in `X-Forwarded-For` (read only by a server started with ADDRESS_HEADER) */
	address?: string;
}

async function reply(res: Response, sent: string | null | undefined): Promise<Reply> {
	const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('kompas_apparaat=')) ?? null;
	return {
		status: res.status,
		body: await res.text(),
		location: res.headers.get('location'),
		setCookie,
		device: setCookie ? setCookie.slice('kompas_apparaat='.length).split(';')[0] : (sent ?? null),
		headers: res.headers
	};
}

const headersOf = (base: string, { device, address }: As): Record<string, string> => ({
	accept: 'text/html',
	origin: base,
	...(device ? { cookie: `kompas_apparaat=${device}` } : {}),
	...(address ? { 'x-forwarded-for': address } : {})
});

/** Opens a poll's public page as a browser does. */
export async function openPoll(base: string, code: string, as: As = {}): Promise<Reply> {
	const res = await fetch(`${base}/peiling/${code}`, { headers: headersOf(base, as), redirect: 'manual' });
	return reply(res, as.device);
}

/** Sends a respondent's form without JavaScript (a plain POST of the form). */
export async function sendAnswers(
	base: string,
	code: string,
	form: Record<string, string>,
	as: As = {}
): Promise<Reply> {
	const res = await fetch(`${base}/peiling/${code}`, {
		method: 'POST',
		headers: { ...headersOf(base, as), 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(form),
		redirect: 'manual'
	});
	return reply(res, as.device);
}
