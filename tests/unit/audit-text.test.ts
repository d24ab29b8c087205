import { describe, expect, it } from 'vitest';
import {
	auditActionText,
	auditChanges,
	auditHref,
	auditObjectText,
	fieldLabel,
	formatAuditValue,
	readableKey
} from '../../src/lib/domain/audit-text.ts';
import { auditQueryFromSearch, auditSearch, type AuditView } from '../../src/lib/domain/audit.ts';
import { amsterdamDayStart, dutchDateTime, nextDay } from '../../src/lib/domain/dutch-format.ts';

const entry = (over: Partial<AuditView>): AuditView => ({
	id: 1,
	at: '2026-12-03T13:05:00.000Z',
	user: 'lead@example.nl',
	apiToken: null,
	programme: 'vleuten-versterkt',
	entity: 'indicator',
	entityId: 7,
	action: 'update',
	before: null,
	after: null,
	object: { code: null, unit: null, nextStepId: null, phaseId: null },
	...over
});

describe(dutchDateTime.name, () => {
	it('should show a winter instant in CET (UTC+1)', () => {
		expect(dutchDateTime('2026-12-03T13:05:00.000Z')).toBe('3 dec 2026 14:05');
	});
	it('should show a summer instant in CEST (UTC+2)', () => {
		expect(dutchDateTime('2026-07-01T12:00:00.000Z')).toBe('1 jul 2026 14:00');
	});
	it('should move an evening instant to the next Dutch day', () => {
		expect(dutchDateTime('2026-06-30T22:30:00.000Z')).toBe('1 jul 2026 00:30');
	});
	it('should leave text that is not an instant as it is', () => {
		expect(dutchDateTime('gisteren')).toBe('gisteren');
	});
});

describe(amsterdamDayStart.name, () => {
	it('should start a winter day at 23:00 UTC the day before', () => {
		expect(amsterdamDayStart('2026-12-03')).toBe('2026-12-02T23:00:00.000Z');
	});
	it('should start a summer day at 22:00 UTC the day before', () => {
		expect(amsterdamDayStart('2026-07-01')).toBe('2026-06-30T22:00:00.000Z');
	});
	it('should use the offset of the day itself on the days the clocks change', () => {
		expect(amsterdamDayStart('2026-03-29')).toBe('2026-03-28T23:00:00.000Z');
		expect(amsterdamDayStart('2026-03-30')).toBe('2026-03-29T22:00:00.000Z');
		expect(amsterdamDayStart('2026-10-25')).toBe('2026-10-24T22:00:00.000Z');
		expect(amsterdamDayStart('2026-10-26')).toBe('2026-10-25T23:00:00.000Z');
	});
	it('should step over a month and year end', () => {
		expect(nextDay('2026-12-31')).toBe('2027-01-01');
		expect(nextDay('2028-02-28')).toBe('2028-02-29');
	});
});

describe(auditActionText.name, () => {
	it('should name what happened in Dutch', () => {
		expect(auditActionText({ entity: 'measurement', action: 'approve' })).toBe('meting goedgekeurd');
		expect(auditActionText({ entity: 'indicator', action: 'update' })).toBe('indicator gewijzigd');
		expect(auditActionText({ entity: 'nextStep', action: 'archive' })).toBe('vervolgstap gearchiveerd');
		expect(auditActionText({ entity: 'user', action: 'password_change' })).toBe('wachtwoord gewijzigd');
	});
	it('should read an unknown entity or action from its key', () => {
		expect(auditActionText({ entity: 'reminder_mail', action: 'bulkApprove' })).toBe('reminder mail bulk approve');
	});
});

describe(auditChanges.name, () => {
	it('should list only the changed fields of an update, with Dutch labels and the unit', () => {
		const changes = auditChanges(
			entry({
				before: { id: 7, code: 'X', unit: 'percent', target_value: 55, name: 'Aandacht', updated_at: 'a' },
				after: { code: 'X', unit: 'percent', target_value: 60, name: 'Aandacht' }
			})
		);
		expect(changes).toEqual([{ field: 'target_value', label: 'streefwaarde', before: '55 %', after: '60 %' }]);
	});
	it('should prefer the unit of the indicator as it is now', () => {
		const [c] = auditChanges(entry({ before: { value: 31.5 }, after: { value: 33 } }), 'percent');
		expect([c.before, c.after]).toEqual(['31,5 %', '33 %']);
		const [count] = auditChanges(entry({ before: { value: 1200 }, after: { value: 1300 } }), 'count');
		expect([count.before, count.after]).toEqual(['1200', '1300']);
	});
	it('should word a measurement review as "status ingediend → goedgekeurd"', () => {
		const changes = auditChanges(
			entry({ before: { status: 'submitted' }, after: { status: 'approved', comment: null } })
		);
		expect(changes).toEqual([{ field: 'status', label: 'status', before: 'ingediend', after: 'goedgekeurd' }]);
	});
	it('should compare nested counts field by field', () => {
		const changes = auditChanges(
			entry({
				entity: 'action',
				before: { reached: { jongeren: 10, ouders: 0 }, quotePublic: false },
				after: { reached: { jongeren: 12, ouders: 0 }, quotePublic: true }
			})
		);
		expect(changes.map((c) => `${c.label} ${c.before} → ${c.after}`)).toEqual([
			'bereikt: jongeren 10 → 12',
			'citaat deelbaar nee → ja'
		]);
	});
	it('should list the filled-in fields of a new object without a before', () => {
		const changes = auditChanges(
			entry({ action: 'create', after: { date: '2026-03-01', value: 31, note: '', programme_id: 1 } })
		);
		expect(changes).toEqual([
			{ field: 'date', label: 'datum', before: null, after: '1 mrt 2026' },
			{ field: 'value', label: 'waarde', before: null, after: '31' }
		]);
	});
	it('should list what a deleted object held without an after', () => {
		const changes = auditChanges(entry({ action: 'delete', before: { code: 'X', key_indicator: 1 } }));
		expect(changes).toEqual([
			{ field: 'code', label: 'code', before: 'X', after: null },
			{ field: 'key_indicator', label: 'kernindicator', before: 'ja', after: null }
		]);
	});
	it('should show an unknown field by a readable key, never fail on odd detail', () => {
		expect(auditChanges(entry({ before: { someNewField: 1 }, after: { someNewField: 2 } }))).toEqual([
			{ field: 'someNewField', label: 'some new field', before: '1', after: '2' }
		]);
		expect(auditChanges(entry({ before: 'text', after: [1, 2] }))).toEqual([]);
		expect(auditChanges(entry({}))).toEqual([]);
	});
});

describe(formatAuditValue.name, () => {
	it('should format values as people read them', () => {
		expect(formatAuditValue('x', null)).toBe('—');
		expect(formatAuditValue('direction', 'higher_is_better')).toBe('hoger is beter');
		expect(formatAuditValue('finalisedAt', '2026-12-03T13:05:00.000Z')).toBe('3 dec 2026 14:05');
		expect(formatAuditValue('followUps', [{ description: 'Bellen' }, { description: 'Mailen' }])).toBe(
			'Bellen; Mailen'
		);
		expect(formatAuditValue('phases', [{ a: 1 }, { a: 2 }])).toBe('2 onderdelen');
		expect(formatAuditValue('changes', {})).toBe('geen');
		expect(formatAuditValue('story', 'x'.repeat(300))).toHaveLength(161);
	});
	it('should label a nested unknown field by its parent', () => {
		expect(fieldLabel('reached.kinderen')).toBe('bereikt: kinderen');
		expect(readableKey('baseline_region')).toBe('baseline region');
	});
});

describe(auditHref.name, () => {
	const lead = { admin: false };
	it('should link to the page of the changed object', () => {
		const ind = entry({ object: { code: 'VV-T1', unit: null, nextStepId: null, phaseId: null } });
		expect(auditHref(ind, lead)).toBe('/p/vleuten-versterkt/indicatoren/VV-T1');
		expect(auditHref(entry({ entity: 'measurement', entityId: 12 }), lead)).toBe('/p/vleuten-versterkt/metingen/12');
		expect(auditHref(entry({ entity: 'action', entityId: 3 }), lead)).toBe('/p/vleuten-versterkt/acties/3');
		expect(
			auditHref(entry({ entity: 'evaluation', object: { code: null, unit: null, nextStepId: 4, phaseId: 9 } }), lead)
		).toBe('/p/vleuten-versterkt/evaluaties/4/9');
		expect(auditHref(entry({ entity: 'theme' }), lead)).toBe('/p/vleuten-versterkt/meetplan');
	});
	it('should not link to what is gone, or to pages the viewer may not open', () => {
		expect(auditHref(entry({ entity: 'action', action: 'delete', entityId: 3 }), lead)).toBeNull();
		expect(auditHref(entry({}), lead)).toBeNull(); // an indicator deleted since: no code
		expect(auditHref(entry({ entity: 'user', programme: null }), lead)).toBeNull();
		expect(auditHref(entry({ entity: 'user', programme: null }), { admin: true })).toBe('/admin/gebruikers');
		expect(auditHref(entry({ entity: 'something_new' }), lead)).toBeNull();
	});
	it('should name the object', () => {
		expect(auditObjectText(entry({ object: { code: 'VV-T1', unit: null, nextStepId: null, phaseId: null } }))).toBe(
			'indicator VV-T1'
		);
		expect(auditObjectText(entry({ entity: 'action', entityId: 3 }))).toBe('actie #3');
		expect(auditObjectText(entry({ entity: 'measurement', entityId: null, action: 'import' }))).toBe('metingen');
		expect(auditObjectText(entry({ entity: 'plan', entityId: 1, action: 'load' }))).toBe('meetplan');
	});
});

describe(auditQueryFromSearch.name, () => {
	it('should read the Dutch parameters', () => {
		const { query, problems } = auditQueryFromSearch(
			new URLSearchParams('wie=4&wat=update&soort=indicator&object=VV-T1&van=2026-12-01&tot=2026-12-03')
		);
		expect(problems).toEqual([]);
		expect(query).toEqual({
			user: 4,
			action: 'update',
			entity: 'indicator',
			object: 'VV-T1',
			from: '2026-12-01',
			to: '2026-12-03'
		});
	});
	it('should drop a bad parameter, keep the rest and say which in Dutch', () => {
		const { query, problems } = auditQueryFromSearch(new URLSearchParams('wie=abc&wat=update&van=3-12-2026'));
		expect(query).toEqual({ action: 'update' });
		expect(problems).toHaveLength(2);
		expect(problems.join(' ')).toMatch(/Filter "wie"/);
		expect(problems.join(' ')).toMatch(/Filter "van": verwacht een datum/);
	});
	it('should refuse a period that ends before it starts', () => {
		const { query, problems } = auditQueryFromSearch(new URLSearchParams('van=2026-12-05&tot=2026-12-01'));
		expect(problems).toEqual(['Filter "tot": de begindatum ligt na de einddatum.']);
		expect(query).toEqual({ from: '2026-12-05' });
	});
	it('should keep the filters on the links to other pages', () => {
		expect(auditSearch({ action: 'update', from: '2026-12-01', before: 9 }, { after: 20 })).toBe(
			'?wat=update&van=2026-12-01&na=20'
		);
	});
});
