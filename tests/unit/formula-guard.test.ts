import { describe, expect, it } from 'vitest';
import { guardFormula, unguardFormula } from '../../src/lib/domain/formula-guard.ts';

const RISKY = [
	'=1+1',
	'+31 6',
	'-2',
	'@SUM(A1)',
	'\t=1',
	'\r=1',
	'\n=1',
	'\tgewoon',
	'\nregel',
	' =HYPERLINK("x")',
	'\u00a0=1',
	'\uFF1D1+1',
	'\uFF0B1',
	'\uFF0D1',
	'\uFF20cmd',
	"'=1",
	"''+1"
];
const PLAIN = ['gewoon tekst', '28,5', 'a = b', "'citaat'", "'", '', ' spatie vooraan', 'regel 1\nregel 2', 'VV-T1'];

describe(guardFormula.name, () => {
	it('should put a quote before every text a spreadsheet would run as a formula', () => {
		for (const s of RISKY) expect(guardFormula(s), JSON.stringify(s)).toBe(`'${s}`);
	});

	it('should leave other text alone', () => {
		for (const s of PLAIN) expect(guardFormula(s), JSON.stringify(s)).toBe(s);
	});
});

describe(unguardFormula.name, () => {
	it('should undo the guard exactly, for guarded and unguarded text alike', () => {
		for (const s of [...RISKY, ...PLAIN]) expect(unguardFormula(guardFormula(s)), JSON.stringify(s)).toBe(s);
	});

	it('should take the quote off a formula typed with one in a spreadsheet, and keep it elsewhere', () => {
		expect(unguardFormula("'=1+1")).toBe('=1+1');
		expect(unguardFormula("'citaat'")).toBe("'citaat'");
	});
});
