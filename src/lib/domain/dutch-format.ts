/**
 * Numbers and dates as people type them and as Dutch Excel writes them: decimal comma or point,
 * thousands separators, an optional % sign, dates as d-m-yyyy or ISO.
 */

export type DecimalMark = ',' | '.';
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const NOT_APPLICABLE = /^(n\.?v\.?t\.?|n\/a|nvt)$/i;

/** "n.v.t." (niet van toepassing) and its spellings. */
export const isNotApplicable = (raw: string) => NOT_APPLICABLE.test(raw.trim());

/**
 * A number written with `decimal` as the file's (or form's) decimal mark, with or without thousands
 * separators. What is certain is read; what could mean two numbers is refused, never guessed:
 * - both marks (1.234,5 or 1,234.5): the last one is the decimal mark, the other groups thousands;
 * - one mark more than once (1.234.567): thousands;
 * - one mark once: a decimal, unless it can be a thousands group — exactly three digits after it and
 *   1–3 digits before it, not starting with 0 (so 0.125, -0,125 and 28.5 are decimals). Such a group
 *   after the `decimal` mark is a decimal (0,125 stays 0,125; 1.125 in a plain CSV is 1.125). After the
 *   other mark it is a thousands group where a decimal comma is the custom (1.500 in a Dutch file or
 *   form is fifteen hundred, as Dutch Excel writes it), and ambiguous where it is not: 1,500 in a
 *   comma-separated file may be English thousands or a Dutch decimal comma.
 */
export function parseNumber(raw: string, decimal: DecimalMark = ','): Parsed<{ number: number; percent: boolean }> {
	const shown = raw.trim();
	const notANumber = { ok: false, message: `"${shorten(shown)}" is geen getal` } as const;
	let s = shown.replace(/[\s\u00a0\u202f]/g, '');
	const percent = s.endsWith('%');
	if (percent) s = s.slice(0, -1);
	s = s.replace(/^\u2212/, '-');
	if (!/^[-+]?[\d.,]+$/.test(s) || !/\d/.test(s)) return notANumber;
	let normal: string;
	if (s.includes(',') && s.includes('.')) {
		const dec = s.lastIndexOf(',') > s.lastIndexOf('.') ? ',' : '.';
		const thousands = dec === ',' ? '.' : ',';
		if (!new RegExp(`^[-+]?[1-9]\\d{0,2}(\\${thousands}\\d{3})+\\${dec}\\d+$`).test(s)) return notANumber;
		normal = s.split(thousands).join('').replace(dec, '.');
	} else {
		const mark = s.includes(',') ? ',' : s.includes('.') ? '.' : null;
		const parts = mark === null ? [s] : s.split(mark);
		if (mark === null) normal = s;
		else if (parts.length > 2) {
			if (!new RegExp(`^[-+]?[1-9]\\d{0,2}(\\${mark}\\d{3})+$`).test(s)) return notANumber;
			normal = parts.join('');
		} else {
			const [whole, fraction] = parts;
			const canBeThousands = /^[-+]?[1-9]\d{0,2}$/.test(whole) && /^\d{3}$/.test(fraction);
			if (!canBeThousands || mark === decimal) normal = `${whole}.${fraction}`;
			else if (decimal === ',') normal = whole + fraction;
			else {
				const asThousands = Number(whole + fraction);
				const asDecimal = Number(`${whole}.${fraction}`);
				return {
					ok: false,
					message: `"${shown}" is dubbelzinnig: ${asThousands} of ${String(asDecimal).replace('.', mark)}? Schrijf het getal zonder scheidingsteken voor duizendtallen (${asThousands}) en met een decimale punt (${asDecimal})`
				};
			}
		}
	}
	const number = Number(normal);
	if (!Number.isFinite(number)) return notANumber;
	return { ok: true, value: { number, percent } };
}

const pad = (n: number) => String(n).padStart(2, '0');

function validDate(y: number, m: number, d: number): string | null {
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1) return null;
	const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
	return d > days ? null : `${y}-${pad(m)}-${pad(d)}`;
}

/** A calendar date as ISO yyyy-mm-dd from d-m-yyyy, d/m/yyyy, d.m.yyyy or yyyy-mm-dd. */
export function parseDate(raw: string): Parsed<string> {
	const s = raw.trim();
	const bad: Parsed<string> = {
		ok: false,
		message: `"${shorten(s)}" is geen geldige datum (gebruik d-m-jjjj of jjjj-mm-dd)`
	};
	let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
	if (m) {
		const iso = validDate(+m[1], +m[2], +m[3]);
		return iso ? { ok: true, value: iso } : bad;
	}
	m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(s);
	if (m) {
		const iso = validDate(+m[3], +m[2], +m[1]);
		return iso ? { ok: true, value: iso } : bad;
	}
	return bad;
}

/** A date cell from a spreadsheet: a Date (stored as UTC midnight) or an Excel serial day number. */
export function dateFromCell(cell: Date | number): Parsed<string> {
	if (cell instanceof Date) {
		if (Number.isNaN(cell.getTime())) return { ok: false, message: 'ongeldige datum' };
		return { ok: true, value: `${cell.getUTCFullYear()}-${pad(cell.getUTCMonth() + 1)}-${pad(cell.getUTCDate())}` };
	}
	if (!Number.isInteger(cell) || cell < 1 || cell > 400_000) return { ok: false, message: `${cell} is geen datum` };
	return dateFromCell(new Date(Date.UTC(1899, 11, 30) + cell * 86_400_000));
}

const AMSTERDAM_DAY = new Intl.DateTimeFormat('sv-SE', {
	timeZone: 'Europe/Amsterdam',
	year: 'numeric',
	month: '2-digit',
	day: '2-digit'
});

/** Today's date in the Netherlands, ISO (a date typed late in the evening is not "in the future"). */
export function todayIso(now: Date = new Date()): string {
	return AMSTERDAM_DAY.format(now);
}

/** yyyy-mm-dd → d-m-yyyy, the way Dutch Excel writes dates. */
export const dutchDate = (iso: string) => {
	const [y, m, d] = iso.split('-');
	return `${Number(d)}-${Number(m)}-${y}`;
};

/** A number with a decimal comma and no thousands separator (Dutch Excel reads it back exactly). */
/** A number in plain digits, never exponent notation (1e-7), which spreadsheets and the importer do not read as a number. */
export function plainNumber(n: number): string {
	const s = String(n);
	return /e/i.test(s) ? n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 }) : s;
}

export const dutchNumber = (n: number) => plainNumber(n).replace('.', ',');

const GROUPED = new Intl.NumberFormat('nl-NL', { useGrouping: true });

/** A whole number as Dutch text: thousands grouped by a point (199.800), as Dutch readers expect. */
export const dutchCount = (n: number) => (Number.isInteger(n) && Math.abs(n) >= 1000 ? GROUPED.format(n) : String(n));

/** A count with its noun: plural(1, 'probleem', 'problemen') is "1 probleem", plural(2, …) "2 problemen", plural(199800, …) "199.800 …". */
export const plural = (n: number, one: string, many: string) => `${dutchCount(n)} ${n === 1 ? one : many}`;

/** A cell quoted in a message: cut to QUOTE_CHARS characters, so a refusal never repeats a huge cell. */
export const QUOTE_CHARS = 80;
export const shorten = (s: string) => (s.length > QUOTE_CHARS ? `${s.slice(0, QUOTE_CHARS)}…` : s);

/** Dutch month names, January first. */
export const MONTHS = [
	'januari',
	'februari',
	'maart',
	'april',
	'mei',
	'juni',
	'juli',
	'augustus',
	'september',
	'oktober',
	'november',
	'december'
];
const SHORT_MONTHS = ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'];

/** yyyy-mm-dd → "3 okt 2026", the date as the pages show it. */
export const shortDate = (iso: string) => {
	const [y, m, d] = iso.split('-');
	return `${Number(d)} ${SHORT_MONTHS[Number(m) - 1]} ${y}`;
};

/** yyyy-mm-dd → "oktober 2026". */
export const monthYear = (iso: string) => `${MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;

/** yyyy-mm-dd → "okt 2026", a month as a chart's date axis names it. */
export const shortMonthYear = (iso: string) => `${SHORT_MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;

/** The Dutch time zone: the audit log shows and filters its times in it, saying so. */
export const DUTCH_TIME_ZONE = 'Europe/Amsterdam';

const AMSTERDAM_PARTS = new Intl.DateTimeFormat('en-GB', {
	timeZone: DUTCH_TIME_ZONE,
	year: 'numeric',
	month: 'numeric',
	day: 'numeric',
	hour: 'numeric',
	minute: 'numeric',
	second: 'numeric',
	hourCycle: 'h23'
});

/** The wall clock in the Netherlands at an instant, as numbers (month 1–12). */
function amsterdamClock(at: Date) {
	const part = Object.fromEntries(AMSTERDAM_PARTS.formatToParts(at).map((p) => [p.type, Number(p.value)]));
	return { y: part.year, m: part.month, d: part.day, h: part.hour, min: part.minute, s: part.second };
}

/**
 * An instant (ISO, as stored) → "3 dec 2026 14:05" in Dutch time (CET or CEST), built from numbers so
 * the text does not change with the ICU version; pages say once that times are Dutch time.
 */
export function dutchDateTime(iso: string): string {
	const at = new Date(iso);
	if (Number.isNaN(at.getTime())) return iso;
	const c = amsterdamClock(at);
	return `${c.d} ${SHORT_MONTHS[c.m - 1]} ${c.y} ${pad(c.h)}:${pad(c.min)}`;
}

/** The instant (ISO, UTC) at which a calendar day (yyyy-mm-dd) starts in the Netherlands. */
export function amsterdamDayStart(date: string): string {
	const [y, m, d] = date.split('-').map(Number);
	const wall = Date.UTC(y, m - 1, d);
	// the offset at the guess; midnight is never inside a DST switch (those are at 02:00 and 03:00)
	const c = amsterdamClock(new Date(wall));
	const offset = Date.UTC(c.y, c.m - 1, c.d, c.h, c.min, c.s) - wall;
	return new Date(wall - offset).toISOString();
}

/** The day after a calendar day (yyyy-mm-dd). */
export function nextDay(date: string): string {
	const [y, m, d] = date.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}
