/**
 * Spreadsheets run a cell as a formula when it starts with = + - @ (also their full-width forms, and
 * after leading blanks), and a leading tab or line break hides what follows. Every text cell of every
 * CSV and XLSX export goes through `guardFormula`, which puts a ' before such text; the importer's
 * `unguardFormula` takes it off again, so an export imports back unchanged.
 */
const FORMULA = /^(?:[\t\r\n]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;

/** Text that would run as a formula, also when the ' we put before it is already there (so a guard is always undone exactly). */
const dangerous = (s: string) => FORMULA.test(s.replace(/^'+/, ''));

export const guardFormula = (s: string): string => (dangerous(s) ? `'${s}` : s);

export const unguardFormula = (s: string): string => (s.startsWith("'") && dangerous(s.slice(1)) ? s.slice(1) : s);
