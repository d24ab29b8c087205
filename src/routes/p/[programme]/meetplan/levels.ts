import type { NodeLevel } from '$lib/domain/kompas';

/** Levels as they appear in URLs (Dutch) and back. */
export const LEVEL_SLUG: Record<NodeLevel, string> = {
	ambition: 'ambitie',
	outcome: 'resultaat',
	theme: 'thema',
	nextStep: 'vervolgstap',
	solution: 'oplossing'
};
export const levelFromSlug = (slug: string | null): NodeLevel | null =>
	(Object.entries(LEVEL_SLUG).find(([, s]) => s === slug)?.[0] as NodeLevel | undefined) ?? null;
