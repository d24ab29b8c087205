import type { Aggregation, DerivedRule, Direction, Frequency, Unit } from './plan.schema.ts';

/** Whom an indicator or action reaches; also the system map's perspectives. */
export const TARGET_GROUPS = ['jongeren', 'ouders', 'professionals'] as const;

/** The kompas as pages and the API show it. */

export type { DerivedRule };

export interface IndicatorView {
	id: number;
	code: string;
	library: string | null;
	name: string;
	definition: string;
	kind: 'population' | 'programme';
	unit: Unit;
	direction: Direction;
	rba: 'how_much' | 'how_well' | 'better_off';
	targetGroup: string;
	source: string;
	method: string;
	frequency: Frequency;
	aggregation: Aggregation;
	owner: string | null;
	baseline: { value: number; date: string | null; source: string | null; demo: boolean } | null;
	target: { value: number; date: string | null; demo: boolean } | null;
	/** true when any figure of the plan (baseline or target) is invented */
	demo: boolean;
	derived: DerivedRule | null;
	node: { level: NodeLevel; id: number };
}

export type NodeLevel = 'ambition' | 'outcome' | 'theme' | 'nextStep' | 'solution';

export interface NodeView {
	id: number;
	code: string;
	title: string;
	description: string;
	indicators: IndicatorView[];
}

export type SolutionView = NodeView;
export interface NextStepView extends NodeView {
	goal: string;
	impact: string;
	solutions: SolutionView[];
}
export interface ThemeView extends NodeView {
	number: number;
	level: number | null;
	trend: string | null;
	nextSteps: NextStepView[];
}

export interface ProgrammeView {
	id: number;
	slug: string;
	name: string;
	description: string;
	start: string;
	source: string;
}

export interface Kompas {
	programme: ProgrammeView;
	ambitions: NodeView[];
	outcomes: NodeView[];
	themes: ThemeView[];
}

export const NODE_LEVEL_LABEL: Record<NodeLevel, string> = {
	ambition: 'Ambitie',
	outcome: 'Maatschappelijk resultaat',
	theme: 'Thema',
	nextStep: 'Vervolgstap',
	solution: 'Oplossing'
};

export const UNIT_LABEL: Record<Unit, string> = {
	percent: 'procent',
	count: 'aantal',
	score: 'score',
	text: 'verhalen'
};
export const DIRECTION_LABEL: Record<Direction, string> = {
	lower_is_better: 'lager is beter',
	higher_is_better: 'hoger is beter',
	none: 'geen richting'
};
export const RBA_LABEL: Record<IndicatorView['rba'], string> = {
	how_much: 'Hoeveel deden we?',
	how_well: 'Hoe goed deden we het?',
	better_off: 'Is iemand beter af?'
};
export const KIND_LABEL: Record<IndicatorView['kind'], string> = {
	population: 'populatie-indicator',
	programme: 'programma-indicator'
};
export const AGGREGATION_LABEL: Record<Aggregation, string> = {
	sum: 'som',
	mean: 'gemiddelde',
	weighted_mean: 'gewogen gemiddelde (naar n)',
	latest: 'laatste waarde'
};
export const FREQUENCY_LABEL: Record<string, string> = {
	per_phase: 'per fase',
	yearly: 'jaarlijks',
	every_2_years: 'tweejaarlijks',
	every_4_years: 'vierjaarlijks',
	once: 'eenmalig'
};

/** A value with its unit, Dutch notation. */
/** made once: a number format is costly to build, and pages format thousands of values */
const ONE_DECIMAL = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 1 });

export function formatValue(value: number | null, unit: Unit): string {
	if (value === null) return '—';
	const n = ONE_DECIMAL.format(value);
	return unit === 'percent' ? `${n}%` : n;
}
