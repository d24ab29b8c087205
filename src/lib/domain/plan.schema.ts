import { z } from 'zod';
import { int32 } from './input-rules.ts';
import { ruleIssues } from './value-rules.ts';
import { categoryTargetSchema, dimensionsSchema, MAX_DIMENSIONS } from './breakdown.ts';
import { MIN_GROUP_SIZE_RANGE } from './small-groups.ts';
import { pollTemplatesSchema, RETENTION_DAYS_RANGE } from './poll.ts';

/** One definition of the plan file format under `indicators/` (YAML). */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isoDate = z.string().regex(ISO_DATE, 'verwacht een datum als JJJJ-MM-DD');
const code = z
	.string()
	.regex(/^[A-Z0-9]+(-[A-Z0-9]+)*$/, 'code: hoofdletters, cijfers en streepjes, bijv. VV-T1-S1-BEREIK');
const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'slug: kleine letters, cijfers en streepjes');

export const UNITS = ['percent', 'count', 'score', 'text'] as const;
export const DIRECTIONS = ['lower_is_better', 'higher_is_better', 'none'] as const;
export const RBA_CATEGORIES = ['how_much', 'how_well', 'better_off'] as const;
export const INDICATOR_KINDS = ['population', 'programme'] as const;
export const AGGREGATIONS = ['sum', 'mean', 'weighted_mean', 'latest'] as const;
export const FREQUENCIES = ['per_phase', 'yearly', 'every_2_years', 'every_4_years', 'once'] as const;
// defined where the browser can import it without zod (the system map's labels)
export { TARGET_GROUPS } from './kompas.ts';
import { TARGET_GROUPS } from './kompas.ts';
export const ACTION_KINDS = [
	'bijeenkomst',
	'les',
	'sessie',
	'gesprek',
	'campagne-uiting',
	'overleg',
	'anders'
] as const;

export type Unit = (typeof UNITS)[number];
export type Direction = (typeof DIRECTIONS)[number];
export type Aggregation = (typeof AGGREGATIONS)[number];
export type RbaCategory = (typeof RBA_CATEGORIES)[number];
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];
export type Frequency = (typeof FREQUENCIES)[number];
export type ActionKind = (typeof ACTION_KINDS)[number];

/** Fields every indicator can carry; a library entry has all of them, a plan entry may inherit them. */
const indicatorFields = {
	name: z.string().min(1),
	definition: z.string().min(1),
	kind: z.enum(INDICATOR_KINDS),
	unit: z.enum(UNITS),
	direction: z.enum(DIRECTIONS),
	rba: z.enum(RBA_CATEGORIES),
	targetGroup: z.string().min(1),
	source: z.string().min(1),
	method: z.string().min(1),
	frequency: z.enum(FREQUENCIES),
	aggregation: z.enum(AGGREGATIONS),
	owner: z.string().min(1).optional()
};

export const baselineSchema = z.strictObject({
	value: z.number(),
	date: isoDate,
	source: z.string().min(1),
	demo: z.boolean().optional(),
	/** the area it was measured for: a region slug of the programme or `nederland`; absent = the programme's own */
	region: slug.optional()
});

export const targetSchema = z.strictObject({
	value: z.number(),
	date: isoDate,
	demo: z.boolean().optional()
});

/** The most period targets one indicator may carry (about one per school year of a long programme). */
export const MAX_PERIOD_TARGETS = 20;

/** A target on the way to the final one, per school year (DESIGN.md "Status and trend": the expected path). */
export const periodTargetSchema = z.strictObject({
	date: isoDate,
	value: z.number(),
	demo: z.boolean().optional()
});
export type PeriodTarget = z.infer<typeof periodTargetSchema>;

/**
 * The rules for period targets, one definition for the plan file and the plan editor (besides at most
 * `MAX_PERIOD_TARGETS`): only with a dated baseline and target, each dated strictly between the two, no date
 * twice. Issues name the target by its index.
 */
export function periodTargetIssues(
	targets: readonly Pick<PeriodTarget, 'date'>[],
	baseline: { date: string } | null | undefined,
	target: { date: string } | null | undefined
): { index: number | null; message: string }[] {
	// too many is the list's own issue (the schema's `max`, the form's line count)
	if (targets.length === 0 || targets.length > MAX_PERIOD_TARGETS) return [];
	if (!baseline || !target)
		return [{ index: null, message: 'tussendoelen vragen een nulmeting en een streefwaarde, elk met datum' }];
	const issues: { index: number | null; message: string }[] = [];
	const seen = new Set<string>();
	targets.forEach(({ date }, index) => {
		// a date that is no ISO date has its own issue
		if (!ISO_DATE.test(date)) return;
		if (seen.has(date)) issues.push({ index, message: `de datum ${date} komt dubbel voor` });
		else if (date <= baseline.date || date >= target.date)
			issues.push({
				index,
				message: `de datum ${date} ligt niet tussen de nulmeting (${baseline.date}) en de streefwaarde (${target.date})`
			});
		seen.add(date);
	});
	return issues;
}

/** An indicator's stored `targets` column (JSON text) as its period targets, by date; [] for none. */
export const parsePeriodTargets = (stored: string | null): PeriodTarget[] =>
	stored === null ? [] : z.array(periodTargetSchema).parse(JSON.parse(stored));

/** Period targets as the `targets` column stores them: sorted by date, demo only when set; null for none. */
export const storePeriodTargets = (targets: readonly PeriodTarget[] | undefined): string | null =>
	targets?.length
		? JSON.stringify(
				[...targets]
					.sort((a, b) => a.date.localeCompare(b.date))
					.map((t) => ({ date: t.date, value: t.value, ...(t.demo ? { demo: true } : {}) }))
			)
		: null;

/**
 * Validation rules of an indicator's values (value-rules.ts): the allowed range (`min`, `max`) and the largest
 * change against the previous approved value (`maxChange`, absolute, in the indicator's unit).
 */
export const valueRulesSchema = z
	.strictObject({
		min: z.number().optional(),
		max: z.number().optional(),
		maxChange: z.number().optional()
	})
	.superRefine((r, ctx) => {
		if (r.min === undefined && r.max === undefined && r.maxChange === undefined)
			ctx.addIssue({ code: 'custom', message: 'noem minstens één regel: min, max of maxChange (of laat rules weg)' });
		for (const issue of ruleIssues(r)) ctx.addIssue({ code: 'custom', path: [issue.field], message: issue.message });
	});
export type PlanValueRules = z.infer<typeof valueRulesSchema>;

/** An indicator whose values are computed from the action log, never typed in. */
export const derivedRuleSchema = z.strictObject({
	measure: z.enum(['actions', 'reached']),
	targetGroup: z.enum(TARGET_GROUPS).optional(),
	kinds: z.array(z.enum(ACTION_KINDS)).optional()
});
export type DerivedRule = z.infer<typeof derivedRuleSchema>;

/** An indicator's stored `derived` column (JSON text) as its rule; checked, since the database holds any text. */
export const parseDerivedRule = (stored: string | null): DerivedRule | null =>
	stored === null ? null : derivedRuleSchema.parse(JSON.parse(stored));

export const libraryIndicatorSchema = z.strictObject({
	code,
	...indicatorFields,
	baselines: z.array(baselineSchema.extend({ region: slug })).optional()
});

export const indicatorSchema = z
	.strictObject({
		code,
		/** code of a library indicator whose fields this one inherits */
		library: code.optional(),
		...z.object(indicatorFields).partial().shape,
		baseline: baselineSchema.optional(),
		target: targetSchema.optional(),
		/** targets per school year on the way to `target` (the expected path runs through them) */
		targets: z
			.array(periodTargetSchema)
			.max(MAX_PERIOD_TARGETS, `hoogstens ${MAX_PERIOD_TARGETS} tussendoelen`)
			.optional(),
		derived: derivedRuleSchema.optional(),
		/** how long a value stays valid, in months (else by the frequency: DESIGN.md "Validity") */
		validMonths: int32().min(1).max(120).optional(),
		/** values of every region compare with the baseline, whatever the area it was measured for */
		comparable: z.boolean().optional(),
		/** one of the key indicators a funder sees first */
		key: z.boolean().optional(),
		/** validation rules of its values: allowed range and largest change against the previous value */
		rules: valueRulesSchema.optional(),
		/** the programme's dimensions (keys) it is split by (breakdown.ts) */
		dimensions: z
			.array(slug)
			.min(1, 'noem minstens één dimensie (of laat dimensions weg)')
			.max(MAX_DIMENSIONS)
			.refine((list) => new Set(list).size === list.length, 'elke dimensie hoogstens één keer')
			.optional(),
		/** baseline and target per category of its dimensions */
		categoryTargets: z.array(categoryTargetSchema).max(100).optional()
	})
	.superRefine((ind, ctx) => {
		for (const issue of periodTargetIssues(ind.targets ?? [], ind.baseline, ind.target))
			ctx.addIssue({
				code: 'custom',
				path: issue.index === null ? ['targets'] : ['targets', issue.index, 'date'],
				message: issue.message
			});
		if (ind.library) return;
		for (const key of z.object(indicatorFields).keyof().options) {
			if (key !== 'owner' && ind[key] === undefined)
				ctx.addIssue({
					code: 'custom',
					path: [key],
					message: `${key} ontbreekt (of verwijs met library naar een bibliotheekindicator)`
				});
		}
	});

const nodeFields = {
	code,
	title: z.string().min(1),
	description: z.string().optional(),
	indicators: z.array(indicatorSchema).min(1, 'elk knooppunt heeft minstens één indicator')
};

export const solutionSchema = z.strictObject({ ...nodeFields });

/**
 * Where a theme or next step acts on the system map (system-map.ts): its level (0 maatschappelijke norm,
 * 1 overtuigingen, 2 gedrag, 3 uitingsvormen), the perspectives it acts from and the societal trend it
 * answers. A next step without its own takes its theme's, field by field.
 */
const placementFields = {
	level: z
		.number({ error: 'het niveau op de systeemkaart is 0, 1, 2 of 3' })
		.int('het niveau op de systeemkaart is 0, 1, 2 of 3')
		.min(0, 'het niveau op de systeemkaart is 0, 1, 2 of 3')
		.max(3, 'het niveau op de systeemkaart is 0, 1, 2 of 3')
		.optional(),
	perspectives: z
		.array(z.enum(TARGET_GROUPS, { error: 'een perspectief is jongeren, ouders of professionals' }))
		.min(1, 'noem minstens één perspectief (of laat perspectives weg)')
		.refine((list) => new Set(list).size === list.length, 'elk perspectief hoogstens één keer')
		.optional(),
	trend: z.string().trim().min(1, 'de trend mag niet leeg zijn (of laat trend weg)').max(300).optional()
};

export const nextStepSchema = z.strictObject({
	...nodeFields,
	goal: z.string().min(1),
	impact: z.string().min(1),
	...placementFields,
	solutions: z.array(solutionSchema).min(1)
});

export const themeSchema = z.strictObject({
	...nodeFields,
	number: int32().positive(),
	...placementFields,
	nextSteps: z.array(nextStepSchema).min(1)
});

export type RegionInput = { slug: string; name: string; kind: string; children?: RegionInput[] };
export const regionSchema: z.ZodType<RegionInput> = z.lazy(() =>
	z.strictObject({
		slug,
		name: z.string().min(1),
		kind: z.string().min(1),
		children: z.array(regionSchema).optional()
	})
);

export const phaseSchema = z.strictObject({
	name: z.string().min(1),
	start: isoDate,
	end: isoDate
});

export const planSchema = z.strictObject({
	programme: z.strictObject({
		slug,
		name: z.string().min(1),
		description: z.string().min(1),
		start: isoDate,
		source: z.string().min(1),
		/** the smallest group whose figure is shown (small-groups.ts); default 10 */
		minGroupSize: int32()
			.min(MIN_GROUP_SIZE_RANGE.min, `minGroupSize is minstens ${MIN_GROUP_SIZE_RANGE.min}`)
			.max(MIN_GROUP_SIZE_RANGE.max, `minGroupSize is hoogstens ${MIN_GROUP_SIZE_RANGE.max}`)
			.optional(),
		/** days a closed poll's raw answers are kept (poll.ts); default 90 */
		pollRetentionDays: int32()
			.min(RETENTION_DAYS_RANGE.min, `pollRetentionDays is minstens ${RETENTION_DAYS_RANGE.min}`)
			.max(RETENTION_DAYS_RANGE.max, `pollRetentionDays is hoogstens ${RETENTION_DAYS_RANGE.max}`)
			.optional()
	}),
	/** what indicators may be split by: geslacht, leeftijd, doelgroep … (breakdown.ts) */
	dimensions: dimensionsSchema.optional(),
	regions: z.array(regionSchema).min(1),
	organisations: z
		.array(z.strictObject({ name: z.string().min(1), kind: z.string().min(1), region: slug.optional() }))
		.optional(),
	schoolYears: z
		.array(z.strictObject({ name: z.string().regex(/^\d{4}-\d{4}$/), phases: z.array(phaseSchema).min(1) }))
		.optional(),
	ambitions: z.array(z.strictObject(nodeFields)).min(1),
	outcomes: z.array(z.strictObject(nodeFields)).min(1),
	themes: z.array(themeSchema).min(1),
	/** anonymous poll templates whose questions feed the plan's indicators (poll.ts) */
	pollTemplates: pollTemplatesSchema.optional()
});

export const librarySchema = z.strictObject({
	indicators: z.array(libraryIndicatorSchema).min(1)
});

export type Plan = z.infer<typeof planSchema>;
export type PlanIndicator = z.infer<typeof indicatorSchema>;
export type Library = z.infer<typeof librarySchema>;
export type LibraryIndicator = z.infer<typeof libraryIndicatorSchema>;
