import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { ProgrammeContext, RequestContext } from '../request-context.ts';
import { inDutch } from '../../domain/zod-messages.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { organisationInputSchema, organisationPatchSchema } from '../../domain/action.ts';
import * as repo from '../repositories/organisation.repository.ts';
import { findRegion } from '../repositories/region.repository.ts';
import { writeAudit } from '../repositories/audit.repository.ts';
import { invalid, issuesOf, notFound, ok, stale, type Issue, type Result } from '../../domain/result.ts';

/** The organisations of a programme, maintained by its leads (seeded from the plan's `organisations`). */

export interface OrganisationView {
	id: number;
	name: string;
	kind: string;
	region: { slug: string; name: string } | null;
	archived: boolean;
	version: number;
}

type Row = Awaited<ReturnType<typeof repo.listOrganisations>>[number];
const toView = (o: Row): OrganisationView => ({
	id: o.id,
	name: o.name,
	kind: o.kind,
	region: o.region ? { slug: o.region, name: o.region_name! } : null,
	archived: o.archived_at !== null,
	version: o.version
});

export async function listOrganisations(
	{ db, programme }: ProgrammeContext,
	{ includeArchived = false }: { includeArchived?: boolean } = {}
): Promise<OrganisationView[]> {
	return (await repo.listOrganisations(db, programme.id, includeArchived)).map(toView);
}

async function regionId(
	db: Kysely<Database>,
	programmeId: number,
	slug: string | null | undefined
): Promise<number | null | 'unknown'> {
	if (!slug) return null;
	return (await findRegion(db, programmeId, slug))?.id ?? 'unknown';
}

const UNKNOWN_REGION: Issue = { path: 'region', message: 'Onbekende regio in dit programma.' };
const taken = (name: string): Issue => ({
	path: 'name',
	message: `Er is al een organisatie "${name}" in dit programma.`
});

export async function createOrganisation(
	{ db, programme, actor }: RequestContext,
	input: unknown
): Promise<Result<OrganisationView>> {
	const parsed = organisationInputSchema.safeParse(input, inDutch);
	if (!parsed.success) return invalid(issuesOf(parsed.error.issues));
	const o = parsed.data;
	const region = await regionId(db, programme.id, o.region);
	if (region === 'unknown') return invalid([UNKNOWN_REGION]);
	if (await repo.findOrganisationByName(db, programme.id, o.name)) return invalid([taken(o.name)]);
	const id = await db
		.transaction()
		.execute(async (tx) => {
			const id = await repo.insertOrganisation(tx, {
				programme_id: programme.id,
				name: o.name,
				kind: o.kind,
				region_id: region
			});
			await writeAudit(tx, {
				by: actor,
				programmeId: programme.id,
				entity: 'organisation',
				entityId: id,
				action: 'create',
				after: { name: o.name, kind: o.kind, region: o.region ?? null, archived: false }
			});
			return id;
		})
		// the same name stored at the same moment (a double click, a colleague): the unique key decides
		.catch((e) => (isUniqueViolation(e) ? null : Promise.reject(e)));
	if (id === null) return invalid([taken(o.name)]);
	return ok(toView((await repo.findOrganisation(db, programme.id, id))!));
}

/** Renames, re-places or archives an organisation (archived ones stay on their actions, but are no longer offered). */
export async function updateOrganisation(
	{ db, programme, actor }: RequestContext,
	id: number,
	input: unknown
): Promise<Result<OrganisationView>> {
	const current = await repo.findOrganisation(db, programme.id, id);
	if (!current) return notFound('Organisatie');
	const parsed = organisationPatchSchema.safeParse(input, inDutch);
	if (!parsed.success) return invalid(issuesOf(parsed.error.issues));
	const p = parsed.data;
	const region = p.region === undefined ? current.region_id : await regionId(db, programme.id, p.region);
	if (region === 'unknown') return invalid([UNKNOWN_REGION]);
	const name = p.name ?? current.name;
	const other = name !== current.name ? await repo.findOrganisationByName(db, programme.id, name) : undefined;
	if (other) return invalid([taken(name)]);
	const archivedAt =
		p.archived === undefined
			? current.archived_at
			: p.archived
				? (current.archived_at ?? new Date().toISOString())
				: null;
	const saved = await db
		.transaction()
		.execute(async (tx) => {
			if (
				!(await repo.updateOrganisation(tx, id, p.version, {
					name,
					kind: p.kind ?? current.kind,
					region_id: region,
					archived_at: archivedAt
				}))
			)
				return null;
			const after = (await repo.findOrganisation(tx, programme.id, id))!;
			await writeAudit(tx, {
				by: actor,
				programmeId: programme.id,
				entity: 'organisation',
				entityId: id,
				action: 'update',
				before: {
					name: current.name,
					kind: current.kind,
					region: current.region,
					archived: current.archived_at !== null
				},
				after: { name: after.name, kind: after.kind, region: after.region, archived: after.archived_at !== null }
			});
			return after;
		})
		// renamed to the same name at the same moment: the unique key decides
		.catch((e) => (isUniqueViolation(e) ? ('taken' as const) : Promise.reject(e)));
	if (saved === 'taken') return invalid([taken(name)]);
	if (!saved) return stale();
	return ok(toView(saved));
}
