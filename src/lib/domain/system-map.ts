import { TARGET_GROUPS } from './kompas.ts';
import { onTrackOf, type ProgrammeProgress, type ProgressNode } from './programme-progress.ts';
import type { Status, Trend } from './on-track.ts';

/**
 * The system map, "De som der delen" (Vleuten Versterkt's final report): the next steps placed by the level
 * they act on and the perspectives they act from, each with its theme, its societal trend and its status.
 *
 * - Levels, from the reports' system maps: 0 maatschappelijke norm, 1 overtuigingen, 2 gedrag, 3 uitingsvormen.
 * - Perspectives: jongeren, ouders, professionals (the programme's target groups).
 * - A next step's placement is its own, field by field, else its theme's (in Vleuten each theme has one step,
 *   and the report placed the themes).
 * - A next step's status and trend: onTrackOf over its own indicators and its solutions' (the theme's rule).
 */

export const PERSPECTIVES = TARGET_GROUPS;
export type Perspective = (typeof PERSPECTIVES)[number];
export const MAP_LEVELS = [0, 1, 2, 3] as const;
export type MapLevel = (typeof MAP_LEVELS)[number];

export const LEVEL_LABEL: Record<MapLevel, string> = {
	0: 'maatschappelijke norm',
	1: 'overtuigingen',
	2: 'gedrag',
	3: 'uitingsvormen'
};
export const PERSPECTIVE_LABEL: Record<Perspective, string> = {
	jongeren: 'jongeren',
	ouders: 'ouders',
	professionals: 'professionals'
};

/** "1 · overtuigingen"; "niveau niet opgegeven" for none. */
export const levelText = (level: number | null) =>
	level === null ? 'niveau niet opgegeven' : `${level} · ${LEVEL_LABEL[level as MapLevel] ?? '?'}`;

export interface Placement {
	level: number | null;
	perspectives: Perspective[];
	trend: string | null;
}

export const NO_PLACEMENT: Placement = { level: null, perspectives: [], trend: null };

const isPerspective = (v: string): v is Perspective => PERSPECTIVES.some((p) => p === v);

/** A set of perspectives as stored: comma-separated in PERSPECTIVES order; null for none. */
export function storePerspectives(list: readonly string[] | null | undefined): string | null {
	const set = new Set(list ?? []);
	const ordered = PERSPECTIVES.filter((p) => set.has(p));
	return ordered.length ? ordered.join(',') : null;
}

/** The stored column back as a list in PERSPECTIVES order (anything else in it is left out). */
export function parsePerspectives(stored: string | null | undefined): Perspective[] {
	const set = new Set((stored ?? '').split(',').map((p) => p.trim()));
	return PERSPECTIVES.filter((p) => set.has(p) && isPerspective(p));
}

/** A stored row's placement columns as a Placement. */
export const placementOf = (row: { level: number | null; perspectives: string | null; trend: string | null }) => ({
	level: row.level,
	perspectives: parsePerspectives(row.perspectives),
	trend: row.trend
});

/** A next step's placement: each field its own, else its theme's. */
export function stepPlacement(own: Placement, theme: Placement): Placement & { inherited: boolean } {
	const level = own.level ?? theme.level;
	const perspectives = own.perspectives.length ? own.perspectives : theme.perspectives;
	const trend = own.trend ?? theme.trend;
	const inherited =
		(own.level === null && theme.level !== null) ||
		(own.perspectives.length === 0 && theme.perspectives.length > 0) ||
		(own.trend === null && theme.trend !== null);
	return { level, perspectives, trend, inherited };
}

export interface MapStep {
	id: number;
	code: string;
	title: string;
	theme: { id: number; number: number; code: string; title: string };
	level: number | null;
	perspectives: Perspective[];
	/** the societal trend it answers (the plan's), not the figures' trend */
	societalTrend: string | null;
	/** the placement (some of it) comes from the theme */
	inherited: boolean;
	/** null = niet te bepalen (onTrackOf) */
	status: Status | null;
	/** beter / gelijk / slechter of its indicators' figures; null = geen trend */
	trend: Trend | null;
}

export interface MapRow {
	/** null: the steps without a level */
	level: number | null;
	label: string;
	/** every step on this level, once, in plan order */
	steps: MapStep[];
	/** per perspective (PERSPECTIVES order) the steps acting from it on this level */
	cells: { perspective: Perspective; steps: MapStep[] }[];
	/** steps on this level that name no perspective */
	withoutPerspective: MapStep[];
}

export interface SystemMap {
	steps: MapStep[];
	/**
	 * levels 0 … 3 in the reports' reading order (norm, overtuigingen, gedrag, uitingsvormen) when any step has a
	 * level, then "niveau niet opgegeven" when a step has none
	 */
	rows: MapRow[];
	/** a step placed nowhere at all: no level and no perspective */
	unplaced: number;
	/** the distinct levels and perspectives the steps cover ("de som der delen") */
	covers: { levels: number[]; perspectives: Perspective[] };
}

type PlacedNode = ProgressNode & { placement?: Placement };

/**
 * The map of a programme's live next steps from its progress (status, trend) and its nodes' placement. Pure:
 * the caller passes the progress input's themes and next steps (with `placement`) and the computed progress.
 */
export function systemMap(
	nodes: { themes: readonly (PlacedNode & { number: number })[]; nextSteps: readonly PlacedNode[] },
	progress: Pick<ProgrammeProgress, 'indicators'>
): SystemMap {
	const themeById = new Map(nodes.themes.map((t) => [t.id, t]));
	const steps: MapStep[] = [];
	for (const s of nodes.nextSteps) {
		const theme = s.parentId === null ? undefined : themeById.get(s.parentId);
		if (!theme) continue;
		const place = stepPlacement(s.placement ?? NO_PLACEMENT, theme.placement ?? NO_PLACEMENT);
		const { status, trend } = onTrackOf(progress.indicators.filter((i) => i.nextStepId === s.id));
		steps.push({
			id: s.id,
			code: s.code,
			title: s.title,
			theme: { id: theme.id, number: theme.number, code: theme.code, title: theme.title },
			level: place.level,
			perspectives: place.perspectives,
			societalTrend: place.trend,
			inherited: place.inherited,
			status,
			trend
		});
	}
	const row = (level: number | null): MapRow => {
		const here = steps.filter((s) => s.level === level);
		return {
			level,
			label: levelText(level),
			steps: here,
			cells: PERSPECTIVES.map((perspective) => ({
				perspective,
				steps: here.filter((s) => s.perspectives.includes(perspective))
			})),
			withoutPerspective: here.filter((s) => s.perspectives.length === 0)
		};
	};
	// the four levels when any step has one (an empty level says something); else only "niveau niet opgegeven"
	const rows = steps.some((s) => s.level !== null) ? MAP_LEVELS.map(row) : [];
	if (steps.some((s) => s.level === null)) rows.push(row(null));
	return {
		steps,
		rows,
		unplaced: steps.filter((s) => s.level === null && s.perspectives.length === 0).length,
		covers: {
			levels: [...new Set(steps.flatMap((s) => (s.level === null ? [] : [s.level])))].sort((a, b) => a - b),
			perspectives: PERSPECTIVES.filter((p) => steps.some((s) => s.perspectives.includes(p)))
		}
	};
}

/** What the steps cover together, in one sentence ("de som der delen"). */
export function coversText({ covers }: Pick<SystemMap, 'covers'>): string {
	const levels = covers.levels.length ? `op ${covers.levels.length} van de ${MAP_LEVELS.length} niveaus` : null;
	const perspectives = covers.perspectives.length
		? `vanuit ${covers.perspectives.length} van de ${PERSPECTIVES.length} perspectieven`
		: null;
	if (!levels && !perspectives)
		return 'Het plan geeft nog geen niveaus of perspectieven; een projectleider vult ze in bij het meetplan.';
	const together = `De vervolgstappen werken samen ${[levels, perspectives].filter(Boolean).join(' en ')}`;
	if (!levels) return `${together}; het plan geeft geen niveaus.`;
	if (!perspectives) return `${together}; het plan geeft geen perspectieven.`;
	return `${together}.`;
}
