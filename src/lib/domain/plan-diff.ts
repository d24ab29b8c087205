import type { Plan, PlanIndicator, RegionInput } from './plan.schema.ts';
import type { Dimension } from './breakdown.ts';
import type { PollTemplate, PollTemplateQuestion } from './poll.ts';

/** One plan item a load added or changed: its fields before (null when new) and after, changed fields only. */
export interface PlanItemChange {
	/** e.g. "indicator VV-T1-AANDACHT", "theme VV-T1", "region obs-haarzicht", "dimensie geslacht" */
	item: string;
	before: Record<string, unknown> | null;
	after: Record<string, unknown>;
}

type Fields = Record<string, unknown>;

/** The key of a dimension's item: its changes are named in Dutch, as the leads who edit them read them. */
const DIMENSION_ITEM = 'dimensie';

/** A dimension as its item lists it: its name and each value in words ("meisje: Meisje (gearchiveerd)"). */
const dimensionFields = (d: Dimension): Fields => ({
	naam: d.name,
	waarden: d.values.map((v) => `${v.key}: ${v.name}${v.archived ? ' (gearchiveerd)' : ''}`)
});

/** The key of a poll template's item, in Dutch like a dimension's. */
const TEMPLATE_ITEM = 'peilingsjabloon';
const KIND_LABEL: Record<PollTemplateQuestion['kind'], string> = {
	scale: 'schaal 1–5',
	yesno: 'ja/nee',
	choice: 'keuze'
};

/** A poll question in words, on one line: "schaal 1–5: Ik voel vaak druk … → ZKL-MR-1-PILOT". */
function questionText(q: PollTemplateQuestion): string {
	const options = q.options ? ` (${q.options.map((o) => `${o.key}: ${o.name}`).join(', ')})` : '';
	const feeds = q.indicator
		? ` → ${q.indicator}${q.option ? ` (aandeel ${q.option})` : ''}`
		: q.dimension
			? ` → uitsplitsing naar ${q.dimension}`
			: '';
	return `${KIND_LABEL[q.kind]}: ${q.text}${options}${feeds}`;
}

/** A template as its item lists it: name, intro, each question as a field of its own ("vraag druk"), the open question. */
const templateFields = (t: PollTemplate): Fields => ({
	naam: t.name,
	...(t.intro ? { intro: t.intro } : {}),
	...Object.fromEntries(t.questions.map((q) => [`vraag ${q.key}`, questionText(q)])),
	...(t.openQuestion ? { 'open vraag': t.openQuestion } : {})
});

/** Every item of a plan by a readable key, without its children (they are items of their own). */
export function planItems(plan: Plan): Map<string, Fields> {
	const items = new Map<string, Fields>();
	items.set('programme', { ...plan.programme });
	for (const d of plan.dimensions ?? []) items.set(`${DIMENSION_ITEM} ${d.key}`, dimensionFields(d));
	for (const t of plan.pollTemplates ?? []) items.set(`${TEMPLATE_ITEM} ${t.key}`, templateFields(t));
	const regions = (list: RegionInput[], parent: string | null) => {
		for (const { children, ...r } of list) {
			items.set(`region ${r.slug}`, { ...r, parent });
			regions(children ?? [], r.slug);
		}
	};
	regions(plan.regions, null);
	for (const o of plan.organisations ?? []) items.set(`organisation ${o.name}`, { ...o });
	for (const y of plan.schoolYears ?? []) items.set(`schoolYear ${y.name}`, { ...y });
	const indicators = (list: PlanIndicator[], node: string) => {
		// period targets are stored by date: a file listing them in another order changes nothing
		for (const i of list)
			items.set(`indicator ${i.code}`, {
				...i,
				...(i.targets ? { targets: [...i.targets].sort((a, b) => a.date.localeCompare(b.date)) } : {}),
				// the rules in one key order, whatever order the file wrote them in
				...(i.rules ? { rules: { min: i.rules.min, max: i.rules.max, maxChange: i.rules.maxChange } } : {}),
				node
			});
	};
	for (const { indicators: list, ...a } of plan.ambitions) {
		items.set(`ambition ${a.code}`, a);
		indicators(list, a.code);
	}
	for (const { indicators: list, ...o } of plan.outcomes) {
		items.set(`outcome ${o.code}`, o);
		indicators(list, o.code);
	}
	for (const { indicators: list, nextSteps, ...t } of plan.themes) {
		items.set(`theme ${t.code}`, t);
		indicators(list, t.code);
		for (const { indicators: stepList, solutions, ...s } of nextSteps) {
			items.set(`nextStep ${s.code}`, { ...s, theme: t.code });
			indicators(stepList, s.code);
			for (const { indicators: solutionList, ...o } of solutions) {
				items.set(`solution ${o.code}`, { ...o, nextStep: s.code });
				indicators(solutionList, o.code);
			}
		}
	}
	return items;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What a plan load changed, item by item: items that are new, and the changed fields of items that
 * were there. Items missing from the new plan are not listed: loading never deletes — except a
 * dimension or a poll template, which live in the programme's row and go when the file leaves them out
 * (the loader has refused that already when measurements carry the dimension): listed as `verwijderd`.
 * A template's question is a field of its own: a changed, added or dropped question is named by its key.
 */
export function planChanges(before: Plan, after: Plan): PlanItemChange[] {
	const old = planItems(before);
	const current = planItems(after);
	const changes: PlanItemChange[] = [];
	for (const [item, now] of current) {
		const was = old.get(item);
		if (!was) {
			changes.push({ item, before: null, after: now });
			continue;
		}
		const fields = [...new Set([...Object.keys(was), ...Object.keys(now)])].filter((f) => !same(was[f], now[f]));
		if (fields.length) changes.push({ item, before: pick(was, fields), after: pick(now, fields) });
	}
	for (const [item, was] of old)
		if ((item.startsWith(`${DIMENSION_ITEM} `) || item.startsWith(`${TEMPLATE_ITEM} `)) && !current.has(item))
			changes.push({ item, before: was, after: { verwijderd: true } });
	return changes;
}

const pick = (o: Fields, fields: string[]): Fields => Object.fromEntries(fields.map((f) => [f, o[f] ?? null]));
