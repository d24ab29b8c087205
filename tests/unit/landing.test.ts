import { describe, expect, it } from 'vitest';
import { landingPath } from '../../src/lib/domain/landing.ts';
import type { Actor, Role } from '../../src/lib/domain/permissions.ts';

const vv = { id: 1, slug: 'vleuten-versterkt' };
const zkl = { id: 2, slug: 'zkl-onder-druk' };
const person = (roles: Record<number, Role>, isAdmin = false): Actor => ({
	userId: 1,
	name: 'iemand',
	email: 'iemand@example.nl',
	isAdmin,
	roles,
	via: 'session'
});

describe(landingPath.name, () => {
	it('should send an aanjager with one programme to the action form', () => {
		expect(landingPath(person({ 1: 'aanjager' }), [vv])).toBe('/p/vleuten-versterkt/acties/nieuw');
	});

	it('should send a lead to "Wat staat er open"', () => {
		expect(landingPath(person({ 1: 'lead' }), [vv])).toBe('/p/vleuten-versterkt/evaluaties/open');
	});

	it('should send a funder to the dashboard', () => {
		expect(landingPath(person({ 1: 'funder' }), [vv])).toBe('/p/vleuten-versterkt/dashboard');
	});

	it('should keep the programme list for someone with several programmes', () => {
		expect(landingPath(person({ 1: 'aanjager', 2: 'funder' }), [vv, zkl])).toBeNull();
	});

	it('should keep the programme list for an admin, who sees every programme', () => {
		expect(landingPath(person({ 1: 'aanjager' }, true), [vv])).toBeNull();
	});

	it('should keep the programme list when there is no programme or nobody signed in', () => {
		expect(landingPath(person({}), [])).toBeNull();
		expect(landingPath(null, [vv])).toBeNull();
	});

	it('should not land on a programme the person has no role in', () => {
		expect(landingPath(person({ 2: 'lead' }), [vv])).toBeNull();
	});
});
