import { describe, expect, it } from 'vitest';
import { cacheablePage, offlineEssential, quickFallback } from '../../src/lib/offline/cache-rules.ts';
import { OUTBOX_STORE, summarise } from '../../src/lib/offline/outbox-store.ts';

describe(cacheablePage.name, () => {
	it('should keep the pages a person opens', () => {
		for (const path of ['/', '/p/vleuten-versterkt', '/p/vleuten-versterkt/acties/nieuw', '/p/x/dashboard'])
			expect(cacheablePage(path), path).toBe(true);
	});

	it('should never keep the API, metrics, signing in or out, the admin or account pages', () => {
		for (const path of [
			'/api/v1/actions',
			'/api/docs',
			'/login',
			'/logout',
			'/metrics',
			'/admin/users',
			'/account',
			'/peiling/abcdefghjk'
		])
			expect(cacheablePage(path), path).toBe(false);
	});

	it('should not mistake a page whose name merely starts like a refused one', () => {
		expect(cacheablePage('/apiary')).toBe(true);
		expect(cacheablePage('/administratie')).toBe(true);
	});
});

describe(offlineEssential.name, () => {
	it('should name home, a programme, its action list and the action form', () => {
		for (const path of ['/', '/p/zkl', '/p/zkl/acties', '/p/zkl/acties/nieuw'])
			expect(offlineEssential(path), path).toBe(true);
	});

	it('should leave out every other page', () => {
		for (const path of ['/p/zkl/dashboard', '/p/zkl/acties/12', '/p/zkl/acties/nieuw/x', '/overzicht', '/login'])
			expect(offlineEssential(path), path).toBe(false);
	});
});

describe(quickFallback.name, () => {
	it('should name home and the action form only', () => {
		expect(['/', '/p/zkl/acties/nieuw'].map(quickFallback)).toEqual([true, true]);
		expect(['/p/zkl', '/p/zkl/acties', '/p/zkl/acties/nieuw/x', '/p/zkl/dashboard'].map(quickFallback)).toEqual([
			false,
			false,
			false,
			false
		]);
	});
});

describe(summarise.name, () => {
	const item = (url: string, failure?: object) => ({ key: 'k', url, fields: [], savedAt: '', failure });

	it('should count only the actions that wait, and point at the list of the first one', () => {
		const raw = JSON.stringify([
			item('http://h/p/zkl/acties/nieuw', { errors: {} }),
			item('http://h/p/vleuten-versterkt/acties/nieuw'),
			item('http://h/p/zkl/acties/nieuw')
		]);
		expect(summarise(raw)).toEqual({ waiting: 2, href: '/p/vleuten-versterkt/acties' });
	});

	it('should count nothing in an empty, missing or unreadable store', () => {
		for (const raw of [null, '[]', '{', '{"a":1}'])
			expect(summarise(raw), String(raw)).toEqual({ waiting: 0, href: null });
	});

	it('should use the store the outbox writes', () => {
		expect(OUTBOX_STORE).toBe('kompas.acties.outbox.v1');
	});
});
