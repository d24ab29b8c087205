import type { z } from 'zod';
import { plural } from './dutch-format.ts';

/**
 * Dutch messages for zod's generic issues, for input parsed where people or API clients read the
 * answer. A message written on the schema itself still wins; this only replaces zod's English default.
 */

const TYPE: Record<string, string> = {
	string: 'tekst',
	number: 'een getal',
	int: 'een heel getal',
	bigint: 'een heel getal',
	nan: 'een getal',
	boolean: 'true of false',
	object: 'een object',
	record: 'een object',
	array: 'een lijst',
	tuple: 'een lijst',
	date: 'een datum',
	null: 'null',
	undefined: 'niets',
	file: 'een bestand'
};

function received(input: unknown): string {
	if (input === null) return 'null';
	if (Array.isArray(input)) return 'een lijst';
	if (typeof input === 'number' || typeof input === 'boolean') return String(input);
	return TYPE[typeof input] ?? typeof input;
}

const shown = (v: unknown) => (typeof v === 'string' ? `"${v}"` : String(v));

const SIZED: Record<string, [string, string]> = {
	string: ['teken', 'tekens'],
	array: ['element', 'elementen'],
	set: ['element', 'elementen'],
	file: ['byte', 'bytes']
};

function bound(
	side: 'min' | 'max',
	origin: string,
	limit: number | bigint,
	inclusive: boolean,
	exact: boolean
): string {
	const n = Number(limit);
	const unit = SIZED[origin];
	if (unit) {
		if (side === 'min' && n === 1 && !exact && origin === 'string') return 'mag niet leeg zijn';
		const count = plural(n, ...unit);
		return exact ? `precies ${count}` : side === 'min' ? `minstens ${count}` : `hoogstens ${count}`;
	}
	const value = origin === 'date' ? new Date(n).toISOString().slice(0, 10) : String(limit);
	if (origin === 'date') return side === 'min' ? `niet vóór ${value}` : `niet na ${value}`;
	if (side === 'min') return inclusive ? `minstens ${value}` : `groter dan ${value}`;
	return inclusive ? `hoogstens ${value}` : `kleiner dan ${value}`;
}

const FORMAT: Record<string, string> = {
	email: 'geen geldig e-mailadres',
	url: 'geen geldige URL',
	date: 'verwacht een datum als JJJJ-MM-DD',
	datetime: 'verwacht een datum en tijd (ISO 8601)',
	time: 'verwacht een tijd als UU:MM',
	uuid: 'geen geldige UUID',
	regex: 'heeft niet de juiste vorm'
};

export const dutchIssueMessage: z.core.$ZodErrorMap = (issue) => {
	switch (issue.code) {
		case 'invalid_type':
			if (issue.input === undefined) return 'ontbreekt';
			// a query value that could not be read as a number arrives here as NaN
			if (Number.isNaN(issue.input)) return `verwacht ${TYPE[issue.expected] ?? issue.expected}`;
			return `verwacht ${TYPE[issue.expected] ?? issue.expected}, niet ${received(issue.input)}`;
		case 'too_small':
			return bound('min', issue.origin, issue.minimum, issue.inclusive ?? true, issue.exact ?? false);
		case 'too_big':
			return bound('max', issue.origin, issue.maximum, issue.inclusive ?? true, issue.exact ?? false);
		case 'invalid_value':
			return issue.values.length === 1
				? `verwacht ${shown(issue.values[0])}`
				: `kies uit ${issue.values.map(shown).join(', ')}`;
		case 'invalid_format':
			if (issue.format === 'starts_with' && 'prefix' in issue) return `moet beginnen met "${issue.prefix}"`;
			if (issue.format === 'ends_with' && 'suffix' in issue) return `moet eindigen op "${issue.suffix}"`;
			if (issue.format === 'includes' && 'includes' in issue) return `moet "${issue.includes}" bevatten`;
			return FORMAT[issue.format] ?? `geen geldige waarde (${issue.format})`;
		case 'not_multiple_of':
			return `moet een veelvoud van ${issue.divisor} zijn`;
		case 'unrecognized_keys':
			return `${issue.keys.length === 1 ? 'onbekend veld' : 'onbekende velden'}: ${issue.keys.join(', ')}`;
		case 'invalid_key':
			return 'ongeldige sleutel';
		case 'invalid_element':
			return 'ongeldige waarde in de lijst';
		case 'invalid_union':
			return 'past bij geen van de toegestane vormen';
		default:
			return 'ongeldige invoer';
	}
};

/** Parse options that give zod's generic issues a Dutch message: `schema.safeParse(input, inDutch)`. */
export const inDutch = { error: dutchIssueMessage } as const;
