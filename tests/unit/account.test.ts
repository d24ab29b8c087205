import { describe, expect, it } from 'vitest';
import { safeNext } from '../../src/lib/domain/account.ts';

const ORIGIN = 'http://localhost:3000';

describe(safeNext.name, () => {
	it('should keep a path on this site, with its query and fragment', () => {
		expect(safeNext('/p/vleuten-versterkt/dashboard?regio=utrecht#thema-2', ORIGIN)).toBe('/p/vleuten-versterkt/dashboard?regio=utrecht#thema-2');
		expect(safeNext('/', ORIGIN)).toBe('/');
	});

	it('should send everything that a browser reads as another site to the start page', () => {
		for (const next of ['//evil.example/x', '/\\evil.example/x', '/\t/evil.example', 'https://evil.example', 'evil.example', '', null, '/\\/evil.example'])
			expect(safeNext(next, ORIGIN), String(next)).toBe('/');
	});

	it('should keep an encoded tab as part of a path on this site', () => {
		expect(safeNext('/%09/evil.example', ORIGIN)).toBe('/%09/evil.example');
	});
});
