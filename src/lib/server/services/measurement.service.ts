import type { Region } from '../db/schema.ts';
import type { ProgrammeContext, RequestContext } from '../request-context.ts';
import type { DecimalMark } from '../../domain/dutch-format.ts';
import { todayIso } from '../../domain/dutch-format.ts';
import {
	canEditMeasurement,
	checkEntry,
	counts,
	LIMITS,
	type CheckedEntry,
	type EntryContext,
	type IndicatorRef,
	type MeasurementRecord,
	type MeasurementStatus,
	type MeasurementView,
	pollOf,
	type RawEntry
} from '../../domain/measurement.ts';
import { can } from '../../domain/permissions.ts';
import { checkValue, parseFlags, storedRules, storeFlags, type ValueRules } from '../../domain/value-rules.ts';
import { transact, type Conn } from '../db/types.ts';
import { liveTree } from '../../domain/plan-tree.ts';
import * as repo from '../repositories/measurement.repository.ts';
import { loadKompasRows } from '../repositories/kompas.repository.ts';
import { listProgrammeRegions } from '../repositories/region.repository.ts';
import { writeAudit } from '../repositories/audit.repository.ts';
import { conflict, forbidden, invalid, notFound, ok, refuse, stale, type Result } from '../../domain/result.ts';
import {
	categoryFlags,
	dimensionsOf,
	parseCategories,
	parseDimensions,
	parseIndicatorDimensions,
	storeCategories
} from '../../domain/breakdown.ts';
import { categoriesByKey, isCategoryPath } from '../../domain/measurement-categories.ts';
import type { Programme } from '../db/schema.ts';
import { derivedMeasurements, derivedRows, derivedRowsPerRegion } from './derived.service.ts';

/**
 * The measurements of an indicator that count (approved), optionally in one region: what charts and funders
 * see. A derived indicator's values, computed from the action log, come with them, marked `derived`.
 */
export async function listMeasurements(
	{ db, programme }: ProgrammeContext,
	indicatorId: number,
	regionSlug?: string
): Promise<Result<MeasurementView[]>> {
	const [regions, derived] = await Promise.all([
		listProgrammeRegions(db, programme.id),
		derivedMeasurements({ db, programme }, [indicatorId])
	]);
	const region = regionSlug === undefined ? undefined : regions.find((r) => r.slug === regionSlug);
	if (regionSlug !== undefined && !region)
		return invalid([{ path: 'region', message: 'onbekende regio voor dit programma' }], 'Onbekende regio');
	const stored = (await repo.listForIndicator(db, indicatorId, region?.id)).map(toView).filter(counts);
	const computed = region ? derivedRows(derived, regions, region.slug) : derivedRowsPerRegion(derived);
	return ok([...stored, ...computed].sort((a, b) => a.date.localeCompare(b.date) || a.region.localeCompare(b.region)));
}

type Row = Awaited<ReturnType<typeof repo.listForIndicator>>[number];
const toView = ({ poll_id, poll_name, ...r }: Row): MeasurementView => ({
	...r,
	status: r.status,
	demo: r.demo === 1,
	...pollOf({ poll_id, poll_name })
});

/**
 * What the indicator page shows: every region of the programme, the chosen one (by default the region
 * with the most measurements), and that region's measurements — only approved ones unless
 * `includeUnapproved` (for the people who enter and review them).
 */
export async function indicatorDetail(
	{ db, programme }: ProgrammeContext,
	indicatorId: number,
	regionSlug: string | null,
	{ includeUnapproved = false }: { includeUnapproved?: boolean } = {}
) {
	const [regions, stored, derived] = await Promise.all([
		listProgrammeRegions(db, programme.id),
		repo.listForIndicator(db, indicatorId),
		derivedMeasurements({ db, programme }, [indicatorId])
	]);
	const all = stored.map(toView).filter((m) => includeUnapproved || counts(m));
	const perRegion = new Map<string, number>();
	for (const m of all) perRegion.set(m.region, (perRegion.get(m.region) ?? 0) + 1);
	// a derived indicator's values: per phase, summed over the region and the regions below it
	const derivedIn = (slug: string) => derivedRows(derived, regions, slug);
	if (derived.length) for (const r of regions) perRegion.set(r.slug, derivedIn(r.slug).length);
	const busiest = [...perRegion.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
	const chosen = regions.find((r) => r.slug === regionSlug) ?? regions.find((r) => r.slug === busiest) ?? regions[0];
	return {
		regions: regions.map((r) => ({
			slug: r.slug,
			name: r.name,
			parent: r.parent_id,
			measurements: perRegion.get(r.slug) ?? 0
		})),
		region: chosen ? { slug: chosen.slug, name: chosen.name } : null,
		measurements: [...all.filter((m) => m.region === chosen?.slug), ...(chosen ? derivedIn(chosen.slug) : [])].sort(
			(a, b) => a.date.localeCompare(b.date)
		)
	};
}

export interface ScopeIndicator extends IndicatorRef {
	name: string;
	themeId: number | null;
}

/** The live indicators and the regions of a programme: what a measurement may refer to. */
export interface Scope {
	indicators: ScopeIndicator[];
	regions: Region[];
	context(decimal: DecimalMark, today?: string): EntryContext;
}

export async function programmeScope({ db, programme }: ProgrammeContext): Promise<Scope> {
	const [rows, regions] = await Promise.all([loadKompasRows(db, programme.id), listProgrammeRegions(db, programme.id)]);
	const tree = liveTree(rows);
	const dimensions = parseDimensions(programme.dimensions);
	const indicators = tree.indicators.map((i) => ({
		id: i.id,
		code: i.code,
		name: i.name,
		unit: i.unit,
		derived: i.derived !== null,
		rules: storedRules(i),
		dimensions: dimensionsOf(dimensions, parseIndicatorDimensions(i.dimensions)),
		themeId: tree.themeOf.get(i.id) ?? null
	}));
	const byCode = new Map(indicators.map((i) => [i.code.toUpperCase(), i]));
	const bySlug = new Map(regions.map((r) => [r.slug, r]));
	const byName = new Map(regions.map((r) => [r.name.toLowerCase(), r]));
	return {
		indicators,
		regions,
		context: (decimal, today = todayIso()) => ({
			indicator: (code) => byCode.get(code.toUpperCase()),
			region: (key) => bySlug.get(key) ?? bySlug.get(key.toLowerCase()) ?? byName.get(key.toLowerCase()),
			today,
			decimal
		})
	};
}

export function toRecord(r: repo.RecordRow): MeasurementRecord {
	return {
		id: r.id,
		indicator: r.indicator,
		indicatorName: r.indicator_name,
		unit: r.unit,
		region: r.region,
		regionName: r.region_name,
		date: r.date,
		value: r.value,
		text: r.text,
		n: r.n,
		source: r.source,
		note: r.note,
		status: r.status,
		reviewComment: r.review_comment,
		reviewFlags: parseFlags(r.review_flags),
		categories: parseCategories(r.categories),
		demo: r.demo === 1,
		version: r.version,
		createdBy: r.created_by,
		createdByName: r.created_by_name,
		updatedAt: r.updated_at,
		...pollOf(r)
	};
}

const auditShape = (m: {
	region: string;
	date: string;
	value: number | null;
	text: string | null;
	n: number | null;
	source: string | null;
	note: string | null;
	status: string;
	categories: MeasurementRecord['categories'];
}) => ({
	region: m.region,
	date: m.date,
	value: m.value,
	text: m.text,
	n: m.n,
	source: m.source,
	note: m.note,
	status: m.status,
	// keyed per category, so the audit log lists each changed one ("uitsplitsing: meisje 40 % → 45 %")
	categories: m.categories.length ? categoriesByKey(m.categories) : null
});

/** The columns an entry fills: the same for typing it in, editing it and importing it. */
export const entryColumns = (e: CheckedEntry) => ({
	region_id: e.region.id,
	date: e.date,
	value: e.value,
	text: e.text,
	n: e.n,
	source: e.source,
	note: e.note,
	categories: storeCategories(e.categories, e.indicator.dimensions ?? [])
});

/** A lead's entry is approved by them at once; anyone else's waits for review. */
export const reviewColumns = (
	approve: boolean,
	userId: number | null,
	now: string
): { status: MeasurementStatus; reviewed_by: number | null; reviewed_at: string | null } =>
	approve
		? { status: 'approved', reviewed_by: userId, reviewed_at: now }
		: { status: 'submitted', reviewed_by: null, reviewed_at: null };

/**
 * What the reviewer is told about a value (value-rules.ts): a change against the previous approved value of
 * the same indicator and region larger than the plan allows. Looked up only when the indicator has that rule.
 */
export async function reviewFlagsFor(
	db: Conn,
	rules: ValueRules | null | undefined,
	m: { indicatorId: number; regionId: number; date: string; value: number | null }
): Promise<string[]> {
	if (!rules || rules.maxChange === null || m.value === null) return [];
	const [previous] = await repo.previousApproved(db, [m]);
	const check = checkValue(rules, m.value, previous ? { value: previous.value!, date: previous.previous_date } : null);
	return check.flags;
}

/** An indicator's rules, and the dimensions it is split by in the programme's current plan. */
async function indicatorRules(
	db: Conn,
	programme: Programme,
	indicatorId: number
): Promise<{ rules: ValueRules | null; dimensions: ReturnType<typeof dimensionsOf> }> {
	const row = await repo.findRuleColumns(db, indicatorId);
	return {
		rules: row ? storedRules(row) : null,
		dimensions: row ? dimensionsOf(parseDimensions(programme.dimensions), parseIndicatorDimensions(row.dimensions)) : []
	};
}

/** The value rules' flags first, then what the categories make stand out (breakdown.ts `categoryFlags`). */
const flagsOf = async (db: Conn, e: CheckedEntry) => [
	...(await reviewFlagsFor(db, e.indicator.rules, {
		indicatorId: e.indicator.id,
		regionId: e.region.id,
		date: e.date,
		value: e.value
	})),
	...e.categoryFlags
];

/**
 * Refused entry: 400 as ever; a refusal about the categories alone is 422 `invalid_categories` (the figures
 * are well-formed, but they do not fit the indicator or the total).
 */
function refusedEntry(errors: Record<string, string | undefined>): Result<never> {
	const refusal = invalid(errors);
	const paths = refusal.refusal.issues ?? [];
	if (paths.length && paths.every((i) => isCategoryPath(i.path)))
		return refuse({
			...refusal.refusal,
			status: 422,
			code: 'invalid_categories',
			message: 'De uitsplitsing klopt niet: er is niets opgeslagen.'
		});
	return refusal;
}

const duplicateOf = (id: number) =>
	refuse({
		status: 409,
		code: 'duplicate',
		message:
			'Er is al een meting voor deze indicator, regio en datum: wijzig die in plaats van een tweede toe te voegen.',
		issues: [{ path: 'date', message: `er is al een meting voor deze indicator, regio en datum (meting ${id})` }]
	});

/** A new measurement; a lead's own entry is approved at once, anyone else's waits for review. */
export async function submitMeasurement(
	{ db, programme, actor }: RequestContext,
	raw: RawEntry,
	{ decimal = ',' }: { decimal?: DecimalMark } = {}
): Promise<Result<MeasurementRecord>> {
	const scope = await programmeScope({ db, programme });
	const checked = checkEntry(raw, scope.context(decimal));
	if (!checked.ok) return refusedEntry(checked.errors);
	const e = checked.entry;
	const approve = can(actor, 'measurement:approve', programme.id);
	const now = new Date().toISOString();
	const insert = () =>
		db.transaction().execute(async (tx): Promise<Result<MeasurementRecord>> => {
			const existing = await repo.findByKey(tx, e.indicator.id, e.region.id, e.date);
			if (existing) return duplicateOf(existing.id);
			const id = await repo.insertMeasurement(tx, {
				indicator_id: e.indicator.id,
				...entryColumns(e),
				review_flags: storeFlags(await flagsOf(tx, e)),
				...reviewColumns(approve, actor.userId, now),
				demo: 0,
				created_by: actor.userId
			});
			const record = toRecord((await repo.findRecord(tx, programme.id, id))!);
			await writeAudit(tx, {
				by: actor,
				programmeId: programme.id,
				entity: 'measurement',
				entityId: id,
				action: 'create',
				after: { indicator: e.indicator.code, ...auditShape(record) }
			});
			return ok(record);
		});
	try {
		return await insert();
	} catch (err) {
		// two people entering the same measurement at once: the unique key decides, the loser hears why
		const existing = await repo.findByKey(db, e.indicator.id, e.region.id, e.date);
		if (existing) return duplicateOf(existing.id);
		throw err;
	}
}

export async function getMeasurement(
	{ db, programme, actor }: RequestContext,
	id: number
): Promise<MeasurementRecord | null> {
	const row = await repo.findRecord(db, programme.id, id);
	if (!row) return null;
	const record = toRecord(row);
	return counts(record) || can(actor, 'measurement:submit', programme.id) ? record : null;
}

/** A change to a stored measurement, made on the version the editor saw; a stale version changes nothing. */
export async function editMeasurement(
	{ db, programme, actor }: RequestContext,
	id: number,
	version: number,
	patch: RawEntry,
	{ decimal = ',' }: { decimal?: DecimalMark } = {}
): Promise<Result<MeasurementRecord>> {
	const row = await repo.findRecord(db, programme.id, id);
	if (!row) return notFound('Meting');
	const before = toRecord(row);
	if (!canEditMeasurement(actor, programme.id, before))
		return forbidden('Je kunt alleen je eigen metingen wijzigen zolang ze niet zijn goedgekeurd.');
	const has = (k: keyof RawEntry) => Object.hasOwn(patch, k) && patch[k] !== undefined;
	// a changed value or story replaces the stored one, whichever slot it came in
	const changed = has('value') || has('text');
	const merged: RawEntry = {
		indicator: before.indicator,
		region: has('region') ? patch.region : before.region,
		date: has('date') ? patch.date : before.date,
		value: changed ? patch.value : (before.text ?? before.value),
		text: changed ? patch.text : undefined,
		n: has('n') ? patch.n : before.n,
		source: has('source') ? patch.source : before.source,
		note: has('note') ? patch.note : before.note,
		// kept unless given: checked again against the (possibly changed) total
		categories: has('categories') ? patch.categories : before.categories
	};
	const scope = await programmeScope({ db, programme });
	const checked = checkEntry(merged, scope.context(decimal), before.categories);
	if (!checked.ok) return refusedEntry(checked.errors);
	const e = checked.entry;
	const approve = can(actor, 'measurement:approve', programme.id);
	return db.transaction().execute(async (tx): Promise<Result<MeasurementRecord>> => {
		const clash = await repo.findByKey(tx, e.indicator.id, e.region.id, e.date);
		if (clash && clash.id !== id) return duplicateOf(clash.id);
		// an edit that waits for review again keeps who reviewed the earlier version (shown until re-reviewed)
		const { status, ...reviewer } = reviewColumns(approve, actor.userId, new Date().toISOString());
		const updated = await repo.updateIfVersion(tx, id, version, {
			...entryColumns(e),
			review_flags: storeFlags(await flagsOf(tx, e)),
			status,
			...(approve ? reviewer : {})
		});
		if (!updated) return stale();
		const after = toRecord((await repo.findRecord(tx, programme.id, id))!);
		await writeAudit(tx, {
			by: actor,
			programmeId: programme.id,
			entity: 'measurement',
			entityId: id,
			action: 'update',
			before: auditShape(before),
			after: auditShape(after)
		});
		return ok(after);
	});
}

export interface Review {
	decision: 'approve' | 'return';
	comment: string | null;
}

/** A lead approves a submitted measurement, or returns it with a comment. */
export async function reviewMeasurement(
	{ db, programme, actor }: RequestContext,
	id: number,
	version: number,
	{ decision, comment }: Review
): Promise<Result<MeasurementRecord>> {
	const row = await repo.findRecord(db, programme.id, id);
	if (!row) return notFound('Meting');
	const note = comment?.trim() || null;
	if (decision === 'return' && !note) return invalid({ comment: 'schrijf waarom je de meting terugstuurt' });
	if (note && note.length > LIMITS.note) return invalid({ comment: `hoogstens ${LIMITS.note} tekens` });
	if (row.status !== 'submitted')
		return row.version !== version
			? stale()
			: conflict(
					`Deze meting is niet (meer) ingediend: ze is ${row.status === 'approved' ? 'goedgekeurd' : 'teruggestuurd'}.`
				);
	// the plan's rules as they are now: a value outside the range is not approved; a large change is flagged
	const plan = decision === 'approve' ? await indicatorRules(db, programme, row.indicator_id) : null;
	const rules = plan?.rules ?? null;
	const refused = checkValue(rules, row.value, null).refused;
	if (refused) return row.version !== version ? stale() : invalid({ value: refused }, refused);
	// joins the bulk review's transaction when called from it
	return transact(db, async (tx): Promise<Result<MeasurementRecord>> => {
		const status = decision === 'approve' ? 'approved' : 'returned';
		const flags =
			decision === 'approve'
				? [
						...(await reviewFlagsFor(tx, rules, {
							indicatorId: row.indicator_id,
							regionId: row.region_id,
							date: row.date,
							value: row.value
						})),
						...categoryFlags(parseCategories(row.categories), {
							unit: row.unit,
							dimensions: plan?.dimensions ?? [],
							total: { value: row.value, n: row.n }
						})
					]
				: parseFlags(row.review_flags);
		const updated = await repo.updateIfVersion(tx, id, version, {
			status,
			review_flags: storeFlags(flags),
			review_comment: decision === 'return' ? note : (note ?? row.review_comment),
			reviewed_by: actor.userId,
			reviewed_at: new Date().toISOString()
		});
		if (!updated) return stale();
		await writeAudit(tx, {
			by: actor,
			programmeId: programme.id,
			entity: 'measurement',
			entityId: id,
			action: decision,
			before: { status: row.status },
			after: { status, comment: note }
		});
		return ok(toRecord((await repo.findRecord(tx, programme.id, id))!));
	});
}
