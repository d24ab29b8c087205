import type { AuditView } from './audit.ts';
import { dutchDateTime, dutchNumber, plural, shortDate, shorten } from './dutch-format.ts';
import { DIRECTION_LABEL, KIND_LABEL, NODE_LEVEL_LABEL, UNIT_LABEL } from './kompas.ts';
import { STATUS_LABEL } from './measurement.ts';
import { DECISION_LABEL, EVALUATION_STATUS_LABEL, STATE_LABEL } from './evaluation.ts';
import { ACTION_KIND_LABEL } from './action.ts';
import { ROLE_LABEL } from './permissions.ts';

/**
 * The audit log in Dutch words: what kind of object changed, what was done to it, and only the fields
 * that changed, with Dutch labels and formatted values ("streefwaarde 55 % → 60 %"). Entries keep their
 * detail as the services wrote it (database column names, camelCase keys); anything this dictionary
 * does not know is shown as a readable form of its key, never refused.
 */

export const AUDIT_ENTITY_LABEL = {
	measurement: 'meting',
	indicator: 'indicator',
	action: 'actie',
	evaluation: 'evaluatie',
	evaluation_follow_up: 'vervolgactie',
	organisation: 'organisatie',
	plan: 'meetplan',
	dimension: 'dimensie',
	ambition: NODE_LEVEL_LABEL.ambition.toLowerCase(),
	outcome: NODE_LEVEL_LABEL.outcome.toLowerCase(),
	theme: NODE_LEVEL_LABEL.theme.toLowerCase(),
	nextStep: NODE_LEVEL_LABEL.nextStep.toLowerCase(),
	solution: NODE_LEVEL_LABEL.solution.toLowerCase(),
	school_year: 'schooljaar',
	user: 'gebruiker',
	membership: 'rol',
	api_token: 'API-sleutel',
	poll: 'peiling'
} as const satisfies Record<string, string>;
export type AuditEntity = keyof typeof AUDIT_ENTITY_LABEL;
export const AUDIT_ENTITIES = Object.keys(AUDIT_ENTITY_LABEL) as AuditEntity[];

export const AUDIT_ACTION_LABEL = {
	create: 'aangemaakt',
	update: 'gewijzigd',
	delete: 'verwijderd',
	import: 'geïmporteerd',
	load: 'geladen',
	approve: 'goedgekeurd',
	return: 'teruggestuurd',
	archive: 'gearchiveerd',
	restore: 'teruggezet',
	move: 'verplaatst',
	finalise: 'definitief gemaakt',
	reopen: 'heropend',
	done: 'afgerond',
	undone: 'weer open gezet',
	disable: 'geblokkeerd',
	enable: 'weer toegelaten',
	password_reset: 'nieuw wachtwoord gegeven',
	password_change: 'wachtwoord gewijzigd',
	revoke: 'ingetrokken',
	close: 'gesloten'
} as const satisfies Record<string, string>;
export type AuditAction = keyof typeof AUDIT_ACTION_LABEL;
export const AUDIT_ACTIONS = Object.keys(AUDIT_ACTION_LABEL) as AuditAction[];

/** Where "<object> <verb>" reads wrong. */
const WHOLE_LABEL: Record<string, string> = {
	'user password_change': 'wachtwoord gewijzigd',
	'user password_reset': 'nieuw wachtwoord gegeven',
	'membership create': 'rol gegeven',
	'membership update': 'rol gewijzigd',
	'membership delete': 'rol afgenomen',
	'measurement import': 'metingen geïmporteerd'
};

/** "target_value" → "target value", "replacedNotListed" → "replaced not listed". */
export const readableKey = (key: string) =>
	key
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.replace(/[_.]+/g, ' ')
		.trim()
		.toLowerCase() || '?';

const known = <T extends object>(map: T, key: string): key is Extract<keyof T, string> =>
	Object.prototype.hasOwnProperty.call(map, key);

export const entityLabel = (entity: string) =>
	known(AUDIT_ENTITY_LABEL, entity) ? AUDIT_ENTITY_LABEL[entity] : readableKey(entity);

export const actionLabel = (action: string) =>
	known(AUDIT_ACTION_LABEL, action) ? AUDIT_ACTION_LABEL[action] : readableKey(action);

/** What happened, in Dutch: "meting goedgekeurd", "indicator gewijzigd". */
export const auditActionText = (e: Pick<AuditView, 'entity' | 'action'>) =>
	WHOLE_LABEL[`${e.entity} ${e.action}`] ?? `${entityLabel(e.entity)} ${actionLabel(e.action)}`;

const FIELD_LABEL: Record<string, string> = {
	// indicators (database columns) and plan nodes
	code: 'code',
	name: 'naam',
	title: 'titel',
	description: 'beschrijving',
	definition: 'definitie',
	kind: 'soort',
	unit: 'eenheid',
	direction: 'richting',
	rba: 'RBA-vraag',
	target_group: 'doelgroep',
	source: 'bron',
	method: 'methode',
	frequency: 'frequentie',
	aggregation: 'aggregatie',
	owner: 'eigenaar',
	baseline_value: 'nulmeting',
	baseline_date: 'datum nulmeting',
	baseline_source: 'bron nulmeting',
	baseline_region: 'gebied nulmeting',
	baseline_demo: 'nulmeting is voorbeeld',
	target_value: 'streefwaarde',
	target_date: 'streefdatum',
	target_demo: 'streefwaarde is voorbeeld',
	targets: 'streefwaarden per periode',
	derived: 'afgeleid uit het actielog',
	valid_months: 'geldig (maanden)',
	comparable: 'vergelijkbaar',
	key_indicator: 'kernindicator',
	library_code: 'bibliotheekindicator',
	ambition_id: 'ambitie',
	outcome_id: 'maatschappelijk resultaat',
	theme_id: 'thema',
	next_step_id: 'vervolgstap',
	solution_id: 'oplossing',
	number: 'nummer',
	goal: 'doel',
	impact: 'impact',
	archived: 'gearchiveerd',
	archived_at: 'gearchiveerd op',
	position: 'plaats',
	// breakdowns (the programme's dimensions, an indicator's, the privacy threshold)
	dimensions: 'uitsplitsing',
	category_targets: 'nulmeting en streefwaarde per categorie',
	categoryTargets: 'nulmeting en streefwaarde per categorie',
	min_group_size: 'minimale groepsgrootte',
	minGroupSize: 'minimale groepsgrootte',
	// measurements
	indicator: 'indicator',
	region: 'gebied',
	date: 'datum',
	value: 'waarde',
	text: 'verhaal',
	n: 'aantal (n)',
	note: 'toelichting',
	status: 'status',
	categories: 'uitsplitsing',
	comment: 'opmerking',
	file: 'bestand',
	replace: 'bestaande vervangen',
	rows: 'rijen',
	added: 'nieuw',
	replaced: 'vervangen',
	unchanged: 'ongewijzigd',
	replacedValues: 'vervangen waarden',
	replacedNotListed: 'vervangen, niet opgesomd',
	// a poll's closing (its measurements' `poll` is the poll's id)
	respondents: 'respondenten',
	closedBy: 'gesloten door',
	measurements: 'metingen gemaakt',
	skipped: 'overgeslagen',
	poll: 'peiling',
	// actions
	nextStep: 'vervolgstap',
	solution: 'oplossing',
	organisation: 'organisatie',
	reached: 'bereikt',
	quote: 'citaat',
	quotePublic: 'citaat deelbaar',
	// evaluations
	nextStepId: 'vervolgstap',
	phaseId: 'fase',
	done: 'gedaan',
	story: 'verhaal achter de cijfers',
	learnings: 'geleerd',
	decision: 'besluit',
	followUps: 'vervolgacties',
	state: 'stand',
	reason: 'reden',
	snapshot: 'vastgelegde cijfers',
	finalisedAt: 'definitief gemaakt op',
	finalisedBy: 'definitief gemaakt door',
	// plan loads
	programme: 'programma',
	nodes: 'knooppunten',
	indicators: 'indicatoren',
	regions: 'gebieden',
	changes: 'wijzigingen',
	// phases, users, tokens
	phases: 'fasen',
	how: 'hoe',
	email: 'e-mailadres',
	isAdmin: 'beheerder',
	disabled: 'geblokkeerd',
	user: 'gebruiker',
	role: 'rol',
	// polls
	template: 'sjabloon',
	closesAt: 'sluit om',
	maxAnswers: 'hoogstens antwoorden',
	openQuestion: 'open vraag'
};

/** The Dutch label of a field of the detail; a nested one ("reached.x") unknown here reads "reached: x". */
export function fieldLabel(field: string): string {
	if (FIELD_LABEL[field]) return FIELD_LABEL[field];
	// a measurement's category, keyed `categories.geslacht:meisje`: "uitsplitsing: meisje"
	if (field.startsWith(CATEGORY_FIELD))
		return `${FIELD_LABEL.categories}: ${readableKey(field.slice(field.indexOf(':') + 1))}`;
	const dot = field.indexOf('.');
	if (dot > 0) return `${fieldLabel(field.slice(0, dot))}: ${readableKey(field.slice(dot + 1))}`;
	return readableKey(field);
}

const VALUE_LABEL: Record<string, Record<string, string>> = {
	status: { ...STATUS_LABEL, ...lower(EVALUATION_STATUS_LABEL) },
	state: STATE_LABEL,
	decision: lower(DECISION_LABEL),
	unit: UNIT_LABEL,
	direction: { ...DIRECTION_LABEL, up: 'omhoog', down: 'omlaag' },
	kind: { ...KIND_LABEL, ...lower(ACTION_KIND_LABEL) },
	role: ROLE_LABEL
};

function lower(map: Record<string, string>): Record<string, string> {
	return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, v.toLowerCase()]));
}

/** A measurement's figure per category (measurement.service.ts audits them keyed `categories.<dimension>:<value>`). */
const CATEGORY_FIELD = 'categories.';

/** Stored as 0/1 integers. */
const FLAG_FIELDS = new Set(['baseline_demo', 'target_demo', 'comparable', 'key_indicator', 'quote_public']);
/** Numbers in the indicator's unit. */
const MEASURED_FIELDS = new Set(['value', 'target_value', 'baseline_value']);
/** Bookkeeping, not content: never listed as a change. */
const IGNORED_FIELDS = new Set([
	'id',
	'programme_id',
	'sort_order',
	'version',
	'created_at',
	'updated_at',
	'created_by'
]);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const LONG = 160;
const cut = (s: string) => (s.length > LONG ? `${s.slice(0, LONG)}…` : s);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value of the detail as people read it; `unit` is the indicator's, for values, baselines and targets. */
export function formatAuditValue(field: string, value: unknown, unit: string | null = null): string {
	if (value === null || value === undefined || value === '') return '—';
	if (field.startsWith(CATEGORY_FIELD)) {
		const figure = isPlainObject(value) ? value : { value };
		const shown = formatAuditValue('value', figure.value, unit);
		return typeof figure.n === 'number' ? `${shown} (n = ${dutchNumber(figure.n)})` : shown;
	}
	if (typeof value === 'boolean') return value ? 'ja' : 'nee';
	if (FLAG_FIELDS.has(field) && (value === 0 || value === 1)) return value === 1 ? 'ja' : 'nee';
	if (typeof value === 'number') {
		const n = dutchNumber(value);
		return MEASURED_FIELDS.has(field) && unit === 'percent' ? `${n} %` : n;
	}
	if (typeof value === 'string') {
		const named = VALUE_LABEL[field];
		if (named && known(named, value)) return named[value];
		if (ISO_DATE.test(value)) return shortDate(value);
		if (ISO_INSTANT.test(value)) return dutchDateTime(value);
		return cut(value);
	}
	if (Array.isArray(value)) {
		if (value.length === 0) return 'geen';
		if (value.every((v) => isPlainObject(v) && typeof v.description === 'string'))
			return cut(value.map((v) => (v as { description: string }).description).join('; '));
		if (value.every((v) => typeof v !== 'object' || v === null)) return cut(value.map(String).join(', '));
		return plural(value.length, 'onderdeel', 'onderdelen');
	}
	if (isPlainObject(value) && Object.keys(value).length === 0) return 'geen';
	return shorten(JSON.stringify(value));
}

/** One changed field: `before` is null for a new object, `after` null for a removed one. */
export interface AuditChange {
	field: string;
	label: string;
	before: string | null;
	after: string | null;
}

/** Nested plain objects one level deep become "parent.child" fields (an action's reached counts). */
function flatten(detail: unknown): Map<string, unknown> {
	const out = new Map<string, unknown>();
	if (!isPlainObject(detail)) return out;
	for (const [key, value] of Object.entries(detail)) {
		if (IGNORED_FIELDS.has(key)) continue;
		const nested = isPlainObject(value) ? Object.keys(value).length : 0;
		if (isPlainObject(value) && nested > 0 && (nested <= 12 || key === 'categories'))
			for (const [sub, v] of Object.entries(value)) out.set(`${key}.${sub}`, v);
		else out.set(key, value);
	}
	return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const empty = (v: unknown) =>
	v === null ||
	v === undefined ||
	v === '' ||
	(Array.isArray(v) && v.length === 0) ||
	(isPlainObject(v) && Object.keys(v).length === 0);

/**
 * The fields an entry changed. With both a before and an after: the fields of the after that differ (a
 * before may hold more, e.g. a whole database row). Only an after (created): its filled-in fields, without
 * arrows. Only a before (deleted): what it held.
 */
export function auditChanges(e: Pick<AuditView, 'before' | 'after'>, unit: string | null = null): AuditChange[] {
	const before = flatten(e.before);
	const after = flatten(e.after);
	const unitOf = unit ?? [after.get('unit'), before.get('unit')].find((u) => typeof u === 'string') ?? null;
	const change = (field: string, b: unknown | null, a: unknown | null, hasB: boolean, hasA: boolean) => ({
		field,
		label: fieldLabel(field),
		before: hasB ? formatAuditValue(field, b, unitOf as string | null) : null,
		after: hasA ? formatAuditValue(field, a, unitOf as string | null) : null
	});
	if (before.size && after.size)
		return [
			...[...after]
				.filter(([field, a]) => !same(before.get(field), a))
				.map(([field, a]) => change(field, before.get(field), a, true, true)),
			// a category no longer given is absent from the after
			...[...before]
				.filter(([field]) => field.startsWith(CATEGORY_FIELD) && !after.has(field))
				.map(([field, b]) => change(field, b, null, true, true))
		];
	if (after.size)
		return [...after].filter(([, a]) => !empty(a)).map(([field, a]) => change(field, null, a, false, true));
	return [...before].filter(([, b]) => !empty(b)).map(([field, b]) => change(field, b, null, true, false));
}

/** The object in words: "indicator VV-T1-AANDACHT", "meting #12". */
export function auditObjectText(e: Pick<AuditView, 'entity' | 'entityId' | 'object'>): string {
	const name = entityLabel(e.entity);
	if (e.entity === 'indicator' && e.object.code) return `${name} ${e.object.code}`;
	if (e.entity === 'measurement' && e.entityId !== null && e.object.code)
		return `${name} #${e.entityId} (${e.object.code})`;
	if (e.entity === 'measurement' && e.entityId === null) return 'metingen'; // an import: one entry for the file
	if (e.entity === 'plan') return name; // its id is the programme's
	return e.entityId === null ? name : `${name} #${e.entityId}`;
}

/**
 * The page of the changed object, where one exists and this viewer may open it (the account and token
 * pages are for admins); null otherwise, e.g. for something deleted.
 */
export function auditHref(
	e: Pick<AuditView, 'programme' | 'entity' | 'entityId' | 'action' | 'object'>,
	viewer: { admin: boolean }
): string | null {
	if (e.action === 'delete') {
		if (e.entity === 'membership' && viewer.admin) return '/admin/gebruikers';
		return null;
	}
	if (e.entity === 'user' || e.entity === 'membership') return viewer.admin ? '/admin/gebruikers' : null;
	if (e.entity === 'api_token') return viewer.admin ? '/admin/sleutels' : null;
	if (!e.programme) return null;
	const p = `/p/${encodeURIComponent(e.programme)}`;
	const id = e.entityId;
	switch (e.entity) {
		case 'measurement':
			return id === null ? `${p}/metingen` : `${p}/metingen/${id}`;
		case 'action':
			return id === null ? null : `${p}/acties/${id}`;
		case 'indicator':
			return e.object.code ? `${p}/indicatoren/${encodeURIComponent(e.object.code)}` : null;
		case 'evaluation':
			return e.object.nextStepId && e.object.phaseId
				? `${p}/evaluaties/${e.object.nextStepId}/${e.object.phaseId}`
				: null;
		case 'evaluation_follow_up':
			return `${p}/evaluaties/open`;
		case 'organisation':
			return `${p}/organisaties`;
		case 'poll':
			return id === null ? `${p}/peilingen` : `${p}/peilingen/${id}`;
		case 'school_year':
			return `${p}/fasen`;
		case 'plan':
		case 'ambition':
		case 'outcome':
		case 'theme':
		case 'nextStep':
		case 'solution':
			return `${p}/meetplan`;
		default:
			return null;
	}
}
