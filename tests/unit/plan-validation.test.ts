import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
	planIndicators,
	planWarnings,
	resolveIndicator,
	validateLibrary,
	validatePlan,
	warningLine
} from '../../src/lib/domain/plan-validation.ts';
import type { Library, Plan } from '../../src/lib/domain/plan.schema.ts';

const read = (f: string) => parse(readFileSync(`indicators/${f}`, 'utf8'));
const library = (() => {
	const r = validateLibrary(read('library.yaml'));
	if (!r.ok) throw new Error(JSON.stringify(r.issues));
	return r.value;
})();
const valid = (f: string): Plan => {
	const r = validatePlan(read(f), library);
	if (!r.ok) throw new Error(JSON.stringify(r.issues, null, 1));
	return r.value;
};
const clone = <T>(x: T): T => structuredClone(x);
const valid2 = (raw: unknown): Plan => {
	const r = validatePlan(raw, library);
	if (!r.ok) throw new Error(JSON.stringify(r.issues, null, 1));
	return r.value;
};

describe(validatePlan.name, () => {
	it('should accept both programme plans', () => {
		const vv = valid('vleuten-versterkt.yaml');
		expect(vv.themes).toHaveLength(5);
		for (const t of vv.themes) expect(t.nextSteps).toHaveLength(1);
		const zkl = valid('zkl-onder-druk.yaml');
		expect(zkl.themes).toHaveLength(3);
		for (const t of zkl.themes) expect(t.nextSteps.flatMap((s) => s.solutions)).toHaveLength(3);
	});

	it('should find at least one indicator on every node of both plans', () => {
		for (const f of ['vleuten-versterkt.yaml', 'zkl-onder-druk.yaml']) {
			const plan = valid(f);
			const nodes = [
				...plan.ambitions,
				...plan.outcomes,
				...plan.themes.flatMap((t) => [t, ...t.nextSteps.flatMap((s) => [s, ...s.solutions])])
			];
			for (const n of nodes) expect(n.indicators.length, n.code).toBeGreaterThan(0);
		}
	});

	it('should flag every invented figure as demo and give every real baseline a source', () => {
		for (const f of ['vleuten-versterkt.yaml', 'zkl-onder-druk.yaml']) {
			for (const { indicator } of planIndicators(valid(f))) {
				const ind = resolveIndicator(indicator, library);
				if (ind.baseline) expect(ind.baseline.source.length, ind.code).toBeGreaterThan(3);
				// programme-level targets in these plans are all invented
				if (ind.target && ind.kind === 'programme') expect(ind.target.demo, ind.code).toBe(true);
			}
		}
	});

	it('should refuse a missing field with its path', () => {
		const raw = read('vleuten-versterkt.yaml');
		delete raw.themes[1].nextSteps[0].goal;
		const r = validatePlan(raw, library);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.issues).toContainEqual({ path: 'themes[1].nextSteps[0].goal', message: 'ontbreekt' });
	});

	it('should refuse a wrong unit with its path and reason', () => {
		const raw = read('zkl-onder-druk.yaml');
		raw.themes[0].indicators[0].unit = 'kilo';
		const r = validatePlan(raw, library);
		expect(r.ok).toBe(false);
		if (!r.ok)
			expect(r.issues[0]).toEqual({
				path: 'themes[0].indicators[0].unit',
				message: expect.stringMatching(/^kies uit "percent", "count"/)
			});
	});

	it('should refuse duplicate codes, unknown library references and unknown regions', () => {
		const raw = read('vleuten-versterkt.yaml');
		raw.themes[1].code = raw.themes[0].code;
		raw.themes[0].indicators[0].library = 'NO-SUCH-CODE';
		raw.organisations = [{ name: 'X', kind: 'school', region: 'nergens' }];
		const r = validatePlan(raw, library);
		expect(r.ok).toBe(false);
		if (!r.ok) {
			const paths = r.issues.map((i) => i.path);
			expect(paths).toContain('themes[1].code');
			expect(paths).toContain('themes[0].indicators[0].library');
			expect(paths).toContain('organisations[0].region');
		}
	});

	it('should accept a baseline of a region of the programme or of nederland, and refuse another area with its path', () => {
		const raw = read('vleuten-versterkt.yaml');
		const baseline = raw.themes[0].indicators[0].baseline;
		for (const area of ['nederland', 'vleuten-de-meern', 'obs-haarzicht']) {
			baseline.region = area;
			expect(validatePlan(raw, library).ok, area).toBe(true);
		}
		baseline.region = 'amsterdam';
		const r = validatePlan(raw, library);
		expect(r.ok ? [] : r.issues).toEqual([
			{
				path: 'themes[0].indicators[0].baseline.region',
				message: 'onbekend gebied amsterdam: kies een regio van het programma of nederland'
			}
		]);
	});

	it('should read validMonths, comparable and key, and refuse a validity beyond 120 months', () => {
		const raw = read('zkl-onder-druk.yaml');
		Object.assign(raw.themes[0].indicators[0], { validMonths: 18, comparable: true, key: true });
		const r = validatePlan(raw, library);
		expect(r.ok && r.value.themes[0].indicators[0]).toMatchObject({ validMonths: 18, comparable: true, key: true });
		raw.themes[0].indicators[0].validMonths = 121;
		const refused = validatePlan(raw, library);
		expect(refused.ok ? [] : refused.issues.map((i) => i.path)).toEqual(['themes[0].indicators[0].validMonths']);
	});

	it('should mark three to six indicators with a real source as key in each seed plan', () => {
		for (const f of ['vleuten-versterkt.yaml', 'zkl-onder-druk.yaml']) {
			const key = [...planIndicators(valid(f))]
				.map(({ indicator }) => resolveIndicator(indicator, library))
				.filter((i) => i.key);
			expect(key.length, f).toBeGreaterThanOrEqual(3);
			expect(key.length, f).toBeLessThanOrEqual(6);
			for (const i of key) expect([i.code, i.baseline?.demo ?? false, i.kind]).toEqual([i.code, false, 'population']);
		}
	});

	it('should refuse unknown keys (a typo is not silently ignored)', () => {
		const raw = read('vleuten-versterkt.yaml');
		raw.themes[0].titel = 'x';
		const r = validatePlan(raw, library);
		expect(r.ok ? [] : r.issues).toEqual([{ path: 'themes[0]', message: 'onbekend veld: titel' }]);
	});
});

describe(resolveIndicator.name, () => {
	it('should inherit library fields and let the plan override them', () => {
		const lib: Library = clone(library);
		const entry = lib.indicators[0];
		const ind = resolveIndicator({ code: 'X-1', library: entry.code, name: 'Eigen naam' }, lib);
		expect(ind.name).toBe('Eigen naam');
		expect(ind.definition).toBe(entry.definition);
		expect(ind.source).toBe(entry.source);
		expect(ind.code).toBe('X-1');
	});

	it("should give a baseline quoted from the library (same value and date) that library baseline's area", () => {
		const entry = library.indicators.find((l) => l.code === 'JMU-STRESS-OORDEEL')!;
		const quoted = entry.baselines![0];
		const { region: _r, ...withoutArea } = quoted;
		expect(resolveIndicator({ code: 'X-1', library: entry.code, baseline: withoutArea }, library).baseline).toEqual({
			...withoutArea,
			region: 'vleuten-de-meern'
		});
		// its own area wins, and a figure of its own has none
		const own = { ...withoutArea, region: 'nederland' };
		expect(resolveIndicator({ code: 'X-1', library: entry.code, baseline: own }, library).baseline).toEqual(own);
		const other = { ...withoutArea, value: 16 };
		expect(resolveIndicator({ code: 'X-1', library: entry.code, baseline: other }, library).baseline).toEqual(other);
	});
});

describe(planWarnings.name, () => {
	it('should find no planning error in the seed plans', () => {
		for (const f of ['vleuten-versterkt.yaml', 'zkl-onder-druk.yaml'])
			expect(planWarnings(valid(f), library)).toEqual([]);
	});

	it('should name each indicator whose target lies on the wrong side of its baseline, with its path', () => {
		const raw = read('zkl-onder-druk.yaml');
		// ZKL-T2-VERANTWOORDEN: lower is better, 45 → 35; a library indicator inherits its direction
		raw.themes[1].indicators[0].target.value = 50;
		raw.outcomes[0].indicators[0].target.value = 40;
		const warnings = planWarnings(valid2(raw), library);
		expect(warnings.map((w) => [w.code, w.path])).toEqual([
			[raw.outcomes[0].indicators[0].code, 'outcomes[0].indicators[0].target'],
			['ZKL-T2-VERANTWOORDEN', 'themes[1].indicators[0].target']
		]);
		expect(warningLine(warnings[1])).toBe(
			'let op: ZKL-T2-VERANTWOORDEN: De streefwaarde (50) ligt boven de nulmeting (45), terwijl lager beter is: zo is geen voortgang te berekenen.'
		);
	});
});

describe('plan poll templates', () => {
	it('should accept the seed templates, one per plan, each feeding an indicator the plan has', () => {
		for (const f of ['vleuten-versterkt.yaml', 'zkl-onder-druk.yaml']) {
			const templates = valid(f).pollTemplates ?? [];
			expect(templates).toHaveLength(1);
			expect(templates[0].questions.some((q) => q.indicator)).toBe(true);
		}
	});

	it('should refuse a template asking for what the plan does not have, with the path of each question', () => {
		const raw = read('zkl-onder-druk.yaml');
		const questions = raw.pollTemplates[0].questions;
		questions[0].dimension = 'wijk';
		questions[1].indicator = 'ZKL-BESTAAT-NIET';
		questions[2].indicator = 'ZKL-T1-S1-BEREIK';
		questions.push({ key: 'welzijn', kind: 'yesno', text: 'Gaat het goed?', indicator: 'ZKL-MR-2-WELZIJN' });
		const r = validatePlan(raw, library);
		expect(r.ok).toBe(false);
		expect(r.ok ? [] : r.issues).toEqual([
			{
				path: 'pollTemplates[0].questions[0].dimension',
				message: 'onbekende dimensie wijk: noem haar onder dimensions'
			},
			{ path: 'pollTemplates[0].questions[1].indicator', message: 'onbekende indicator ZKL-BESTAAT-NIET' },
			{
				path: 'pollTemplates[0].questions[2].indicator',
				message: 'ZKL-T1-S1-BEREIK wordt uit het actielogboek berekend, niet gepeild'
			},
			{
				path: 'pollTemplates[0].questions[3].indicator',
				message: 'ZKL-MR-2-WELZIJN heeft eenheid score; een ja/nee-vraag voedt een percentage'
			}
		]);
	});

	it('should refuse a template in the wrong shape, and a retention outside 1–365 days, with their paths', () => {
		const raw = read('vleuten-versterkt.yaml');
		raw.pollTemplates[0].questions[1].kind = 'slider';
		raw.programme.pollRetentionDays = 400;
		const r = validatePlan(raw, library);
		expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual([
			'programme.pollRetentionDays',
			'pollTemplates[0].questions[1].kind'
		]);
	});

	it('should warn about a dimension question that splits none of the indicators its template feeds', () => {
		const raw = read('zkl-onder-druk.yaml');
		// geslacht splits ZKL-MR-1-PILOT, which the template feeds: no warning
		raw.pollTemplates[0].questions[0].dimension = 'geslacht';
		expect(planWarnings(valid2(raw), library)).toEqual([]);
		raw.pollTemplates[0].questions[0].dimension = 'doelgroep';
		expect(planWarnings(valid2(raw), library)).toEqual([
			{
				code: 'peilingsjabloon overstap',
				path: 'pollTemplates[0].questions[0].dimension',
				message:
					'vraag leeftijd vraagt naar doelgroep, maar geen indicator van dit sjabloon wordt daarnaar uitgesplitst: de antwoorden tellen alleen in de uitslag voor de groep'
			}
		]);
	});
});

describe('plan school years', () => {
	it('should refuse a gap between phases with the path of the phase', () => {
		const raw = read('vleuten-versterkt.yaml');
		raw.schoolYears[0].phases[1].start = '2024-10-05';
		const r = validatePlan(raw, library);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.issues[0].path).toBe('schoolYears[0].phases[1].start');
	});
});

describe('a derived indicator split by target group', () => {
	/** The Vleuten plan (dimensions geslacht, leeftijd, doelgroep) with one derived reach indicator changed as given. */
	function withReach(change: (ind: Record<string, unknown>) => void) {
		const raw = clone(read('vleuten-versterkt.yaml'));
		expect(raw.dimensions.map((d: { key: string }) => d.key)).toEqual(['geslacht', 'leeftijd', 'doelgroep']);
		const ind = raw.themes[0].nextSteps[0].solutions[0].indicators[0];
		expect(ind.code).toBe('VV-T1-S1-BEREIK');
		change(ind);
		return validatePlan(raw, library);
	}
	const messages = (r: ReturnType<typeof validatePlan>) => (r.ok ? [] : r.issues.map((i) => i.message));

	it('should accept reach split by a dimension of target groups, without one targetGroup', () => {
		const r = withReach((ind) => {
			ind.derived = { measure: 'reached', kinds: ['sessie'] };
			ind.dimensions = ['doelgroep'];
		});
		expect(messages(r)).toEqual([]);
	});

	it('should still ask an unsplit reach for its target group', () => {
		const r = withReach((ind) => (ind.derived = { measure: 'reached' }));
		expect(messages(r)).toEqual([expect.stringContaining('bereik telt één doelgroep')]);
	});

	it('should refuse a split by another dimension, a split count of actions, two dimensions, or a split with a targetGroup', () => {
		expect(
			messages(
				withReach((ind) => {
					ind.derived = { measure: 'reached' };
					ind.dimensions = ['geslacht'];
				})
			)
		).toEqual([expect.stringContaining('alleen uitgesplitst naar doelgroep')]);
		expect(
			messages(
				withReach((ind) => {
					ind.derived = { measure: 'actions' };
					ind.dimensions = ['doelgroep'];
				})
			)
		).toEqual([expect.stringContaining('telling van acties wordt niet uitgesplitst')]);
		expect(
			messages(
				withReach((ind) => {
					ind.derived = { measure: 'reached' };
					ind.dimensions = ['doelgroep', 'geslacht'];
				})
			)
		).toEqual([expect.stringContaining('naar één dimensie')]);
		expect(
			messages(
				withReach((ind) => {
					ind.derived = { measure: 'reached', targetGroup: 'jongeren' };
					ind.dimensions = ['doelgroep'];
				})
			)
		).toEqual([expect.stringContaining('niet beide')]);
	});
});
