import { seededRandom } from '../../src/lib/domain/demo-data.ts';
import { defaultSchoolYear } from '../../src/lib/domain/phase-calendar.ts';

/**
 * A synthetic national-scale database for the benchmark (and a mid-sized one for the query-budget test):
 * programmes with a region tree, themes > next steps > solutions, indicators of every kind, approved
 * (and some submitted) measurements per phase, actions, and evaluations. Deterministic. Rows come out
 * table by table in foreign-key order; ids are implied by insertion order into an empty database.
 */
export interface SyntheticSize {
	programmes: number;
	regions: number;
	indicators: number;
	measurements: number;
	actions: number;
	schoolYears: number;
}

export const BENCH_SIZE: SyntheticSize = {
	programmes: 20,
	regions: 500,
	indicators: 2_000,
	measurements: 1_000_000,
	actions: 200_000,
	schoolYears: 10
};
export const MID_SIZE: SyntheticSize = {
	programmes: 3,
	regions: 60,
	indicators: 240,
	measurements: 30_000,
	actions: 6_000,
	schoolYears: 3
};

export type Row = Record<string, string | number | null>;
export interface TableRows {
	table: string;
	rows: Row[];
}

const THEMES = 5;
const STEPS_PER_THEME = 2;
const SOLUTIONS_PER_STEP = 2;
const KINDS = ['bijeenkomst', 'les', 'sessie', 'gesprek', 'campagne-uiting', 'overleg', 'anders'];
const STATUSES = ['op_koers', 'aandacht_nodig', 'bijsturen'];
const DECISIONS = ['voortzetten', 'versterken', 'bijstellen', 'stoppen'];

export const syntheticSlug = (p: number) => `programma-${String(p + 1).padStart(2, '0')}`;

/** Every synthetic programme's dimensions (breakdown.ts): the bench filters by `?geslacht=meisje`. */
export const SYNTHETIC_DIMENSIONS = [
	{
		key: 'geslacht',
		name: 'Geslacht',
		values: [
			{ key: 'meisje', name: 'Meisje' },
			{ key: 'jongen', name: 'Jongen' },
			{ key: 'anders-onbekend', name: 'Anders/onbekend' }
		]
	},
	{
		key: 'doelgroep',
		name: 'Doelgroep',
		values: [
			{ key: 'jongeren', name: 'Jongeren' },
			{ key: 'ouders', name: 'Ouders' },
			{ key: 'professionals', name: 'Professionals' }
		]
	}
];

/**
 * A measurement's categories by gender, consistent with its total: meisje and jongen share the n (their
 * n-weighted mean is the total), and one in four also has a small anders-onbekend group; counts split the value.
 */
function genderCategories(unit: string, value: number, n: number, rnd: () => number) {
	const small = rnd() < 0.25 ? 2 + Math.floor(rnd() * 6) : 0;
	const girls = Math.round((n - small) * (0.45 + rnd() * 0.1));
	const boys = n - small - girls;
	if (unit === 'count') {
		const g = Math.round((value * girls) / n);
		const b = small ? Math.min(value - g, Math.round((value * boys) / n)) : value - g;
		return [
			{ dimension: 'geslacht', category: 'meisje', value: g },
			{ dimension: 'geslacht', category: 'jongen', value: b },
			...(small ? [{ dimension: 'geslacht', category: 'anders-onbekend', value: value - g - b }] : [])
		];
	}
	const gap = unit === 'score' ? 0.8 : 8;
	const round = (x: number) => Math.round(x * 10) / 10;
	return [
		{ dimension: 'geslacht', category: 'meisje', value: round(value + (gap * boys) / (girls + boys)), n: girls },
		{ dimension: 'geslacht', category: 'jongen', value: round(value - (gap * girls) / (girls + boys)), n: boys },
		...(small ? [{ dimension: 'geslacht', category: 'anders-onbekend', value: round(value), n: small }] : [])
	];
}

/** Every table's rows, in insertion order. */
export function syntheticTables(size: SyntheticSize): TableRows[] {
	const rnd = seededRandom(20261123);
	// categories from a generator of their own, so every other row is what it was before breakdowns
	const categoryRnd = seededRandom(17);
	const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
	const P = size.programmes;
	const regionsPer = Math.max(3, Math.floor(size.regions / P));
	const districts = Math.max(1, Math.round(Math.sqrt(regionsPer - 1) / 1.2));
	const indicatorsPer = Math.max(10, Math.floor(size.indicators / P));
	const firstYear = 2025 - size.schoolYears + 1;
	const years = Array.from({ length: size.schoolYears }, (_, k) => defaultSchoolYear(firstYear + k));

	const t: Record<string, Row[]> = {
		programmes: [],
		regions: [],
		school_years: [],
		phases: [],
		ambitions: [],
		outcomes: [],
		themes: [],
		next_steps: [],
		solutions: [],
		indicators: [],
		measurements: [],
		actions: [],
		evaluations: []
	};
	const ids = { region: 0, phase: 0, theme: 0, step: 0, solution: 0, ambition: 0, outcome: 0, indicator: 0 };
	const node = (programme: number, code: string, title: string, k: number) => ({
		programme_id: programme,
		code,
		title,
		description: '',
		sort_order: k
	});

	for (let p = 0; p < P; p++) {
		const pid = p + 1;
		const slug = syntheticSlug(p);
		t.programmes.push({
			slug,
			name: `Programma ${p + 1}`,
			description: 'Synthetisch programma voor de benchmark',
			start_date: `${firstYear}-08-01`,
			source: 'benchmark',
			dimensions: JSON.stringify(SYNTHETIC_DIMENSIONS)
		});

		const root = ++ids.region;
		t.regions.push({
			programme_id: pid,
			parent_id: null,
			slug: `${slug}-regio`,
			name: `Regio ${p + 1}`,
			kind: 'regio',
			sort_order: 0
		});
		const districtIds: number[] = [];
		for (let d = 0; d < districts; d++) {
			districtIds.push(++ids.region);
			t.regions.push({
				programme_id: pid,
				parent_id: root,
				slug: `wijk-${d + 1}`,
				name: `Wijk ${d + 1}`,
				kind: 'wijk',
				sort_order: d
			});
		}
		const leaves: number[] = [];
		for (let s = 0; s < regionsPer - 1 - districts; s++) {
			leaves.push(++ids.region);
			t.regions.push({
				programme_id: pid,
				parent_id: districtIds[s % districts],
				slug: `school-${s + 1}`,
				name: `School ${s + 1}`,
				kind: 'school',
				sort_order: s
			});
		}

		const phases: { id: number; start: string; end: string }[] = [];
		years.forEach((y, k) => {
			t.school_years.push({ programme_id: pid, name: y.name });
			const yearId = p * size.schoolYears + k + 1;
			y.phases.forEach((ph, j) => {
				phases.push({ id: ++ids.phase, start: ph.start, end: ph.end });
				t.phases.push({
					programme_id: pid,
					school_year_id: yearId,
					name: ph.name,
					start_date: ph.start,
					end_date: ph.end,
					evaluation_date: ph.evaluationDate,
					sort_order: j
				});
			});
		});

		const ambition = ++ids.ambition;
		t.ambitions.push(node(pid, `P${pid}-AMB`, 'Jongeren ervaren minder druk', 0));
		const outcome = ++ids.outcome;
		t.outcomes.push(node(pid, `P${pid}-MR`, 'Minder trajecten in de jeugdhulp', 0));
		const themes: number[] = [];
		const steps: { id: number; theme: number }[] = [];
		const solutions: { id: number; step: number }[] = [];
		for (let th = 0; th < THEMES; th++) {
			const themeId = ++ids.theme;
			themes.push(themeId);
			t.themes.push({
				...node(pid, `P${pid}-T${th + 1}`, `Thema ${th + 1}`, th),
				number: th + 1,
				level: th % 4,
				trend: null
			});
			for (let s = 0; s < STEPS_PER_THEME; s++) {
				const stepId = ++ids.step;
				steps.push({ id: stepId, theme: themeId });
				t.next_steps.push({
					...node(pid, `P${pid}-T${th + 1}-VS${s + 1}`, `Vervolgstap ${th + 1}.${s + 1}`, s),
					theme_id: themeId,
					goal: 'doel',
					impact: 'impact'
				});
				for (let o = 0; o < SOLUTIONS_PER_STEP; o++) {
					solutions.push({ id: ++ids.solution, step: stepId });
					t.solutions.push({
						...node(pid, `P${pid}-T${th + 1}-VS${s + 1}-S${o + 1}`, `Oplossing ${th + 1}.${s + 1}.${o + 1}`, o),
						next_step_id: stepId
					});
				}
			}
		}

		// indicators: a few on Beleid, the rest spread over themes, steps and solutions
		const measured: { id: number; unit: string; split: boolean }[] = [];
		for (let k = 0; k < indicatorsPer; k++) {
			const id = ++ids.indicator;
			const slot = k % 10;
			const at =
				k < 4
					? { ambition_id: ambition }
					: k < 6
						? { outcome_id: outcome }
						: slot < 2
							? { theme_id: themes[k % THEMES] }
							: slot < 5
								? { next_step_id: steps[k % steps.length].id }
								: { solution_id: solutions[k % solutions.length].id };
			const population = k < 6;
			const derived = !population && 'solution_id' in at && k % 4 === 0;
			const flow = !population && !derived && k % 7 === 3;
			const text = !population && !derived && k % 23 === 5;
			const unit = text ? 'text' : derived || flow ? 'count' : k % 9 === 2 ? 'score' : 'percent';
			const aggregation = derived || flow ? 'sum' : unit === 'score' ? 'mean' : population ? 'latest' : 'weighted_mean';
			const down = k % 5 === 1;
			// one in five split: measured ones by gender, derived reach by target group (a count of actions is never split)
			const reach = derived && k % 8 !== 0;
			const split = !text && (derived ? reach && k % 3 === 0 : k % 5 === 4);
			const baseline = unit === 'count' ? 0 : down ? 40 : 30;
			const target = unit === 'count' ? 200 : down ? 25 : 60;
			t.indicators.push({
				programme_id: pid,
				code: `P${pid}-I${k + 1}`,
				library_code: null,
				...{ ambition_id: null, outcome_id: null, theme_id: null, next_step_id: null, solution_id: null, ...at },
				name: `Indicator ${k + 1}`,
				definition: 'synthetisch',
				kind: population ? 'population' : 'programme',
				unit,
				direction: text ? 'none' : down ? 'lower_is_better' : 'higher_is_better',
				rba: 'better_off',
				target_group: 'jongeren',
				source: 'benchmark',
				method: 'synthetisch',
				frequency: population ? 'every_4_years' : 'per_phase',
				aggregation,
				owner: null,
				baseline_value: text ? null : baseline,
				baseline_date: `${firstYear}-09-01`,
				baseline_source: 'benchmark',
				baseline_demo: 1,
				target_value: text ? null : target,
				target_date: `${firstYear + size.schoolYears}-06-30`,
				target_demo: 1,
				derived: derived
					? JSON.stringify(
							!reach
								? { measure: 'actions' }
								: split
									? { measure: 'reached' }
									: { measure: 'reached', targetGroup: 'jongeren' }
						)
					: null,
				dimensions: split ? JSON.stringify([derived ? 'doelgroep' : 'geslacht']) : null,
				sort_order: k
			});
			if (!derived && !text) measured.push({ id, unit, split });
		}

		// measurements: each measured indicator in a rotating set of schools at every phase end
		const perProgramme = Math.floor(size.measurements / P);
		const perIndicator = Math.ceil(perProgramme / measured.length);
		const regionsPerIndicator = Math.max(1, Math.min(leaves.length, Math.ceil(perIndicator / phases.length)));
		let written = 0;
		for (const [m, ind] of measured.entries()) {
			for (let r = 0; r < regionsPerIndicator && written < perProgramme; r++) {
				const region = leaves[(m + r) % leaves.length];
				for (let ph = 0; ph < phases.length && written < perProgramme; ph++) {
					const progress = (ph + 1) / phases.length;
					const value =
						ind.unit === 'count'
							? Math.round(rnd() * 40)
							: Math.round((30 + 30 * progress + (rnd() - 0.5) * 20) * 10) / 10;
					const n = 20 + Math.floor(rnd() * 200);
					t.measurements.push({
						indicator_id: ind.id,
						region_id: region,
						date: phases[ph].end,
						value,
						n,
						categories: ind.split ? JSON.stringify(genderCategories(ind.unit, value, n, categoryRnd)) : null,
						source: 'benchmark',
						status: rnd() < 0.9 ? 'approved' : 'submitted',
						demo: 1
					});
					written++;
				}
			}
		}

		// actions spread over the school years
		const perProgrammeActions = Math.floor(size.actions / P);
		for (let a = 0; a < perProgrammeActions; a++) {
			const phase = phases[Math.floor(rnd() * phases.length)];
			const sol = pick(solutions);
			const day = new Date(
				Date.parse(phase.start) + Math.floor(rnd() * (Date.parse(phase.end) - Date.parse(phase.start) + 86_400_000))
			)
				.toISOString()
				.slice(0, 10);
			const quoted = rnd() < 0.2;
			t.actions.push({
				programme_id: pid,
				date: day,
				next_step_id: sol.step,
				solution_id: rnd() < 0.8 ? sol.id : null,
				kind: pick(KINDS),
				organisation_id: null,
				region_id: rnd() < 0.9 ? pick(leaves) : pick(districtIds),
				reached_jongeren: Math.floor(rnd() * 30),
				reached_ouders: Math.floor(rnd() * 10),
				reached_professionals: Math.floor(rnd() * 4),
				description: 'Synthetische actie',
				quote: quoted ? `Synthetisch verhaal ${a}` : null,
				quote_public: quoted && rnd() < 0.5 ? 1 : 0,
				demo: 1
			});
		}

		// evaluations: every step in every past phase, final
		for (const step of steps)
			for (const phase of phases)
				if (phase.end < '2026-01-01')
					t.evaluations.push({
						next_step_id: step.id,
						phase_id: phase.id,
						state: 'final',
						status: pick(STATUSES),
						done: 'synthetisch',
						story: 'synthetisch',
						learnings: '',
						decision: pick(DECISIONS)
					});
	}
	return Object.entries(t).map(([table, rows]) => ({ table, rows }));
}
