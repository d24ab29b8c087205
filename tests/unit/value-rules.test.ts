import { describe, expect, it } from 'vitest';
import {
	checkValue,
	hasRules,
	parseFlags,
	ruleIssues,
	storedRules,
	storeFlags,
	type ValueRules
} from '../../src/lib/domain/value-rules.ts';
import { checkEntry, type EntryContext, type IndicatorRef } from '../../src/lib/domain/measurement.ts';
import { valueRulesSchema } from '../../src/lib/domain/plan.schema.ts';

const rules = (over: Partial<ValueRules> = {}): ValueRules => ({ min: 0, max: 100, maxChange: 20, ...over });
const PREVIOUS = { value: 40, date: '2026-03-01' };

describe(checkValue.name, () => {
	it('should accept the bounds themselves and refuse just outside them, in Dutch', () => {
		expect(checkValue(rules(), 0, null)).toEqual({ refused: null, flags: [] });
		expect(checkValue(rules(), 100, null)).toEqual({ refused: null, flags: [] });
		expect(checkValue(rules(), 120, null).refused).toBe('Waarde 120 ligt buiten het toegestane bereik 0–100.');
		expect(checkValue(rules(), -0.5, null).refused).toBe('Waarde -0,5 ligt buiten het toegestane bereik 0–100.');
	});

	it('should name a one-sided range by its one bound', () => {
		expect(checkValue(rules({ max: null }), -1, null).refused).toBe(
			'Waarde -1 ligt buiten het toegestane bereik vanaf 0.'
		);
		expect(checkValue(rules({ min: null, max: 10 }), 10.5, null).refused).toBe(
			'Waarde 10,5 ligt buiten het toegestane bereik tot en met 10.'
		);
	});

	it('should flag a change larger than allowed with the previous value and its date, and accept it', () => {
		expect(checkValue(rules(), 75, PREVIOUS)).toEqual({
			refused: null,
			flags: ['Verandering van +35 t.o.v. vorige meting (40 op 1-3-2026) is groter dan toegestaan (20).']
		});
	});

	it('should flag a negative change by its size, and not a change of exactly the maximum', () => {
		expect(checkValue(rules(), 15, PREVIOUS).flags).toEqual([
			'Verandering van -25 t.o.v. vorige meting (40 op 1-3-2026) is groter dan toegestaan (20).'
		]);
		expect(checkValue(rules(), 20, PREVIOUS).flags).toEqual([]);
		expect(checkValue(rules(), 60, PREVIOUS).flags).toEqual([]);
		// floating-point noise does not turn an allowed change into a flag (60.1 − 40.1 = 20.000000000000004)
		expect(checkValue(rules(), 60.1, { value: 40.1, date: '2026-03-01' }).flags).toEqual([]);
	});

	it('should compare nothing without a previous value, a rule or a number', () => {
		expect(checkValue(rules(), 99, null).flags).toEqual([]);
		expect(checkValue(rules({ maxChange: null }), 99, PREVIOUS)).toEqual({ refused: null, flags: [] });
		expect(checkValue(null, 1000, PREVIOUS)).toEqual({ refused: null, flags: [] });
		expect(checkValue(rules(), null, PREVIOUS)).toEqual({ refused: null, flags: [] });
	});

	it('should refuse out of range before looking at the change', () => {
		expect(checkValue(rules(), 101, PREVIOUS)).toEqual({
			refused: 'Waarde 101 ligt buiten het toegestane bereik 0–100.',
			flags: []
		});
	});
});

describe(ruleIssues.name, () => {
	it('should accept min equal to max and refuse min above max or a change of 0 or less', () => {
		expect(ruleIssues({ min: 5, max: 5 })).toEqual([]);
		expect(ruleIssues({ min: 6, max: 5 }).map((i) => i.field)).toEqual(['max']);
		expect(ruleIssues({ maxChange: 0 }).map((i) => i.field)).toEqual(['maxChange']);
		expect(ruleIssues({ maxChange: -1 }).map((i) => i.field)).toEqual(['maxChange']);
	});

	it('should be the plan file’s rule too, with the path of the field', () => {
		const refused = valueRulesSchema.safeParse({ min: 10, max: 1, maxChange: 0 });
		expect(refused.success ? [] : refused.error.issues.map((i) => i.path.join('.'))).toEqual(['max', 'maxChange']);
		expect(valueRulesSchema.safeParse({}).success).toBe(false);
		expect(valueRulesSchema.safeParse({ minimum: 1 }).success).toBe(false);
		expect(valueRulesSchema.safeParse({ maxChange: 5 }).success).toBe(true);
	});
});

describe(storedRules.name, () => {
	it('should read the columns as rules, null when none is set', () => {
		expect(storedRules({ rule_min: null, rule_max: null, rule_max_change: null })).toBeNull();
		expect(storedRules({ rule_min: 0, rule_max: null, rule_max_change: null })).toEqual({
			min: 0,
			max: null,
			maxChange: null
		});
		expect(hasRules({ min: null, max: null, maxChange: 3 })).toBe(true);
	});
});

describe(parseFlags.name, () => {
	it('should round-trip flags and read null or junk as none', () => {
		expect(parseFlags(storeFlags(['a', 'b']))).toEqual(['a', 'b']);
		expect(storeFlags([])).toBeNull();
		expect(parseFlags(null)).toEqual([]);
		expect(parseFlags('{')).toEqual([]);
		expect(parseFlags('{"a":1}')).toEqual([]);
	});
});

describe(checkEntry.name, () => {
	const indicator: IndicatorRef = {
		id: 1,
		code: 'S',
		unit: 'score',
		derived: false,
		rules: { min: 1, max: 10, maxChange: null }
	};
	const ctx: EntryContext = {
		indicator: () => indicator,
		region: () => ({ id: 1, slug: 'r' }),
		today: '2026-03-01',
		decimal: ','
	};
	it('should refuse a value outside the plan’s range on the value field', () => {
		const r = checkEntry({ indicator: 'S', region: 'r', date: '2026-02-01', value: '10,5' }, ctx);
		expect(r).toEqual({
			ok: false,
			errors: { value: 'Waarde 10,5 ligt buiten het toegestane bereik 1–10.' }
		});
		expect(checkEntry({ indicator: 'S', region: 'r', date: '2026-02-01', value: '10' }, ctx).ok).toBe(true);
	});
});
