import { describe, expect, it } from 'vitest';
import { safeNext, tooManyAttempts } from '../../src/lib/domain/account.ts';

describe(safeNext.name, () => {
	it('should keep a path on this site, with its query and fragment', () => {
		expect(safeNext('/p/vleuten-versterkt/dashboard?regio=utrecht#thema-2')).toBe(
			'/p/vleuten-versterkt/dashboard?regio=utrecht#thema-2'
		);
		expect(safeNext('/')).toBe('/');
		expect(safeNext('/p/./vleuten-versterkt/../zkl-onder-druk')).toBe('/p/zkl-onder-druk');
	});

	it('should send everything that a browser reads as another site to the start page', () => {
		const foreign = [
			'//evil.example/x',
			'/\\evil.example/x',
			'/\t/evil.example',
			'/\n/evil.example',
			'/\r\n/evil.example',
			'https://evil.example',
			'evil.example',
			'',
			null,
			'/\\/evil.example',
			// dot segments that leave two slashes (or a backslash) after normalisation
			'/.//evil.example',
			'/./\\evil.example',
			'/../\\evil.example',
			'/..//evil.example',
			'/x/..//evil.example',
			'/./\t/evil.example',
			// encoded slashes and backslashes, for a proxy or server that decodes them once
			'/%2F%2Fevil.example',
			'/%2fevil.example',
			'/%5Cevil.example',
			'/%5c%5cevil.example',
			'/.%2F/evil.example',
			// an encoding that cannot be decoded
			'/%E0%A4%A'
		];
		for (const next of foreign) expect(safeNext(next), JSON.stringify(next)).toBe('/');
	});

	it('should refuse an encoded tab or line break that hides a second slash, but keep an encoded slash inside a path', () => {
		for (const next of ['/%09/evil.example', '/%0A/evil.example', '/%0d%0a/evil.example'])
			expect(safeNext(next), next).toBe('/');
		expect(safeNext('/p/a%2Fb')).toBe('/p/a%2Fb');
		expect(safeNext('/p/a%09b')).toBe('/p/a%09b');
	});
});

describe(tooManyAttempts.name, () => {
	it('should say in whole minutes, rounded up, when to try again', () => {
		expect(tooManyAttempts(1)).toBe('Te veel mislukte pogingen. Probeer het over 1 minuut opnieuw.');
		expect(tooManyAttempts(61)).toBe('Te veel mislukte pogingen. Probeer het over 2 minuten opnieuw.');
		expect(tooManyAttempts(900)).toBe('Te veel mislukte pogingen. Probeer het over 15 minuten opnieuw.');
	});
});
