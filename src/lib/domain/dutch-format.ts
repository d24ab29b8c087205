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
 * A number written with `decimal` as the decimal mark. The other mark is a thousands separator
 * (1.234,5 or 1,234.5); when only one mark occurs, groups of exactly three digits after it mean
 * thousands (1.500 in a Dutch file is fifteen hundred), anything else a decimal (28,5 or 28.5).
 */
export function parseNumber(raw: string, decimal: DecimalMark = ','): Parsed<{ number: number; percent: boolean }> {
	let s = raw.trim().replace(/[\s\u00a0\u202f]/g, '');
	const percent = s.endsWith('%');
	if (percent) s = s.slice(0, -1);
	s = s.replace(/^\u2212/, '-');
	if (!/^[-+]?[\d.,]+$/.test(s) || !/\d/.test(s)) return { ok: false, message: `"${raw.trim()}" is geen getal` };
	const other: DecimalMark = decimal === ',' ? '.' : ',';
	const has = (mark: string) => s.includes(mark);
	let normal: string;
	if (has(',') && has('.')) {
		const lastComma = s.lastIndexOf(',');
		const lastPoint = s.lastIndexOf('.');
		const dec = lastComma > lastPoint ? ',' : '.';
		const thousands = dec === ',' ? '.' : ',';
		if (!new RegExp(`^[-+]?\\d{1,3}(\\${thousands}\\d{3})*\\${dec}\\d+$`).test(s)) return { ok: false, message: `"${raw.trim()}" is geen getal` };
		normal = s.split(thousands).join('').replace(dec, '.');
	} else {
		const mark = has(',') ? ',' : has('.') ? '.' : null;
		if (mark === null) normal = s;
		else if (new RegExp(`^[-+]?\\d{1,3}(\\${mark}\\d{3})+$`).test(s) && (mark === other || s.split(mark).length > 2)) normal = s.split(mark).join('');
		else if (s.split(mark).length === 2) normal = s.replace(mark, '.');
		else return { ok: false, message: `"${raw.trim()}" is geen getal` };
	}
	const number = Number(normal);
	if (!Number.isFinite(number)) return { ok: false, message: `"${raw.trim()}" is geen getal` };
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
	const bad: Parsed<string> = { ok: false, message: `"${s}" is geen geldige datum (gebruik d-m-jjjj of jjjj-mm-dd)` };
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

/** Today's date in the Netherlands, ISO (a date typed late in the evening is not "in the future"). */
export function todayIso(now: Date = new Date()): string {
	return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** yyyy-mm-dd → d-m-yyyy, the way Dutch Excel writes dates. */
export const dutchDate = (iso: string) => {
	const [y, m, d] = iso.split('-');
	return `${Number(d)}-${Number(m)}-${y}`;
};

/** A number with a decimal comma and no thousands separator (Dutch Excel reads it back exactly). */
export const dutchNumber = (n: number) => String(n).replace('.', ',');
