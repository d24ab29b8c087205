import { createHmac, randomBytes } from 'node:crypto';
import { RateWindow, type Take } from '../domain/rate-window.ts';
import { env } from './env.ts';

/**
 * The public poll page's abuse limits (issue 18), counted in this server's memory only: per address, the
 * answers it sends and the unknown codes it asks for (guessing codes), and per poll the answers it takes
 * per minute (a flood). An address is known here only as an HMAC under a secret drawn at start, which
 * never leaves the process: it is not stored, not logged, and means nothing after a restart. With several
 * servers each counts its own share (README: Peilingen: antwoorden).
 */

const MINUTE = 60_000;
/** Keys one counter tracks at most (~100 bytes each): the oldest window is forgotten beyond it. */
const MAX_KEYS = 10_000;

export interface PollLimits {
	/** Whether the address has used up its unknown-code lookups: then every code answers 429, known or not. */
	lookupBlocked(address: string, now?: number): Take;
	/** Counts an unknown or malformed code asked for by the address. */
	unknownCode(address: string, now?: number): void;
	/** Takes one answer for the address (any answer POST counts, refused or not). */
	answerFrom(address: string, now?: number): Take;
	/** Takes one answer for the poll; `release` gives it back when the answer was refused. */
	answerTo(pollId: number, now?: number): Take;
	release(pollId: number): void;
}

export interface PollLimitSettings {
	/** answer POSTs per address per 10 minutes */
	addressAnswers: number;
	/** unknown-code lookups per address per 10 minutes */
	unknownCodes: number;
	/** answers per poll per minute */
	pollAnswers: number;
}

export function createPollLimits(settings: PollLimitSettings): PollLimits {
	const secret = randomBytes(32);
	const addressKey = (address: string) => createHmac('sha256', secret).update(address).digest('base64url');
	const answers = new RateWindow({ limit: settings.addressAnswers, windowMs: 10 * MINUTE, maxKeys: MAX_KEYS });
	const unknown = new RateWindow({ limit: settings.unknownCodes, windowMs: 10 * MINUTE, maxKeys: MAX_KEYS });
	const flood = new RateWindow({ limit: settings.pollAnswers, windowMs: MINUTE, maxKeys: MAX_KEYS });
	return {
		lookupBlocked: (address, now = Date.now()) => unknown.check(addressKey(address), now),
		unknownCode: (address, now = Date.now()) => void unknown.take(addressKey(address), now),
		answerFrom: (address, now = Date.now()) => answers.take(addressKey(address), now),
		answerTo: (pollId, now = Date.now()) => flood.take(String(pollId), now),
		release: (pollId) => flood.release(String(pollId))
	};
}

let processLimits: PollLimits | undefined;

/** This server's limits, from the environment (POLL_ADDRESS_LIMIT, POLL_UNKNOWN_LIMIT, POLL_FLOOD_LIMIT). */
export function pollLimits(): PollLimits {
	const config = env();
	return (processLimits ??= createPollLimits({
		addressAnswers: config.POLL_ADDRESS_LIMIT,
		unknownCodes: config.POLL_UNKNOWN_LIMIT,
		pollAnswers: config.POLL_FLOOD_LIMIT
	}));
}
