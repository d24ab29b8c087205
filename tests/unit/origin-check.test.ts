import { describe, expect, it } from 'vitest';
import { crossSiteRefusal } from '../../src/lib/server/origin-check.ts';
import { metricsAuthorized } from '../../src/lib/server/metrics.ts';
import { requestIdFrom } from '../../src/lib/server/log.ts';

const ORIGIN = 'https://monitor.example.nl';
const url = new URL(`${ORIGIN}/login`);

const post = (origin: string | null, host: string, type = 'application/x-www-form-urlencoded', method = 'POST') =>
	new Request(url, {
		method,
		headers: { 'content-type': type, host, ...(origin === null ? {} : { origin }) },
		body: 'email=a'
	});

describe(crossSiteRefusal.name, () => {
	it('should let a form from the server own origin through, and anything that is not a form post', () => {
		expect(crossSiteRefusal(post(ORIGIN, 'monitor.example.nl'), url, '/login')).toBeNull();
		expect(
			crossSiteRefusal(post('https://evil.example', 'monitor.example.nl', 'application/json'), url, '/login')
		).toBeNull();
		expect(
			crossSiteRefusal(new Request(url, { headers: { origin: 'https://evil.example' } }), url, '/login')
		).toBeNull();
	});

	it('should refuse every form method and form content type from another site with 403, as SvelteKit does', async () => {
		const types = [
			'application/x-www-form-urlencoded',
			'multipart/form-data; boundary=x',
			'TEXT/PLAIN',
			'application/x-sveltekit-formdata'
		];
		let refused = 0;
		for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'])
			for (const type of types)
				for (const origin of ['https://evil.example', null, 'null']) {
					const answer = crossSiteRefusal(post(origin, 'monitor.example.nl', type, method), url, '/login');
					expect(answer).toBeInstanceOf(Response);
					const res = answer as Response;
					expect([res.status, await res.text()]).toEqual([403, `Cross-site ${method} form submissions are forbidden`]);
					refused++;
				}
		expect(refused).toBe(4 * types.length * 3);
	});

	it('should tell a user on another address of this very server which address to use', async () => {
		// the browser's Origin names the host it sent the form to: not another site, but not ORIGIN either
		expect(crossSiteRefusal(post('http://10.0.0.5:3000', '10.0.0.5:3000'), url, '/login')).toBe('wrong-address');
		const elsewhere = crossSiteRefusal(post('http://10.0.0.5:3000', '10.0.0.5:3000'), url, '/account') as Response;
		expect(elsewhere.status).toBe(403);
		expect(await elsewhere.text()).toContain(`Deze server verwacht ${ORIGIN} — je gebruikt http://10.0.0.5:3000.`);
	});
});

describe(metricsAuthorized.name, () => {
	it('should accept only the bearer of the exact token', () => {
		const token = 'a-metrics-token-of-some-length';
		expect(metricsAuthorized(`Bearer ${token}`, token)).toBe(true);
		expect(metricsAuthorized(`bearer ${token}`, token)).toBe(true);
		for (const header of [null, '', 'Bearer', `Bearer ${token}x`, `Basic ${token}`, token, `Bearer ${token.slice(1)}`])
			expect(metricsAuthorized(header, token)).toBe(false);
	});
});

describe(requestIdFrom.name, () => {
	it('should keep a safe incoming id and replace anything else with a random one', () => {
		expect(requestIdFrom('abc-DEF_1.2')).toBe('abc-DEF_1.2');
		for (const unsafe of [null, '', 'a b', 'x'.repeat(65), 'id\nforged', '<script>'])
			expect(requestIdFrom(unsafe)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
	});
});
