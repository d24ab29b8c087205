import { z } from 'zod';
import { isIsoDate } from './phase-calendar.ts';
import { DUTCH_TIME_ZONE } from './dutch-format.ts';
import { DEFAULT_MAX_ANSWERS, DEFAULT_OPEN_HOURS, MAX_ANSWERS_RANGE, MAX_OPEN_DAYS } from './poll.ts';

/**
 * A new poll as the facilitator's form and the API take it (issue 18): one schema for both. Its closing
 * time is checked against `now` (after it, at most MAX_OPEN_DAYS ahead); template and region are checked
 * against the programme by the service.
 */

export const POLL_NAME_MAX = 80;
const HOUR = 3_600_000;

export const pollInputSchema = (now: string) =>
	z.strictObject({
		template: z.string('Kies een sjabloon.').trim().min(1, 'Kies een sjabloon.').max(100),
		name: z
			.string('Geef de peiling een naam, bijv. "Groep 8 De Regenboog".')
			.trim()
			.min(1, 'Geef de peiling een naam, bijv. "Groep 8 De Regenboog".')
			.max(POLL_NAME_MAX, `Hoogstens ${POLL_NAME_MAX} tekens.`),
		region: z.string('Kies een regio.').trim().min(1, 'Kies een regio.').max(100),
		date: z.string('Vul een datum in.').refine(isIsoDate, 'Vul een geldige datum in (jjjj-mm-dd).'),
		closesAt: z
			.string()
			.refine((s) => z.iso.datetime({ offset: true }).safeParse(s).success, 'Vul een geldig tijdstip in.')
			.transform((s) => new Date(s).toISOString())
			.refine((s) => s > now, 'De peiling moet na nu sluiten.')
			.refine(
				(s) => Date.parse(s) <= Date.parse(now) + MAX_OPEN_DAYS * 24 * HOUR,
				`Een peiling staat hoogstens ${MAX_OPEN_DAYS} dagen open.`
			)
			.optional(),
		maxAnswers: z
			.number('Vul een aantal in.')
			.int('Vul een heel aantal in.')
			.min(MAX_ANSWERS_RANGE.min, `Minstens ${MAX_ANSWERS_RANGE.min}.`)
			.max(MAX_ANSWERS_RANGE.max, `Hoogstens ${MAX_ANSWERS_RANGE.max}.`)
			.default(DEFAULT_MAX_ANSWERS),
		/** switch the template's open question on (off by default) */
		openQuestion: z.boolean().default(false)
	});
export type PollInput = z.infer<ReturnType<typeof pollInputSchema>>;

/** The default closing time: DEFAULT_OPEN_HOURS from now. */
export const defaultClosesAt = (now: string) => new Date(Date.parse(now) + DEFAULT_OPEN_HOURS * HOUR).toISOString();

const WALL = new Intl.DateTimeFormat('en-GB', {
	timeZone: DUTCH_TIME_ZONE,
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	hourCycle: 'h23'
});

/** An instant as a `datetime-local` field shows it in Dutch time: "2026-12-04T15:30". */
export function dutchWallTime(iso: string): string {
	const p = Object.fromEntries(WALL.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
	return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/**
 * A `datetime-local` value typed in Dutch time → the ISO instant; anything else is handed on unchanged, so
 * the schema refuses it with its message. A wall time inside the spring DST gap moves an hour on.
 */
export function instantOfDutchWallTime(value: string): string {
	const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
	if (!m) return value;
	const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
	if (Number.isNaN(wall)) return value;
	// the offset at the guess, then once more at the corrected instant (a DST switch between the two)
	let at = wall;
	for (let i = 0; i < 2; i++) {
		const shown = dutchWallTime(new Date(at).toISOString());
		const [d, t] = shown.split('T');
		const [y, mo, da] = d.split('-').map(Number);
		const [h, mi] = t.split(':').map(Number);
		at -= Date.UTC(y, mo - 1, da, h, mi) - wall;
	}
	return new Date(at).toISOString();
}

/**
 * A poll's public code: 10 characters from an alphabet without look-alikes (no 0/o, 1/l/i), about 49 bits,
 * so codes cannot be guessed; typed from a board, it is still short.
 */
export const POLL_CODE_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export const POLL_CODE_LENGTH = 10;
export const POLL_CODE_PATTERN = /^[abcdefghjkmnpqrstuvwxyz23456789]{10}$/;
