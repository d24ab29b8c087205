import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { planChanges, planItems } from '../../src/lib/domain/plan-diff.ts';
import type { Plan } from '../../src/lib/domain/plan.schema.ts';

const plan = (): Plan => parse(readFileSync('indicators/vleuten-versterkt.yaml', 'utf8'));

describe(planItems.name, () => {
	it('should key every item once, children apart from their parent', () => {
		const items = planItems(plan());
		expect(items.get('theme VV-T1')).not.toHaveProperty('nextSteps');
		expect(items.get('nextStep VV-T1-VS1')).toMatchObject({ theme: 'VV-T1' });
		expect(items.get('indicator VV-T1-AANDACHT')).toMatchObject({ node: 'VV-T1' });
		expect(items.get('region obs-haarzicht')).toMatchObject({ parent: expect.any(String) });
		expect(items.get('region obs-haarzicht')).not.toHaveProperty('children');
	});
});

describe(planChanges.name, () => {
	it('should list nothing for the same plan', () => {
		expect(planChanges(plan(), plan())).toEqual([]);
	});

	it('should list changed fields with before and after, and new items with before null', () => {
		const after = plan();
		after.programme.name = 'Vleuten Versterkt 2';
		after.themes[1].nextSteps[0].solutions.push({ code: 'VV-NIEUW', title: 'Nieuw', indicators: [] });
		expect(planChanges(plan(), after)).toEqual([
			{ item: 'programme', before: { name: 'Vleuten Versterkt' }, after: { name: 'Vleuten Versterkt 2' } },
			{
				item: 'solution VV-NIEUW',
				before: null,
				after: { code: 'VV-NIEUW', title: 'Nieuw', nextStep: after.themes[1].nextSteps[0].code }
			}
		]);
	});

	it('should list validation rules only when they change, not when the file reorders their keys', () => {
		const nut = (p: Plan) => p.themes[0].nextSteps[0].solutions[0].indicators.find((i) => i.code === 'VV-T1-S1-NUT')!;
		const reordered = plan();
		nut(reordered).rules = { maxChange: undefined, max: 100, min: 0 };
		expect(planChanges(plan(), reordered)).toEqual([]);
		const changed = plan();
		nut(changed).rules = { min: 0, max: 100, maxChange: 15 };
		expect(planChanges(plan(), changed)).toEqual([
			{
				item: 'indicator VV-T1-S1-NUT',
				before: { rules: { min: 0, max: 100 } },
				after: { rules: { min: 0, max: 100, maxChange: 15 } }
			}
		]);
	});

	it('should list period targets only when they change, not when the file reorders them', () => {
		const before = plan();
		const stress = (p: Plan) => p.ambitions[0].indicators[0];
		stress(before).targets = [
			{ date: '2025-12-31', value: 48 },
			{ date: '2026-12-31', value: 47 }
		];
		const reordered = plan();
		stress(reordered).targets = [...stress(before).targets!].reverse();
		expect(planChanges(before, reordered)).toEqual([]);
		const changed = plan();
		stress(changed).targets = [{ date: '2025-12-31', value: 48.5 }];
		expect(planChanges(before, changed)).toEqual([
			{
				item: `indicator ${stress(before).code}`,
				before: { targets: stress(before).targets },
				after: { targets: [{ date: '2025-12-31', value: 48.5 }] }
			}
		]);
	});

	it('should name dimension changes in Dutch, a dropped dimension as verwijderd', () => {
		const before = plan();
		before.dimensions = [
			{
				key: 'geslacht',
				name: 'Geslacht',
				values: [
					{ key: 'meisje', name: 'Meisje' },
					{ key: 'jongen', name: 'Jongen' }
				]
			},
			{
				key: 'wijk',
				name: 'Wijk',
				values: [
					{ key: 'noord', name: 'Noord' },
					{ key: 'zuid', name: 'Zuid' }
				]
			}
		];
		const after = plan();
		after.dimensions = [
			{
				key: 'geslacht',
				name: 'Geslacht',
				values: [
					{ key: 'meisje', name: 'Meisje', archived: true },
					{ key: 'jongen', name: 'Jongen' }
				]
			}
		];
		expect(planChanges(before, after)).toEqual([
			{
				item: 'dimensie geslacht',
				before: { waarden: ['meisje: Meisje', 'jongen: Jongen'] },
				after: { waarden: ['meisje: Meisje (gearchiveerd)', 'jongen: Jongen'] }
			},
			{
				item: 'dimensie wijk',
				before: { naam: 'Wijk', waarden: ['noord: Noord', 'zuid: Zuid'] },
				after: { verwijderd: true }
			}
		]);
	});

	it('should name poll template changes in Dutch, question by question, a dropped template as verwijderd', () => {
		const before = plan();
		expect(before.pollTemplates?.map((t) => t.key)).toEqual(['na-de-les-tegenslag']);
		const after = plan();
		const t = after.pollTemplates![0];
		t.questions[1].text = 'Ik voel me minder alleen met tegenslag.';
		t.questions.splice(2, 1);
		t.questions.push({ key: 'praten', kind: 'yesno', text: 'Praat je erover?', indicator: 'VV-T2-S1-DOEL' });
		delete t.openQuestion;
		after.pollTemplates!.push({ ...structuredClone(t), key: 'tweede', name: 'Tweede peiling' });
		expect(planChanges(before, after)).toEqual([
			{
				item: 'peilingsjabloon na-de-les-tegenslag',
				before: {
					'vraag niet-alleen': `schaal 1–5: ${before.pollTemplates![0].questions[1].text} → VV-T2-NIET-ALLEEN`,
					'vraag helpt':
						'keuze: Wat helpt jou het meest als het tegenzit? (praten: Praten met iemand, bewegen: Sporten of bewegen, ontspannen: Muziek of iets anders leuks, weet-niet: Weet ik niet)',
					'vraag praten': null,
					'open vraag': 'Wil je nog iets kwijt over de les? Schrijf geen namen op.'
				},
				after: {
					'vraag niet-alleen': 'schaal 1–5: Ik voel me minder alleen met tegenslag. → VV-T2-NIET-ALLEEN',
					'vraag helpt': null,
					'vraag praten': 'ja/nee: Praat je erover? → VV-T2-S1-DOEL',
					'open vraag': null
				}
			},
			{
				item: 'peilingsjabloon tweede',
				before: null,
				after: expect.objectContaining({
					naam: 'Tweede peiling',
					'vraag geslacht': 'keuze: Ben je een meisje, een jongen of anders? → uitsplitsing naar geslacht'
				})
			}
		]);
		const dropped = plan();
		delete dropped.pollTemplates;
		expect(planChanges(before, dropped)).toEqual([
			{
				item: 'peilingsjabloon na-de-les-tegenslag',
				before: expect.objectContaining({ naam: 'Peiling na de les over tegenslag' }),
				after: { verwijderd: true }
			}
		]);
	});

	it('should list a changed retention of poll answers as a change of the programme', () => {
		const after = plan();
		after.programme.pollRetentionDays = 30;
		expect(planChanges(plan(), after)).toEqual([
			{ item: 'programme', before: { pollRetentionDays: null }, after: { pollRetentionDays: 30 } }
		]);
	});

	it('should not list items the new plan leaves out (loading never deletes)', () => {
		const after = plan();
		after.organisations = [];
		expect(planChanges(plan(), after)).toEqual([]);
	});
});
