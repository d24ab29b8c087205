/**
 * Tick marks of a time axis drawn over day numbers (days since 1970-01-01, UTC): on calendar boundaries a
 * reader recognises — 1 January of each year for a long span, 1 January and 1 July for a span of more than a
 * year, the first of every third month for more than four months, else the first of every month.
 */

const DAY = 86_400_000;
const dayOf = (year: number, month: number) => Date.UTC(year, month, 1) / DAY;

export function calendarTicks(first: number, last: number): number[] {
	const span = last - first;
	const step = span > 3 * 365 ? 12 : span > 365 ? 6 : span > 120 ? 3 : 1;
	const start = new Date(first * DAY);
	let year = start.getUTCFullYear();
	let month = Math.ceil(start.getUTCMonth() / step) * step;
	const ticks: number[] = [];
	// a span of centuries is no curve; the bound keeps a wrong date from looping long
	while (ticks.length < 200) {
		if (month >= 12) {
			year += Math.floor(month / 12);
			month %= 12;
		}
		const day = dayOf(year, month);
		if (day > last) break;
		if (day >= first) ticks.push(day);
		month += step;
	}
	return ticks;
}
