import type { NodeLevel } from '$lib/domain/kompas';
import { LEVELS } from '$lib/domain/plan-edit';

/** Levels as they appear in URLs (Dutch) and back. */
export const LEVEL_SLUG: Record<NodeLevel, string> = {
	ambition: 'ambitie',
	outcome: 'resultaat',
	theme: 'thema',
	nextStep: 'vervolgstap',
	solution: 'oplossing'
};
export const levelFromSlug = (slug: string | null): NodeLevel | null =>
	LEVELS.find((level) => LEVEL_SLUG[level] === slug) ?? null;
