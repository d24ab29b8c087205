import { isNotApplicable, parseDate, parseNumber } from './dutch-format.ts';
import type { NodeLevel } from './kompas.ts';
import { VALUE_RULES } from './measurement.ts';
import {
	ACTION_KINDS,
	AGGREGATIONS,
	DIRECTIONS,
	FREQUENCIES,
	INDICATOR_KINDS,
	MAX_PERIOD_TARGETS,
	periodTargetIssues,
	RBA_CATEGORIES,
	solutionSchema,
	type PeriodTarget,
	TARGET_GROUPS,
	UNITS,
	type Unit
} from './plan.schema.ts';
import { idField } from './ids.ts';
import { isInt32, MAX_INT } from './input-rules.ts';
import { inDutch } from './zod-messages.ts';
import { PERSPECTIVES, type Perspective } from './system-map.ts';
import { hasRules, NO_RULES, ruleIssues, type ValueRules } from './value-rules.ts';
import { MAX_DIMENSIONS, type CategoryTarget } from './breakdown.ts';

/**
 * The plan editor's forms: what a lead types for a node or an indicator, read from form fields
 * (strings) into stored values, with a Dutch message per wrong field.
 */

export const LEVELS = ['ambition', 'outcome', 'theme', 'nextStep', 'solution'] as const satisfies readonly NodeLevel[];

/** The parent level of each level that has one. */
export const PARENT_LEVEL: Partial<Record<NodeLevel, NodeLevel>> = { nextStep: 'theme', solution: 'nextStep' };

export type FormValues = Record<string, string | string[] | undefined>;
export type Errors = Record<string, string>;
export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: Errors };

const codeSchema = solutionSchema.shape.code;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
const all = (v: string | string[] | undefined): string[] => (Array.isArray(v) ? v : v ? [v] : []);
const isOneOf = <T extends string>(options: readonly T[], v: string): v is T => options.some((o) => o === v);

function text(
	values: FormValues,
	key: string,
	errors: Errors,
	opts: { required?: boolean; max?: number; label?: string } = {}
): string | null {
	const v = one(values[key]);
	if (!v) {
		if (opts.required) errors[key] = `Vul ${opts.label ?? 'dit veld'} in.`;
		return null;
	}
	if (v.length > (opts.max ?? 2000)) errors[key] = `Hoogstens ${opts.max ?? 2000} tekens.`;
	return v;
}

function code(values: FormValues, errors: Errors): string {
	const v = one(values.code).toUpperCase();
	const parsed = codeSchema.safeParse(v, inDutch);
	if (!parsed.success)
		errors.code = v
			? 'Een code bestaat uit hoofdletters, cijfers en streepjes, bijv. VV-T1-S1-NUT.'
			: 'Vul een code in.';
	return v;
}

function choice<T extends string>(
	values: FormValues,
	key: string,
	options: readonly T[],
	errors: Errors,
	message: string
): T | null {
	const v = one(values[key]);
	if (isOneOf(options, v)) return v;
	errors[key] = message;
	return null;
}

export interface NodeInput {
	code: string;
	title: string;
	description: string;
	/** theme */
	number?: number;
	/** theme and next step: the place on the system map (system-map.ts) */
	level?: number | null;
	perspectives?: Perspective[];
	trend?: string | null;
	/** next step */
	goal?: string;
	impact?: string;
	/** code of the parent node (next step: its theme; solution: its next step) */
	parent?: string;
}

export function readNodeForm(level: NodeLevel, values: FormValues): FormResult<NodeInput> {
	const errors: Errors = {};
	const input: NodeInput = {
		code: code(values, errors),
		title: text(values, 'title', errors, { required: true, max: 300, label: 'een titel' }) ?? '',
		description: text(values, 'description', errors, { max: 2000 }) ?? ''
	};
	if (level === 'theme') {
		const n = Number(one(values.number));
		if (!isInt32(n) || n < 1) errors.number = `Het themanummer is een heel getal van 1 tot en met ${MAX_INT}.`;
		input.number = n;
	}
	if (level === 'theme' || level === 'nextStep') {
		const lvl = one(values.level);
		input.level = lvl === '' ? null : Number(lvl);
		if (input.level !== null && (!Number.isInteger(input.level) || input.level < 0 || input.level > 3))
			errors.level = 'Het niveau op de systeemkaart is 0, 1, 2 of 3 (of leeg).';
		const chosen = all(values.perspectives).filter(Boolean);
		if (chosen.some((p) => !isOneOf(PERSPECTIVES, p)))
			errors.perspectives = 'Kies jongeren, ouders en/of professionals.';
		input.perspectives = PERSPECTIVES.filter((p) => chosen.includes(p));
		input.trend = text(values, 'trend', errors, { max: 300 });
	}
	if (level === 'nextStep') {
		input.goal = text(values, 'goal', errors, { required: true, label: 'het doel' }) ?? '';
		input.impact = text(values, 'impact', errors, { required: true, label: 'de gewenste impact' }) ?? '';
	}
	if (PARENT_LEVEL[level]) {
		input.parent = one(values.parent);
		if (!input.parent) errors.parent = level === 'nextStep' ? 'Kies het thema.' : 'Kies de vervolgstap.';
	}
	return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: input };
}

export interface Figure {
	value: number;
	date: string;
}

export interface IndicatorInput {
	code: string;
	/** code of the node the indicator is attached to */
	node: string;
	name: string;
	definition: string;
	kind: (typeof INDICATOR_KINDS)[number];
	unit: Unit;
	direction: (typeof DIRECTIONS)[number];
	rba: (typeof RBA_CATEGORIES)[number];
	targetGroup: string;
	source: string;
	method: string;
	frequency: (typeof FREQUENCIES)[number];
	aggregation: (typeof AGGREGATIONS)[number];
	owner: string | null;
	/** `region`: the area the baseline was measured for, a region slug or `nederland`; null = the programme's own */
	baseline: (Figure & { source: string; demo: boolean; region: string | null }) | null;
	target: (Figure & { demo: boolean }) | null;
	/** period targets between baseline and target, by date */
	targets: PeriodTarget[];
	/** how long a value stays valid; null = by the frequency */
	validMonths: number | null;
	/** values of every region compare with the baseline, whatever its area */
	comparable: boolean;
	/** a key indicator, which a funder sees first */
	key: boolean;
	/** validation rules of its values (value-rules.ts); each null = no rule */
	rules: ValueRules;
	derived: {
		measure: 'actions' | 'reached';
		targetGroup?: (typeof TARGET_GROUPS)[number];
		kinds?: (typeof ACTION_KINDS)[number][];
	} | null;
	/** the programme's dimensions (keys) it is split by (breakdown.ts) */
	dimensions: string[];
	/** baseline and target per category; the service checks them against the programme's dimensions */
	categoryTargets: CategoryTarget[];
}

function figure(
	values: FormValues,
	prefix: 'baseline' | 'target',
	unit: Unit,
	errors: Errors
): Figure | null | undefined {
	const rawValue = one(values[`${prefix}Value`]);
	const rawDate = one(values[`${prefix}Date`]);
	if (!rawValue && !rawDate) return null;
	const what = prefix === 'baseline' ? 'nulmeting' : 'streefwaarde';
	let value: number | undefined;
	if (unit === 'text') errors[`${prefix}Value`] = `Een verhalen-indicator heeft geen ${what}.`;
	else if (!rawValue || isNotApplicable(rawValue))
		errors[`${prefix}Value`] = `Vul de waarde van de ${what} in (of maak ook de datum leeg).`;
	else {
		const parsed = parseNumber(rawValue, ',');
		if (!parsed.ok) errors[`${prefix}Value`] = `${parsed.message}.`;
		else {
			const problem = VALUE_RULES[unit](parsed.value.number);
			if (problem) errors[`${prefix}Value`] = `${problem[0].toUpperCase()}${problem.slice(1)}.`;
			else value = parsed.value.number;
		}
	}
	let date: string | undefined;
	if (!rawDate) errors[`${prefix}Date`] = `Vul de datum van de ${what} in.`;
	else {
		const parsed = parseDate(rawDate);
		if (!parsed.ok) errors[`${prefix}Date`] = 'Vul een geldige datum in (jjjj-mm-dd of d-m-jjjj).';
		else date = parsed.value;
	}
	return value === undefined || date === undefined ? undefined : { value, date };
}

/**
 * The period targets field: one target per line, "datum waarde", optionally followed by "demo"
 * (`2025-07-31 30 demo`); dates as in the other date fields, numbers as in a Dutch file. The rules of the
 * plan file apply (`periodTargetIssues`), so the editor accepts and refuses what `plan:load` does.
 */
function periodTargets(
	values: FormValues,
	unit: Unit,
	figures: { baseline: Figure | null | undefined; target: Figure | null | undefined },
	errors: Errors
): PeriodTarget[] {
	const raw = one(values.periodTargets);
	if (raw.length > 2000) {
		errors.periodTargets = 'Hoogstens 2000 tekens.';
		return [];
	}
	const lines = raw
		.split(/\r?\n/)
		.map((l) => l.trim())
		.filter(Boolean);
	if (lines.length === 0) return [];
	const fail = (message: string) => {
		errors.periodTargets ??= message;
		return [];
	};
	if (lines.length > MAX_PERIOD_TARGETS) return fail(`Hoogstens ${MAX_PERIOD_TARGETS} tussendoelen.`);
	if (unit === 'text') return fail('Een verhalen-indicator heeft geen tussendoelen.');
	const targets: PeriodTarget[] = [];
	for (const [i, line] of lines.entries()) {
		const where = `Regel ${i + 1}`;
		const words = line.split(/\s+/);
		const demo = /^\(?demo\)?$/i.test(words[words.length - 1]) && words.length > 1;
		if (demo) words.pop();
		const [rawDate, ...rest] = words;
		const date = parseDate(rawDate.replace(/[:;]$/, ''));
		if (!date.ok)
			return fail(`${where}: ${date.message}. Schrijf per regel een datum en een waarde, bijv. 2025-07-31 30.`);
		const rawValue = rest.join('');
		if (!rawValue)
			return fail(`${where}: de waarde ontbreekt. Schrijf per regel een datum en een waarde, bijv. 2025-07-31 30.`);
		const number = parseNumber(rawValue, ',');
		if (!number.ok) return fail(`${where}: ${number.message}.`);
		const problem = VALUE_RULES[unit](number.value.number);
		if (problem) return fail(`${where}: ${problem}.`);
		targets.push({ date: date.value, value: number.value.number, ...(demo ? { demo: true } : {}) });
	}
	// without a valid baseline or target their own fields say what is wrong
	if (figures.baseline === undefined || figures.target === undefined) return targets;
	const issue = periodTargetIssues(targets, figures.baseline, figures.target)[0];
	if (issue)
		return fail(`${issue.index === null ? capital(issue.message) : `Regel ${issue.index + 1}: ${issue.message}`}.`);
	return targets.sort((a, b) => a.date.localeCompare(b.date));
}

const capital = (s: string) => `${s[0].toUpperCase()}${s.slice(1)}`;

/** Period targets as the form field shows them, one per line. */
export const periodTargetsText = (targets: readonly PeriodTarget[]) =>
	targets.map((t) => `${t.date} ${String(t.value).replace('.', ',')}${t.demo ? ' demo' : ''}`).join('\n');

/** The longest validity a plan may set, in months (plan.schema.ts `validMonths`). */
export const MAX_VALID_MONTHS = 120;
const AREA = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function validMonths(values: FormValues, errors: Errors): number | null {
	const raw = one(values.validMonths);
	if (!raw) return null;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 1 || n > MAX_VALID_MONTHS)
		errors.validMonths = `De geldigheid is een heel aantal maanden van 1 tot en met ${MAX_VALID_MONTHS} (of leeg: volgens de meetfrequentie).`;
	return n;
}

const RULE_FIELDS = { min: 'ruleMin', max: 'ruleMax', maxChange: 'ruleMaxChange' } as const;

/** The validation rule fields (value-rules.ts): numbers as in a Dutch file, each optional, under `ruleIssues`. */
function valueRules(values: FormValues, unit: Unit | null | undefined, errors: Errors): ValueRules {
	const rules: ValueRules = { ...NO_RULES };
	for (const [key, field] of Object.entries(RULE_FIELDS) as [keyof ValueRules, string][]) {
		const raw = one(values[field]);
		if (!raw) continue;
		const parsed = parseNumber(raw, ',');
		if (!parsed.ok || parsed.value.percent) errors[field] = 'Vul een getal in (of laat het veld leeg: geen regel).';
		else rules[key] = parsed.value.number;
	}
	if (unit === 'text' && hasRules(rules)) errors.ruleMin = 'Een verhalen-indicator heeft geen controleregels.';
	for (const issue of ruleIssues(rules)) errors[RULE_FIELDS[issue.field]] ??= `${capital(issue.message)}.`;
	return rules;
}

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** A category target cell: `ct:<dimension>:<category>:<field>`. */
const CELL = /^ct:([a-z0-9-]+):([a-z0-9-]+):(baselineValue|baselineDate|baselineSource|targetValue|targetDate|demo)$/;
export const cellName = (dimension: string, category: string, field: string) => `ct:${dimension}:${category}:${field}`;

/** The dimensions checked (`dimensions`, checkboxes): keys, each once. */
function indicatorDimensions(values: FormValues, unit: Unit | null, errors: Errors): string[] {
	const keys = [...new Set(all(values.dimensions).filter(Boolean))];
	if (keys.some((k) => !SLUG.test(k)) || keys.length > MAX_DIMENSIONS)
		errors.dimensions = 'Kies dimensies uit de lijst.';
	else if (keys.length && unit === 'text') errors.dimensions = 'Een verhalen-indicator wordt niet uitgesplitst.';
	return keys;
}

/**
 * Baseline and target per category, from the cells of the category table (`ct:geslacht:meisje:baselineValue`,
 * …): a row with every cell empty is no target; the rules of the indicator's own baseline and target apply
 * per row, with the message beside the row's cell. One demo box per row marks both figures.
 */
function categoryTargets(values: FormValues, unit: Unit, errors: Errors): CategoryTarget[] {
	const rows = new Map<string, FormValues>();
	for (const [name, value] of Object.entries(values)) {
		const m = CELL.exec(name);
		if (!m) continue;
		const row = rows.get(`${m[1]}:${m[2]}`) ?? {};
		row[m[3]] = value;
		rows.set(`${m[1]}:${m[2]}`, row);
	}
	const targets: CategoryTarget[] = [];
	for (const [k, row] of rows) {
		const [dimension, category] = k.split(':');
		const cell = (field: string) => cellName(dimension, category, field);
		const own: Errors = {};
		const b = figure(row, 'baseline', unit, own);
		const source = text(row, 'baselineSource', own, { max: 500 });
		const t = figure(row, 'target', unit, own);
		if (b && !source) own.baselineSource = 'Vul de bron van de nulmeting in.';
		if (b === null && source) own.baselineValue = 'Vul de waarde en datum van de nulmeting in (of maak de bron leeg).';
		for (const [field, message] of Object.entries(own)) errors[cell(field)] = message;
		if (Object.keys(own).length || (!b && !t)) continue;
		const demo = one(row.demo) === 'on' ? { demo: true } : {};
		targets.push({
			dimension,
			category,
			...(b && source ? { baseline: { ...b, source, ...demo } } : {}),
			...(t ? { target: { ...t, ...demo } } : {})
		});
	}
	return targets;
}

export function readIndicatorForm(values: FormValues): FormResult<IndicatorInput> {
	const errors: Errors = {};
	const unit = choice(values, 'unit', UNITS, errors, 'Kies een eenheid.');
	const fields = {
		code: code(values, errors),
		node: one(values.node),
		name: text(values, 'name', errors, { required: true, max: 300, label: 'een naam' }) ?? '',
		definition: text(values, 'definition', errors, { required: true, label: 'de definitie' }) ?? '',
		kind: choice(values, 'kind', INDICATOR_KINDS, errors, 'Kies populatie- of programma-indicator.'),
		direction: choice(values, 'direction', DIRECTIONS, errors, 'Kies een richting.'),
		rba: choice(values, 'rba', RBA_CATEGORIES, errors, 'Kies een RBA-vraag.'),
		targetGroup: text(values, 'targetGroup', errors, { required: true, max: 300, label: 'de doelgroep' }) ?? '',
		source: text(values, 'source', errors, { required: true, max: 500, label: 'de bron' }) ?? '',
		method: text(values, 'method', errors, { required: true, label: 'de methode' }) ?? '',
		frequency: choice(values, 'frequency', FREQUENCIES, errors, 'Kies een frequentie.'),
		aggregation: choice(values, 'aggregation', AGGREGATIONS, errors, 'Kies hoe regio’s worden samengenomen.'),
		owner: text(values, 'owner', errors, { max: 300 })
	};
	if (!fields.node) errors.node = 'Kies het knooppunt waar de indicator bij hoort.';
	let baseline: IndicatorInput['baseline'] = null;
	let target: IndicatorInput['target'] = null;
	let targets: PeriodTarget[] = [];
	let derived: IndicatorInput['derived'] = null;
	const dimensions = indicatorDimensions(values, unit, errors);
	let perCategory: CategoryTarget[] = [];
	if (unit) {
		const b = figure(values, 'baseline', unit, errors);
		const source = text(values, 'baselineSource', errors, { max: 500 });
		const area = one(values.baselineRegion) || null;
		if (area !== null && !AREA.test(area)) errors.baselineRegion = 'Kies een gebied uit de lijst.';
		if (b) {
			if (!source) errors.baselineSource = 'Vul de bron van de nulmeting in.';
			else baseline = { ...b, source, demo: one(values.baselineDemo) === 'on', region: area };
		} else if (b === null && source)
			errors.baselineValue = 'Vul de waarde en datum van de nulmeting in (of maak de bron leeg).';
		else if (b === null && area !== null && !errors.baselineRegion)
			errors.baselineRegion = 'Een gebied hoort bij een nulmeting: vul die in, of kies "het programma zelf".';
		const t = figure(values, 'target', unit, errors);
		if (t) target = { ...t, demo: one(values.targetDemo) === 'on' };
		targets = periodTargets(values, unit, { baseline: b, target: t }, errors);
		perCategory = categoryTargets(values, unit, errors);
	}
	const measure = one(values.derivedMeasure);
	if (measure) {
		if (measure !== 'actions' && measure !== 'reached') errors.derivedMeasure = 'Kies wat er geteld wordt.';
		else {
			const targetGroup = one(values.derivedTargetGroup);
			const kinds = all(values.derivedKinds).filter(Boolean);
			const knownKinds = kinds.filter((k) => isOneOf(ACTION_KINDS, k));
			if (targetGroup && !isOneOf(TARGET_GROUPS, targetGroup))
				errors.derivedTargetGroup = 'Kies jongeren, ouders of professionals.';
			if (knownKinds.length < kinds.length) errors.derivedKinds = 'Onbekende soort actie.';
			if (unit !== 'count') errors.unit = 'Een indicator afgeleid uit het actielog heeft eenheid aantal.';
			derived = {
				measure,
				...(isOneOf(TARGET_GROUPS, targetGroup) ? { targetGroup } : {}),
				...(knownKinds.length ? { kinds: knownKinds } : {})
			};
		}
	}
	const months = validMonths(values, errors);
	const rules = valueRules(values, unit, errors);
	const { kind, direction, rba, frequency, aggregation } = fields;
	if (Object.keys(errors).length || !unit || !kind || !direction || !rba || !frequency || !aggregation)
		return { ok: false, errors };
	return {
		ok: true,
		value: {
			...fields,
			kind,
			unit,
			direction,
			rba,
			frequency,
			aggregation,
			baseline,
			target,
			targets,
			derived,
			validMonths: months,
			comparable: one(values.comparable) === 'on',
			key: one(values.key) === 'on',
			rules,
			dimensions,
			categoryTargets: perCategory
		}
	};
}

/** A form value list for a stored indicator (the inverse of readIndicatorForm). */
export function indicatorFormValues(
	i: Omit<IndicatorInput, 'node'> & { node: string }
): Record<string, string | string[]> {
	const num = (n: number) => String(n).replace('.', ',');
	return {
		code: i.code,
		node: i.node,
		name: i.name,
		definition: i.definition,
		kind: i.kind,
		unit: i.unit,
		direction: i.direction,
		rba: i.rba,
		targetGroup: i.targetGroup,
		source: i.source,
		method: i.method,
		frequency: i.frequency,
		aggregation: i.aggregation,
		owner: i.owner ?? '',
		baselineValue: i.baseline ? num(i.baseline.value) : '',
		baselineDate: i.baseline?.date ?? '',
		baselineSource: i.baseline?.source ?? '',
		baselineDemo: i.baseline?.demo ? 'on' : '',
		baselineRegion: i.baseline?.region ?? '',
		targetValue: i.target ? num(i.target.value) : '',
		targetDate: i.target?.date ?? '',
		targetDemo: i.target?.demo ? 'on' : '',
		periodTargets: periodTargetsText(i.targets),
		derivedMeasure: i.derived?.measure ?? '',
		derivedTargetGroup: i.derived?.targetGroup ?? '',
		derivedKinds: i.derived?.kinds ?? [],
		validMonths: i.validMonths === null ? '' : String(i.validMonths),
		comparable: i.comparable ? 'on' : '',
		key: i.key ? 'on' : '',
		ruleMin: i.rules.min === null ? '' : num(i.rules.min),
		ruleMax: i.rules.max === null ? '' : num(i.rules.max),
		ruleMaxChange: i.rules.maxChange === null ? '' : num(i.rules.maxChange),
		dimensions: i.dimensions,
		...Object.fromEntries(
			i.categoryTargets.flatMap((t) => {
				const cell = (field: string, value: string) => [cellName(t.dimension, t.category, field), value];
				return [
					cell('baselineValue', t.baseline ? num(t.baseline.value) : ''),
					cell('baselineDate', t.baseline?.date ?? ''),
					cell('baselineSource', t.baseline?.source ?? ''),
					cell('targetValue', t.target ? num(t.target.value) : ''),
					cell('targetDate', t.target?.date ?? ''),
					cell('demo', t.baseline?.demo || t.target?.demo ? 'on' : '')
				];
			})
		)
	};
}

export const versionSchema = idField();
