import { isRedirect, type Cookies } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { redirectWithFlash, takeFlash, type Flash } from '../../src/lib/server/flash.ts';

/** A browser's cookie jar for one site, as far as the flash uses it. */
function jar() {
	const stored = new Map<string, { value: string; options: Record<string, unknown> }>();
	const cookies = {
		get: (name: string) => stored.get(name)?.value,
		set: (name: string, value: string, options: Record<string, unknown>) => void stored.set(name, { value, options }),
		delete: (name: string) => void stored.delete(name)
	} as unknown as Cookies;
	return { cookies, stored };
}

function redirectOf(action: () => never) {
	try {
		action();
	} catch (e) {
		if (isRedirect(e)) return { status: e.status, location: e.location };
		throw e;
	}
	throw new Error('no redirect');
}

describe(redirectWithFlash.name, () => {
	const url = new URL('http://127.0.0.1/admin/gebruikers?/createUser');

	it('should answer 303 to the page without the action, and keep the message for that page only', () => {
		const { cookies, stored } = jar();
		const flash: Flash = { message: 'Account a@b.nl aangemaakt.' };
		expect(redirectOf(() => redirectWithFlash({ cookies, url }, flash))).toEqual({
			status: 303,
			location: '/admin/gebruikers'
		});
		const [cookie] = [...stored.values()];
		expect(cookie.options).toMatchObject({
			path: '/admin/gebruikers',
			httpOnly: true,
			sameSite: 'strict',
			secure: false,
			maxAge: 60
		});
		expect(takeFlash({ cookies, url: new URL('http://127.0.0.1/admin/gebruikers') })).toEqual(flash);
	});

	it('should show a secret once: the load that reads it removes it', () => {
		const { cookies } = jar();
		const page = new URL('https://beheer.example/admin/sleutels');
		redirectOf(() =>
			redirectWithFlash({ cookies, url: page }, { message: 'API-sleutel aangemaakt.', secret: 'geheim-123' })
		);
		expect(takeFlash({ cookies, url: page })?.secret).toBe('geheim-123');
		expect(takeFlash({ cookies, url: page })).toBeNull();
	});

	it('should cut a message to what fits in a cookie, also in characters that take many bytes', () => {
		const { cookies, stored } = jar();
		redirectOf(() => redirectWithFlash({ cookies, url }, { message: '🙂'.repeat(2000) }));
		const [cookie] = [...stored.values()];
		expect(encodeURIComponent(cookie.value).length).toBeLessThan(4000);
		const shown = takeFlash({ cookies, url })!.message;
		expect(shown.endsWith('…')).toBe(true);
		expect(shown.startsWith('🙂🙂')).toBe(true);
	});

	it('should keep the notes that fit beside the message, whole and in order, and count the rest', () => {
		const { cookies, stored } = jar();
		const notes = Array.from({ length: 60 }, (_, i) => `let op: VV-${i}: de streefwaarde ligt onder de nulmeting`);
		redirectOf(() => redirectWithFlash({ cookies, url }, { message: 'Plan geladen.', notes }));
		const [cookie] = [...stored.values()];
		expect(encodeURIComponent(cookie.value).length).toBeLessThan(4000);
		const shown = takeFlash({ cookies, url })!.notes!;
		const kept = shown.slice(0, -1);
		expect(kept.length).toBeGreaterThan(10);
		expect(kept).toEqual(notes.slice(0, kept.length));
		expect(shown.at(-1)).toBe(`en nog ${notes.length - kept.length} (zie npm run plan:load)`);
	});
});

describe(takeFlash.name, () => {
	it('should ignore and remove a cookie that is not a flash, rather than fail the page', () => {
		const url = new URL('http://127.0.0.1/admin');
		for (const value of ['niet-json{', '{"message":12}', '"tekst"', 'null']) {
			const { cookies, stored } = jar();
			stored.set('kompas_flash', { value, options: {} });
			expect(takeFlash({ cookies, url }), value).toBeNull();
			expect(stored.size, value).toBe(0);
		}
	});
});
