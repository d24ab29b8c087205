import { plural } from './dutch-format.ts';
import {
	actionOnNode,
	TARGET_GROUP_KEYS,
	type ActionFact,
	type DerivedComputation,
	type IndicatorNode,
	type TargetGroup
} from './derived.ts';

/** What the action form starts with and how the action pages word things: pure rules, tested apart. */

/** Each target group as one and as many ("1 professional", "2 professionals"). */
export const TARGET_GROUP_NOUN: Record<TargetGroup, readonly [one: string, many: string]> = {
	jongeren: ['jongere', 'jongeren'],
	ouders: ['ouder', 'ouders'],
	professionals: ['professional', 'professionals']
};

/** "40 ouders, 1 professional"; "niemand geteld" when every count is 0. */
export const reachedText = (reached: Record<TargetGroup, number>) =>
	TARGET_GROUP_KEYS.filter((g) => reached[g] > 0)
		.map((g) => plural(reached[g], ...TARGET_GROUP_NOUN[g]))
		.join(', ') || 'niemand geteld';

/**
 * Labels made unique where choices share a name: "Theater" in two themes becomes "Theater — Thema 2. Ouders"
 * and "Theater — Thema 3. School", so a closed select (which shows no group) still says which one is chosen.
 */
export function distinctLabels<T extends { label: string; theme: string }>(choices: readonly T[]): T[] {
	const count = new Map<string, number>();
	for (const c of choices) count.set(c.label, (count.get(c.label) ?? 0) + 1);
	return choices.map((c) => (count.get(c.label)! > 1 ? { ...c, label: `${c.label} — ${c.theme}` } : c));
}

/**
 * The form's region, so the defaults never make an invalid form: the chosen organisation's region, else the
 * region this person used last, else the only region there is; empty (the person must choose) otherwise.
 */
export function defaultRegion(
	organisationRegion: string | null,
	lastRegion: string | null,
	regions: readonly string[]
): string {
	const known = (slug: string | null) => (slug !== null && regions.includes(slug) ? slug : null);
	return known(organisationRegion) ?? known(lastRegion) ?? (regions.length === 1 ? regions[0] : '');
}

/** The list's "Mijn acties" switch (`?mijn=1` / `?mijn=0`); without it, on for those who log actions but edit only their own. */
export const MINE_PARAM = 'mijn';
export function showMine(param: string | null, logsOwnOnly: boolean): boolean {
	if (param === '1') return true;
	if (param === '0') return false;
	return logsOwnOnly;
}

/** A derived indicator as the action form sees it: where it hangs and what it counts (with its split). */
export interface ReachIndicator {
	node: IndicatorNode;
	rule: DerivedComputation;
}

/**
 * The target groups whose reach an action at this place counts in: for each derived reach indicator the
 * action belongs to (its solution, next step, theme, or an ambition or outcome), the groups of its split,
 * or its one target group. Sorted as TARGET_GROUP_KEYS; empty when no indicator counts reach here.
 */
export function reachAsked(
	place: Pick<ActionFact, 'themeId' | 'nextStepId' | 'solutionId'>,
	indicators: readonly ReachIndicator[]
): TargetGroup[] {
	const asked = new Set<TargetGroup>();
	for (const { node, rule } of indicators) {
		if (rule.measure !== 'reached' || !actionOnNode(place, node)) continue;
		for (const g of rule.split?.groups ?? (rule.targetGroup ? [rule.targetGroup] : TARGET_GROUP_KEYS)) asked.add(g);
	}
	return TARGET_GROUP_KEYS.filter((g) => asked.has(g));
}

/**
 * Which reach fields the action form shows at once and which wait behind "Andere doelgroepen": the groups
 * asked for first, every group when nothing asks (the log still records reach). `open`: a waiting field holds
 * a count or an error, so it must be seen (it is never hidden, and never lost on saving: it is still posted).
 * Fields do not move while one types; only which groups are asked moves them.
 */
export function reachFields(
	asked: readonly TargetGroup[],
	values: Readonly<Record<string, string | undefined>>,
	errors: Readonly<Record<string, string | undefined>>
): { shown: TargetGroup[]; more: TargetGroup[]; open: boolean } {
	const shown = TARGET_GROUP_KEYS.filter((g) => asked.length === 0 || asked.includes(g));
	const more = TARGET_GROUP_KEYS.filter((g) => !shown.includes(g));
	const filled = (g: TargetGroup) => !!errors[g] || !['', '0'].includes((values[g] ?? '').trim());
	return { shown, more, open: more.some(filled) };
}
