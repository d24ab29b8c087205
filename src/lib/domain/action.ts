import { z } from 'zod';
import { ACTION_KINDS, type ActionKind } from './plan.schema.ts';
import { TARGET_GROUP_KEYS, type TargetGroup } from './derived.ts';
import { isIsoDate } from './phase-calendar.ts';
import { idField, idNumber, MAX_ID } from './ids.ts';
import { inDutch } from './zod-messages.ts';

/** The action log: what an aanjager did, with whom, where. Counts, never names. */

export { ACTION_KINDS, TARGET_GROUP_KEYS };
export type { ActionKind };

export const ACTION_KIND_LABEL: Record<ActionKind, string> = {
	bijeenkomst: 'Bijeenkomst',
	les: 'Les',
	sessie: 'Sessie',
	gesprek: 'Gesprek',
	'campagne-uiting': 'Campagne-uiting',
	overleg: 'Overleg',
	anders: 'Anders'
};

export const TARGET_GROUP_LABEL: Record<TargetGroup, string> = {
	jongeren: 'Jongeren',
	ouders: 'Ouders',
	professionals: 'Professionals'
};

export const MAX_REACHED = 100_000;
export const MAX_DESCRIPTION = 500;
export const MAX_QUOTE = 1_000;

const reachedCount = z
	.number('Vul een aantal in (0 als niemand).')
	.int('Vul een heel aantal in.')
	.min(0, 'Een aantal kan niet negatief zijn.')
	.max(MAX_REACHED, `Hooguit ${MAX_REACHED.toLocaleString('nl-NL')} per actie.`);

const id = idNumber();

/** The fields of an action as the API takes them (next step and solution by kompas id, region by slug). */
function fields(today: string) {
	return {
		date: z
			.string('Vul een datum in.')
			.refine(isIsoDate, 'Vul een geldige datum in (jjjj-mm-dd).')
			.refine((d) => d <= today, 'De datum ligt in de toekomst: log een actie nadat ze is gebeurd.'),
		nextStep: id.optional(),
		solution: id.optional(),
		kind: z.enum(ACTION_KINDS, 'Kies wat voor actie het was.'),
		organisation: id.nullable().optional(),
		/** region slug; may be left out when the organisation has a region */
		region: z.string().trim().min(1, 'Kies een regio.').max(100).optional(),
		reached: z
			.strictObject({
				jongeren: reachedCount.default(0),
				ouders: reachedCount.default(0),
				professionals: reachedCount.default(0)
			})
			.prefault({}),
		description: z
			.string('Beschrijf kort wat je deed.')
			.trim()
			.min(1, 'Beschrijf kort wat je deed.')
			.max(MAX_DESCRIPTION, `Hooguit ${MAX_DESCRIPTION} tekens.`),
		quote: z.string().trim().max(MAX_QUOTE, `Hooguit ${MAX_QUOTE} tekens.`).nullable().optional(),
		quotePublic: z.boolean().optional()
	};
}

const stepOrSolution = { path: ['nextStep'], message: 'Kies een vervolgstap of oplossing.' };

export const actionInputSchema = (today: string) =>
	z.intersection(
		z.strictObject(fields(today)),
		// checked apart from the other fields, so a form shows every problem at once
		z
			.object({ nextStep: z.unknown().optional(), solution: z.unknown().optional() })
			.refine((a) => a.nextStep !== undefined || a.solution !== undefined, stepOrSolution)
	);
export type ActionInput = z.infer<ReturnType<typeof actionInputSchema>>;

/** A change: any fields, plus the version it was based on. */
export const actionPatchSchema = (today: string) =>
	z.strictObject({
		...z.object(fields(today)).partial().shape,
		reached: z
			.strictObject({
				jongeren: reachedCount.optional(),
				ouders: reachedCount.optional(),
				professionals: reachedCount.optional()
			})
			.optional(),
		version: z.number('Geef de versie mee waarop je wijziging is gebaseerd.').int().positive().max(MAX_ID)
	});
export type ActionPatch = z.infer<ReturnType<typeof actionPatchSchema>>;

/** Filters of the list, as the API takes them. */
export const actionFilterSchema = z.strictObject({
	from: z.string().refine(isIsoDate, 'verwacht jjjj-mm-dd').optional(),
	to: z.string().refine(isIsoDate, 'verwacht jjjj-mm-dd').optional(),
	theme: idField().optional(),
	nextStep: idField().optional(),
	solution: idField().optional(),
	region: z.string().min(1).max(100).optional(),
	organisation: idField().optional(),
	author: idField().optional(),
	kind: z.enum(ACTION_KINDS).optional(),
	limit: z.coerce.number().int().min(1).max(500).default(100),
	offset: z.coerce.number().int().min(0).default(0)
});
export type ActionFilter = z.infer<typeof actionFilterSchema>;

/** The list page's URL parameters (Dutch) ↔ the API's filter names. */
export const FILTER_PARAMS = {
	van: 'from',
	tot: 'to',
	thema: 'theme',
	stap: 'nextStep',
	oplossing: 'solution',
	regio: 'region',
	organisatie: 'organisation',
	auteur: 'author',
	soort: 'kind',
	vanaf: 'offset'
} as const satisfies Record<string, keyof ActionFilter>;

/** The list filter from the page's URL; unknown or broken values are dropped, not refused. */
export function filterFromSearch(params: URLSearchParams): ActionFilter {
	const raw: Record<string, string> = {};
	for (const [dutch, key] of Object.entries(FILTER_PARAMS)) {
		const v = params.get(dutch)?.trim();
		if (v) raw[key] = v;
	}
	const parsed = actionFilterSchema.safeParse(raw, inDutch);
	if (parsed.success) return parsed.data;
	const bad = new Set(parsed.error.issues.map((i) => String(i.path[0])));
	return actionFilterSchema.parse(Object.fromEntries(Object.entries(raw).filter(([k]) => !bad.has(k))));
}

/** An idempotency key as clients send it (a UUID or random hex, with a prefix). */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,200}$/;
export const validKey = (key: string | undefined | null): string | null =>
	key && IDEMPOTENCY_KEY.test(key) ? key : null;

/** The form's choice of next step or solution, grouped by theme. */
export interface TargetGroupOption {
	theme: { id: number; number: number; title: string };
	options: { value: string; label: string; stepId: number; solutionId: number | null }[];
}

/** The form's "wat hoort het bij" choice: a next step or one of its solutions. */
export const targetValue = (t: { nextStep: number; solution: number | null }) =>
	t.solution ? `solution:${t.solution}` : `step:${t.nextStep}`;

const intOrZero = (s: string | undefined) => {
	const t = (s ?? '').trim();
	return t === '' ? 0 : /^-?\d+$/.test(t) ? Number(t) : Number.NaN;
};

/** A posted form → the API's input shape (not yet validated). */
export function actionInputFromForm(form: Record<string, string>): Record<string, unknown> {
	const [level, ref] = (form.target ?? '').split(':');
	const refId = Number(ref);
	const out: Record<string, unknown> = {
		date: form.date ?? '',
		kind: form.kind ?? '',
		organisation: form.organisation ? Number(form.organisation) : null,
		reached: Object.fromEntries(TARGET_GROUP_KEYS.map((g) => [g, intOrZero(form[g])])),
		description: form.description ?? '',
		quote: form.quote?.trim() ? form.quote : null,
		quotePublic: form.quotePublic === 'on' || form.quotePublic === 'true'
	};
	if (form.region) out.region = form.region;
	if (level === 'step' && refId > 0) out.nextStep = refId;
	if (level === 'solution' && refId > 0) out.solution = refId;
	return out;
}

/** Which form field an issue of the API's input belongs to. */
export function formFieldOf(path: readonly PropertyKey[]): string {
	const [head, sub] = path.map(String);
	if (head === 'reached') return sub ?? 'jongeren';
	if (head === 'nextStep' || head === 'solution') return 'target';
	return head ?? 'form';
}

/** Field → first message, for a form. */
export function formErrors(
	issues: readonly { path: readonly PropertyKey[]; message: string }[]
): Record<string, string> {
	const errors: Record<string, string> = {};
	for (const i of issues) errors[formFieldOf(i.path)] ??= i.message;
	return errors;
}

/** An organisation as a lead enters it. */
export const organisationInputSchema = z.strictObject({
	name: z.string('Vul een naam in.').trim().min(1, 'Vul een naam in.').max(120, 'Hooguit 120 tekens.'),
	kind: z
		.string('Vul een soort in, bijv. school of club.')
		.trim()
		.min(1, 'Vul een soort in, bijv. school of club.')
		.max(60, 'Hooguit 60 tekens.'),
	/** region slug, or null for none */
	region: z.string().trim().max(100).nullable().optional(),
	archived: z.boolean().optional()
});
export type OrganisationInput = z.infer<typeof organisationInputSchema>;

export const organisationPatchSchema = organisationInputSchema
	.partial()
	.extend({ version: z.number('Geef de versie mee.').int().positive().max(MAX_ID) });
export type OrganisationPatch = z.infer<typeof organisationPatchSchema>;

/** An action as pages and the API show it. */
export interface ActionView {
	id: number;
	date: string;
	theme: { id: number; number: number; title: string };
	nextStep: { id: number; code: string; title: string };
	solution: { id: number; code: string; title: string } | null;
	kind: ActionKind;
	organisation: { id: number; name: string } | null;
	region: { slug: string; name: string };
	reached: Record<TargetGroup, number>;
	description: string;
	/** null when absent, or when the reader may not see a quote that is not shareable */
	quote: string | null;
	quotePublic: boolean;
	author: { id: number; name: string } | null;
	demo: boolean;
	version: number;
	createdAt: string;
	updatedAt: string;
	/** may the reader change or delete it */
	mayEdit: boolean;
}

/** A quote or observation from the action log, as a story on theme and next-step pages. */
export interface StoryView {
	actionId: number;
	date: string;
	quote: string;
	shareable: boolean;
	theme: { id: number; number: number; title: string };
	nextStep: { id: number; code: string; title: string };
	solution: { id: number; code: string; title: string } | null;
	kind: ActionKind;
	organisation: string | null;
	region: string;
	demo: boolean;
}
