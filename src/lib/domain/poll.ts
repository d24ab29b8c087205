import { z } from 'zod';
import type { Dimension } from './breakdown.ts';
import type { Unit } from './plan.schema.ts';
import {
	measureOf,
	SCALE_OPTIONS,
	YESNO_OPTIONS,
	type PollAnswers,
	type PollOption,
	type PollQuestion,
	type QuestionKind
} from './poll-results.ts';

export {
	measureOf,
	SCALE_OPTIONS,
	YESNO_OPTIONS,
	type PollAnswers,
	type PollMeasure,
	type PollOption,
	type PollQuestion,
	type QuestionKind
} from './poll-results.ts';

/**
 * Anonymous polls (peilingen, issue 18): the template shapes of the plan file, their rules against the
 * plan's indicators and dimensions, and how a template becomes the questions a poll asks. One definition,
 * used by the plan loader, the export and the poll services. The counting and the figures are zod-free in
 * `poll-results.ts`, so pages in the browser can use them.
 */

export const POLL_STATUSES = ['open', 'closed'] as const;
export type PollStatus = (typeof POLL_STATUSES)[number];
export const QUESTION_KINDS = ['scale', 'yesno', 'choice'] as const satisfies readonly QuestionKind[];

/** Bounds of what grows with input: templates per programme, questions per template, options per choice. */
export const MAX_POLL_TEMPLATES = 20;
export const MAX_POLL_QUESTIONS = 12;
export const MAX_POLL_OPTIONS = 12;
export const QUESTION_TEXT_MAX = 200;
/** The longest open answer kept (longer is refused with a message, never cut silently). */
export const OPEN_ANSWER_MAX = 500;
/** Answers one poll takes at most (its own setting within this range; default below). */
export const MAX_ANSWERS_RANGE = { min: 1, max: 2000 } as const;
export const DEFAULT_MAX_ANSWERS = 300;
/** Days a closed poll's raw answers are kept (per programme, within this range; default below). */
export const RETENTION_DAYS_RANGE = { min: 1, max: 365 } as const;
export const DEFAULT_RETENTION_DAYS = 90;
/** How long a poll stays open by default, and at most. */
export const DEFAULT_OPEN_HOURS = 24;
export const MAX_OPEN_DAYS = 60;

const key = z
	.string()
	.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'sleutel: kleine letters, cijfers en streepjes, bijv. druk-in-de-klas');
const code = z.string().regex(/^[A-Z0-9]+(-[A-Z0-9]+)*$/, 'code: hoofdletters, cijfers en streepjes');
const text = (max: number) =>
	z.string().trim().min(1, 'de tekst mag niet leeg zijn').max(max, `hoogstens ${max} tekens`);

export const pollOptionSchema = z.strictObject({ key, name: text(60) });

/**
 * A question of a template. `indicator` names the indicator its answers feed (what it measures follows
 * from its kind and the indicator's unit: `measureOf`); a one-choice question either has its own `options`
 * (and, with an indicator, the `option` whose share it measures) or takes the values of a `dimension`, and
 * then splits the poll's measurements by it (breakdowns, issue 17).
 */
export const pollQuestionSchema = z
	.strictObject({
		key,
		kind: z.enum(QUESTION_KINDS, { error: 'soort: scale, yesno of choice' }),
		text: text(QUESTION_TEXT_MAX),
		indicator: code.optional(),
		options: z.array(pollOptionSchema).min(2).max(MAX_POLL_OPTIONS).optional(),
		option: key.optional(),
		dimension: key.optional()
	})
	.superRefine((q, ctx) => {
		const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
		if (q.kind !== 'choice') {
			for (const field of ['options', 'option', 'dimension'] as const)
				if (q[field] !== undefined) issue(field, `alleen een keuzevraag (choice) heeft ${field}`);
			if (!q.indicator) issue('indicator', 'een schaal- of ja/nee-vraag voedt een indicator: noem die');
			return;
		}
		if (q.dimension && q.options) issue('options', 'een keuzevraag heeft eigen opties of een dimensie, niet beide');
		if (!q.dimension && !q.options) issue('options', 'een keuzevraag heeft opties, of een dimensie');
		if (q.dimension && (q.indicator || q.option))
			issue('indicator', 'een keuzevraag met een dimensie splitst de metingen uit en voedt zelf geen indicator');
		if (q.indicator && !q.option) issue('option', 'noem de optie waarvan het aandeel de indicator voedt');
		if (q.option && !q.options?.some((o) => o.key === q.option)) issue('option', `onbekende optie ${q.option}`);
		const seen = new Set<string>();
		q.options?.forEach((o, i) => {
			if (seen.has(o.key))
				ctx.addIssue({ code: 'custom', path: ['options', i, 'key'], message: `de optie ${o.key} komt dubbel voor` });
			seen.add(o.key);
		});
	});
export type PollTemplateQuestion = z.infer<typeof pollQuestionSchema>;

export const pollTemplateSchema = z
	.strictObject({
		key,
		name: text(80),
		/** shown above the questions, in words a 10-year-old understands */
		intro: text(300).optional(),
		questions: z
			.array(pollQuestionSchema)
			.min(1, 'een peiling heeft minstens één vraag')
			.max(MAX_POLL_QUESTIONS, `hoogstens ${MAX_POLL_QUESTIONS} vragen`),
		/** an open question a poll may switch on (off by default): answers are read by leads only */
		openQuestion: text(QUESTION_TEXT_MAX).optional()
	})
	.superRefine((t, ctx) => {
		const keys = new Set<string>();
		const dimensions = new Set<string>();
		t.questions.forEach((q, i) => {
			if (keys.has(q.key))
				ctx.addIssue({ code: 'custom', path: ['questions', i, 'key'], message: `de vraag ${q.key} komt dubbel voor` });
			keys.add(q.key);
			if (q.dimension && dimensions.has(q.dimension))
				ctx.addIssue({
					code: 'custom',
					path: ['questions', i, 'dimension'],
					message: `de dimensie ${q.dimension} wordt al gevraagd`
				});
			if (q.dimension) dimensions.add(q.dimension);
		});
		if (!t.questions.some((q) => q.indicator))
			ctx.addIssue({ code: 'custom', path: ['questions'], message: 'minstens één vraag voedt een indicator' });
	});
export type PollTemplate = z.infer<typeof pollTemplateSchema>;

export const pollTemplatesSchema = z
	.array(pollTemplateSchema)
	.max(MAX_POLL_TEMPLATES, `hoogstens ${MAX_POLL_TEMPLATES} peilingsjablonen`)
	.superRefine((list, ctx) => {
		const seen = new Set<string>();
		list.forEach((t, i) => {
			if (seen.has(t.key))
				ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `het sjabloon ${t.key} komt dubbel voor` });
			seen.add(t.key);
		});
	});

/** What a template's questions are checked against: the plan's indicators (unit, derived or not) and dimensions. */
export interface TemplateContext {
	indicators: ReadonlyMap<string, { unit: Unit; derived: boolean; dimensions: readonly string[] }>;
	dimensions: readonly Dimension[];
}

/** Issues of one template against its plan, each with the path below the template (`questions[1].indicator`). */
export function templateIssues(t: PollTemplate, ctx: TemplateContext): { path: string; message: string }[] {
	const issues: { path: string; message: string }[] = [];
	t.questions.forEach((q, i) => {
		const at = (field: string) => `questions[${i}].${field}`;
		if (q.dimension) {
			const d = ctx.dimensions.find((x) => x.key === q.dimension);
			if (!d)
				issues.push({
					path: at('dimension'),
					message: `onbekende dimensie ${q.dimension}: noem haar onder dimensions`
				});
			else if (d.values.filter((v) => !v.archived).length > MAX_POLL_OPTIONS)
				issues.push({ path: at('dimension'), message: `een keuzevraag heeft hoogstens ${MAX_POLL_OPTIONS} opties` });
			else if (d.values.filter((v) => !v.archived).length < 2)
				issues.push({
					path: at('dimension'),
					message: `een keuzevraag heeft minstens twee opties: ${q.dimension} heeft er minder die niet gearchiveerd zijn`
				});
		}
		if (!q.indicator) return;
		const indicator = ctx.indicators.get(q.indicator);
		if (!indicator) issues.push({ path: at('indicator'), message: `onbekende indicator ${q.indicator}` });
		else if (indicator.derived)
			issues.push({
				path: at('indicator'),
				message: `${q.indicator} wordt uit het actielogboek berekend, niet gepeild`
			});
		else if (!measureOf(q.kind, indicator.unit))
			issues.push({ path: at('indicator'), message: measureMismatch(q.kind, indicator.unit, q.indicator) });
	});
	return issues;
}

function measureMismatch(kind: QuestionKind, unit: Unit, indicator: string): string {
	const fits = kind === 'scale' ? 'een percentage (eens, 4–5) of een score (gemiddelde)' : 'een percentage';
	return `${indicator} heeft eenheid ${unit}; een ${kind === 'scale' ? 'schaalvraag' : kind === 'yesno' ? 'ja/nee-vraag' : 'keuzevraag'} voedt ${fits}`;
}

/**
 * The questions a poll asks, resolved from its template: each with its options (a scale 1–5, ja/nee, its
 * own, or its dimension's current values) and what it measures. Stored on the poll as its snapshot.
 */
export function resolveQuestions(t: PollTemplate, ctx: TemplateContext): PollQuestion[] {
	return t.questions.map((q) => {
		const options: PollOption[] =
			q.kind === 'scale'
				? [...SCALE_OPTIONS]
				: q.kind === 'yesno'
					? [...YESNO_OPTIONS]
					: q.dimension
						? (ctx.dimensions.find((d) => d.key === q.dimension)?.values ?? [])
								.filter((v) => !v.archived)
								.map((v) => ({ key: v.key, name: v.name }))
						: (q.options ?? []).map((o) => ({ key: o.key, name: o.name }));
		const indicator = q.indicator ? ctx.indicators.get(q.indicator) : undefined;
		const measure = indicator ? measureOf(q.kind, indicator.unit) : null;
		return {
			key: q.key,
			kind: q.kind,
			text: q.text,
			options,
			...(q.indicator && measure ? { indicator: q.indicator, measure } : {}),
			...(q.option ? { option: q.option } : {}),
			...(q.dimension ? { dimension: q.dimension } : {})
		};
	});
}

const storedQuestionSchema = z.strictObject({
	key,
	kind: z.enum(QUESTION_KINDS),
	text: z.string(),
	options: z.array(pollOptionSchema),
	indicator: code.optional(),
	measure: z.enum(['agree', 'mean', 'yes', 'option']).optional(),
	option: key.optional(),
	dimension: key.optional()
});

/** Stored columns (JSON text) as their values; checked, since the database holds any text. */
export const parsePollTemplates = (stored: string | null): PollTemplate[] =>
	stored === null ? [] : pollTemplatesSchema.parse(JSON.parse(stored));
export const storePollTemplates = (list: readonly PollTemplate[] | undefined): string | null =>
	list?.length ? JSON.stringify(list) : null;
export const parsePollQuestions = (stored: string): PollQuestion[] =>
	z.array(storedQuestionSchema).parse(JSON.parse(stored));
export const parsePollAnswers = (stored: string): PollAnswers =>
	z.record(z.string(), z.string()).parse(JSON.parse(stored));

/**
 * A respondent's form as answers: each question's chosen option key, or nothing when skipped. An unknown
 * option is refused (a tampered form); at least one question must be answered. The open answer is kept
 * only when the poll asks one, trimmed, at most OPEN_ANSWER_MAX characters.
 */
export function readAnswers(
	questions: readonly PollQuestion[],
	form: (name: string) => string | null,
	openQuestion: string | null
): { ok: true; answers: PollAnswers; open: string | null } | { ok: false; message: string } {
	const answers: PollAnswers = {};
	for (const q of questions) {
		const value = form(q.key);
		if (value === null || value === '') continue;
		if (!q.options.some((o) => o.key === value))
			return { ok: false, message: 'Dit antwoord kennen we niet. Kies een van de antwoorden.' };
		answers[q.key] = value;
	}
	if (Object.keys(answers).length === 0) return { ok: false, message: 'Kies bij minstens één vraag een antwoord.' };
	const open = openQuestion ? (form('open') ?? '').trim() : '';
	if (open.length > OPEN_ANSWER_MAX)
		return { ok: false, message: `Je antwoord op de open vraag is te lang: hoogstens ${OPEN_ANSWER_MAX} tekens.` };
	if (open.includes('\u0000')) return { ok: false, message: 'Je antwoord bevat een teken dat niet kan.' };
	return { ok: true, answers, open: open || null };
}
