import type { Kysely } from 'kysely';
import type { Database, Indicator, Programme } from '../db/schema.ts';
import type { ProgrammeContext, RequestContext } from '../request-context.ts';
import type { IndicatorView, Kompas, NodeLevel, ProgrammeView } from '../../domain/kompas.ts';
import * as repo from '../repositories/kompas.repository.ts';
import { canSee } from '../../domain/permissions.ts';
import { liveTreeOfRows, nodeOfIndicator } from '../../domain/plan-tree.ts';
import { parseDerivedRule } from '../../domain/plan.schema.ts';
import { landingPath } from '../../domain/landing.ts';

export function toProgrammeView(p: Programme): ProgrammeView {
	return { id: p.id, slug: p.slug, name: p.name, description: p.description, start: p.start_date, source: p.source };
}

export function toIndicatorView(i: Indicator): IndicatorView {
	const baseline =
		i.baseline_value === null
			? null
			: { value: i.baseline_value, date: i.baseline_date, source: i.baseline_source, demo: i.baseline_demo === 1 };
	const target =
		i.target_value === null ? null : { value: i.target_value, date: i.target_date, demo: i.target_demo === 1 };
	return {
		id: i.id,
		code: i.code,
		library: i.library_code,
		name: i.name,
		definition: i.definition,
		kind: i.kind,
		unit: i.unit,
		direction: i.direction,
		rba: i.rba,
		targetGroup: i.target_group,
		source: i.source,
		method: i.method,
		frequency: i.frequency,
		aggregation: i.aggregation,
		owner: i.owner,
		baseline,
		target,
		demo: Boolean(baseline?.demo || target?.demo),
		derived: parseDerivedRule(i.derived),
		node: nodeOfIndicator(i)
	};
}

export async function listProgrammes(db: Kysely<Database>) {
	const programmes = await repo.listProgrammes(db);
	const regions = await repo.listRegions(
		db,
		programmes.map((p) => p.id)
	);
	const slugById = new Map(regions.map((r) => [r.id, r.slug]));
	return programmes.map((p) => ({
		...toProgrammeView(p),
		regions: regions
			.filter((r) => r.programme_id === p.id)
			.map((r) => ({
				slug: r.slug,
				name: r.name,
				kind: r.kind,
				parent: r.parent_id === null ? null : slugById.get(r.parent_id)!
			}))
	}));
}

/** The programmes this actor may see. */
export async function listVisibleProgrammes({ db, actor }: Pick<RequestContext, 'db' | 'actor'>) {
	return (await listProgrammes(db)).filter((p) => canSee(actor, p.id));
}

/** Where this person lands after signing in or opening the app (null: the programme list). */
export async function landingFor(ctx: Pick<RequestContext, 'db' | 'actor'>): Promise<string | null> {
	return landingPath(ctx.actor, await listVisibleProgrammes(ctx));
}

export const findProgramme = (db: Kysely<Database>, slug: string) => repo.findProgrammeBySlug(db, slug);

/** The whole kompas tree of a programme, in six queries whatever its size. */
export async function getKompas({ db, programme }: ProgrammeContext): Promise<Kompas> {
	const rows = await repo.loadKompasRows(db, programme.id);
	const indicators = rows.indicators.map(toIndicatorView);
	const on = (level: NodeLevel, id: number) => indicators.filter((i) => i.node.level === level && i.node.id === id);
	const node = (level: NodeLevel, n: { id: number; code: string; title: string; description: string }) => ({
		id: n.id,
		code: n.code,
		title: n.title,
		description: n.description,
		indicators: on(level, n.id)
	});
	return {
		programme: toProgrammeView(programme),
		ambitions: rows.ambitions.map((a) => node('ambition', a)),
		outcomes: rows.outcomes.map((o) => node('outcome', o)),
		themes: rows.themes.map((t) => ({
			...node('theme', t),
			number: t.number,
			level: t.level,
			trend: t.trend,
			nextSteps: rows.nextSteps
				.filter((s) => s.theme_id === t.id)
				.map((s) => ({
					...node('nextStep', s),
					goal: s.goal,
					impact: s.impact,
					solutions: rows.solutions.filter((o) => o.next_step_id === s.id).map((o) => node('solution', o))
				}))
		}))
	};
}

/** A live indicator by code: null when it, or a node it hangs from, is archived (as in the kompas). */
/** A live indicator's stored row (with its validity and comparability fields), or null. */
export async function findIndicatorRow({ db, programme }: ProgrammeContext, code: string) {
	const row = await repo.findIndicatorWithNodes(db, programme.id, code);
	return row && row.archived_at === null && liveTreeOfRows([row]).indicators.length ? row : null;
}

export async function findIndicator(ctx: ProgrammeContext, code: string) {
	const row = await findIndicatorRow(ctx, code);
	return row ? toIndicatorView(row) : null;
}
