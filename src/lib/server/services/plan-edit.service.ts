import type { Conn } from '../db/types.ts';
import type { ProgrammeContext, RequestContext } from '../request-context.ts';
import type { NodeLevel } from '../../domain/kompas.ts';
import { NODE_LEVEL_LABEL } from '../../domain/kompas.ts';
import { LEVELS, PARENT_LEVEL, type Errors, type NodeInput } from '../../domain/plan-edit.ts';
import * as repo from '../repositories/plan-edit.repository.ts';
import { writeAudit } from '../repositories/audit.repository.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { NODE_COLUMNS, nodeOfIndicator } from '../../domain/plan-tree.ts';
import { conflict, invalid, notFound, ok, stale, type Result } from '../../domain/result.ts';
import { planningWarning } from '../../domain/progress.ts';
import { parsePerspectives, storePerspectives } from '../../domain/system-map.ts';
import { dimensionsOf, parseDimensions, parseIndicatorDimensions, type Dimension } from '../../domain/breakdown.ts';
import { liveTree } from '../../domain/plan-tree.ts';
import { parsePollTemplates } from '../../domain/poll.ts';
import { storedTemplateContext, templateBreak } from '../../domain/poll-template-guard.ts';
import { loadKompasRows } from '../repositories/kompas.repository.ts';
import { lockProgramme } from '../repositories/plan.repository.ts';
import type { Indicator } from '../db/schema.ts';

/** The plan editor's nodes (ambitions, outcomes, themes, next steps, solutions): rules, transactions, audit. */

/** A plan edit as the poll-template check sees it: what it does to the live indicators, nodes or dimensions. */
export interface PlanEditEffect {
	/** the live indicator rows after the edit */
	indicators?: (live: Indicator[]) => Indicator[];
	/** a node the edit archives (what hangs below it leaves the plan) */
	archives?: { level: NodeLevel; id: number };
	/** the programme's dimensions after the edit */
	dimensions?: Dimension[];
}

/**
 * Why a plan edit would leave a poll template asking for something gone or changed (`templateBreak`),
 * read inside the edit's transaction; null when it would not (always, for a programme without templates).
 */
export async function templateBreakOf(tx: Conn, slug: string, effect: PlanEditEffect): Promise<string | null> {
	const programme = (await lockProgramme(tx, slug))!;
	const templates = parsePollTemplates(programme.poll_templates);
	if (!templates.length) return null;
	const rows = await loadKompasRows(tx, programme.id);
	const dimensions = parseDimensions(programme.dimensions);
	const live = liveTree(rows).indicators;
	const archived = effect.archives;
	const after = archived
		? liveTree({
				...rows,
				[TREE_ROWS[archived.level]]: rows[TREE_ROWS[archived.level]].filter((n) => n.id !== archived.id)
			}).indicators
		: live;
	return templateBreak(
		templates,
		storedTemplateContext(live, dimensions),
		storedTemplateContext(effect.indicators?.(after) ?? after, effect.dimensions ?? dimensions)
	);
}

const TREE_ROWS = {
	ambition: 'ambitions',
	outcome: 'outcomes',
	theme: 'themes',
	nextStep: 'nextSteps',
	solution: 'solutions'
} as const satisfies Record<NodeLevel, string>;

/** Refused plan-form fields, each beside its field. */
export const refused = (errors: Errors) => invalid(errors, 'Controleer de gemarkeerde velden.');
export const codeInUse = (code: string) => refused({ code: `De code ${code} is al in gebruik in dit plan.` });
/** A code stored by someone else at the same moment: the unique key decides, with the usual refusal. */
export const codeRace = (code: string) => (e: unknown) => (isUniqueViolation(e) ? codeInUse(code) : Promise.reject(e));

export interface OutlineIndicator {
	id: number;
	code: string;
	name: string;
	unit: string;
	archived: boolean;
	version: number;
	measurements: number;
	derived: boolean;
	/** a target on the wrong side of the baseline (`planningWarning`), or null */
	warning: string | null;
	/** the names of the dimensions it is split by */
	dimensions: string[];
}
export interface OutlineNode {
	id: number;
	level: NodeLevel;
	code: string;
	title: string;
	archived: boolean;
	version: number;
	indicators: OutlineIndicator[];
	children: OutlineNode[];
	/** what an export still needs here (a plan file requires indicators, next steps, solutions) */
	warnings: string[];
}

/** The whole plan for the editor, archived parts included (shown greyed, to restore). */
export async function planOutline({ db, programme }: ProgrammeContext) {
	const [nodes, indicators, counts] = await Promise.all([
		repo.allNodes(db, programme.id),
		repo.allIndicators(db, programme.id),
		repo.measurementCounts(db, programme.id)
	]);
	const programmeDimensions = parseDimensions(programme.dimensions);
	const of = (level: NodeLevel, id: number): OutlineIndicator[] =>
		indicators
			.filter((i) => i[NODE_COLUMNS[level]] === id)
			.map((i) => ({
				id: i.id,
				code: i.code,
				name: i.name,
				unit: i.unit,
				archived: i.archived_at !== null,
				version: i.version,
				measurements: counts.get(i.id) ?? 0,
				derived: i.derived !== null,
				warning: planningWarning({ direction: i.direction, baseline: i.baseline_value, target: i.target_value }),
				dimensions: dimensionsOf(programmeDimensions, parseIndicatorDimensions(i.dimensions)).map((d) => d.name)
			}));
	const node = (
		level: NodeLevel,
		n: { id: number; code: string; title: string; archived_at: string | null; version: number },
		children: OutlineNode[] = []
	): OutlineNode => {
		const live = of(level, n.id);
		const warnings: string[] = [];
		const archived = n.archived_at !== null;
		if (!archived && !live.some((i) => !i.archived)) warnings.push('nog geen (actieve) indicator');
		if (!archived && level === 'theme' && !children.some((c) => !c.archived)) warnings.push('nog geen vervolgstap');
		if (!archived && level === 'nextStep' && !children.some((c) => !c.archived)) warnings.push('nog geen oplossing');
		return {
			id: n.id,
			level,
			code: n.code,
			title: n.title,
			archived,
			version: n.version,
			indicators: live,
			children,
			warnings
		};
	};
	const themes = nodes.themes.map((t) =>
		node(
			'theme',
			t,
			nodes.nextSteps
				.filter((s) => s.theme_id === t.id)
				.map((s) =>
					node(
						'nextStep',
						s,
						nodes.solutions.filter((o) => o.next_step_id === s.id).map((o) => node('solution', o))
					)
				)
		)
	);
	return {
		ambitions: nodes.ambitions.map((a) => node('ambition', a)),
		outcomes: nodes.outcomes.map((o) => node('outcome', o)),
		themes
	};
}

/** The live nodes an indicator can hang on, as choices ("Thema 1 · Lanterfantertijd"). */
export async function nodeChoices({ db, programme }: ProgrammeContext) {
	const nodes = await repo.allNodes(db, programme.id);
	const live = <T extends { archived_at: string | null }>(rows: T[]) => rows.filter((r) => r.archived_at === null);
	const choice = (level: NodeLevel, n: { code: string; title: string }) => ({
		level,
		code: n.code,
		label: `${NODE_LEVEL_LABEL[level]} ${n.code} · ${n.title}`
	});
	return [
		...live(nodes.ambitions).map((n) => choice('ambition', n)),
		...live(nodes.outcomes).map((n) => choice('outcome', n)),
		...live(nodes.themes).map((n) => choice('theme', n)),
		...live(nodes.nextSteps).map((n) => choice('nextStep', n)),
		...live(nodes.solutions).map((n) => choice('solution', n))
	];
}

/** A node by its code, on whichever level it is (codes are unique across levels within a programme). */
export async function findNodeByCode(db: Conn, programmeId: number, code: string): Promise<repo.FoundNode | null> {
	for (const level of LEVELS) {
		const found = await repo.findNode(db, level, programmeId, code);
		if (found) return found;
	}
	return null;
}

/** The id of a next step's theme or a solution's next step; null on the levels without a parent. */
const parentOf = (found: repo.FoundNode): number | null =>
	found.level === 'nextStep' ? found.row.theme_id : found.level === 'solution' ? found.row.next_step_id : null;

async function codeTaken(db: Conn, programmeId: number, code: string, self?: { level: NodeLevel; id: number }) {
	const found = await findNodeByCode(db, programmeId, code);
	return found !== null && !(self && found.level === self.level && found.row.id === self.id);
}

/** The parent's id for a next step (its theme) or solution (its next step), when the parent is live. */
async function parentId(
	db: Conn,
	programmeId: number,
	level: NodeLevel,
	code: string | undefined
): Promise<number | null> {
	const parentLevel = PARENT_LEVEL[level];
	if (!parentLevel || !code) return null;
	const found = await repo.findNode(db, parentLevel, programmeId, code);
	return found && found.row.archived_at === null ? found.row.id : null;
}

/**
 * A node's columns from its form; `parent` is the live parent's id on the levels that have one (never null
 * there: the callers refuse a missing parent first).
 */
function columns(
	level: NodeLevel,
	input: NodeInput,
	parent: number | null
): repo.NodeChanges & { code: string; title: string; description: string } {
	const base = { code: input.code, title: input.title, description: input.description };
	const placement = {
		level: input.level ?? null,
		perspectives: storePerspectives(input.perspectives),
		trend: input.trend ?? null
	};
	if (level === 'theme') return { ...base, number: input.number, ...placement };
	if (level === 'nextStep')
		return { ...base, goal: input.goal, impact: input.impact, ...placement, theme_id: parent ?? undefined };
	if (level === 'solution') return { ...base, next_step_id: parent ?? undefined };
	return base;
}

async function nextSortOrder(db: Conn, programmeId: number, level: NodeLevel, parent: number | null) {
	const siblings = await siblingsOf(db, programmeId, level, parent);
	return siblings.reduce((m, s) => Math.max(m, s.sort_order), -1) + 1;
}

type NodeRow = {
	id: number;
	code: string;
	sort_order: number;
	archived_at: string | null;
	theme_id?: number;
	next_step_id?: number;
};

function rowsOf(nodes: Awaited<ReturnType<typeof repo.allNodes>>, level: NodeLevel): NodeRow[] {
	return {
		ambition: nodes.ambitions,
		outcome: nodes.outcomes,
		theme: nodes.themes,
		nextStep: nodes.nextSteps,
		solution: nodes.solutions
	}[level];
}

async function siblingsOf(db: Conn, programmeId: number, level: NodeLevel, parent: number | null) {
	const list = rowsOf(await repo.allNodes(db, programmeId), level);
	const ref = repo.PARENT_REF[level];
	return ref ? list.filter((n) => n[ref] === parent) : list;
}

export async function createNode(
	{ db, programme, actor }: RequestContext,
	level: NodeLevel,
	input: NodeInput
): Promise<Result<{ code: string }>> {
	return db
		.transaction()
		.execute(async (tx) => {
			if (await codeTaken(tx, programme.id, input.code)) return codeInUse(input.code);
			const parent = await parentId(tx, programme.id, level, input.parent);
			if (PARENT_LEVEL[level] && parent === null)
				return refused({ parent: 'Kies een bestaand (niet gearchiveerd) bovenliggend knooppunt.' });
			const values = {
				programme_id: programme.id,
				...columns(level, input, parent),
				sort_order: await nextSortOrder(tx, programme.id, level, parent)
			};
			const id = await repo.insertNode(tx, repo.TABLE[level], values);
			await writeAudit(tx, {
				by: actor,
				programmeId: programme.id,
				entity: level,
				entityId: id,
				action: 'create',
				after: values
			});
			return ok({ code: input.code });
		})
		.catch(codeRace(input.code));
}

/** Changes a node, based on the version the change was made on. */
export async function updateNode(
	{ db, programme, actor }: RequestContext,
	code: string,
	version: number,
	input: NodeInput
): Promise<Result<{ code: string }>> {
	return db
		.transaction()
		.execute(async (tx) => {
			const found = await findNodeByCode(tx, programme.id, code);
			if (!found) return notFound('Knooppunt');
			const { level, row } = found;
			if (input.code !== code && (await codeTaken(tx, programme.id, input.code, { level, id: row.id })))
				return codeInUse(input.code);
			const parent = await parentId(tx, programme.id, level, input.parent);
			if (PARENT_LEVEL[level] && parent === null)
				return refused({ parent: 'Kies een bestaand (niet gearchiveerd) bovenliggend knooppunt.' });
			const values = columns(level, input, parent);
			if (PARENT_LEVEL[level] && parentOf(found) !== parent)
				values.sort_order = await nextSortOrder(tx, programme.id, level, parent);
			if (!(await repo.updateNodeIfVersion(tx, repo.TABLE[level], row.id, version, values))) return stale();
			const { version: _v, updated_at: _u, created_at: _c, ...before } = row;
			await writeAudit(tx, {
				by: actor,
				programmeId: programme.id,
				entity: level,
				entityId: row.id,
				action: 'update',
				before,
				after: values
			});
			return ok({ code: input.code });
		})
		.catch(codeRace(input.code));
}

export type Target = { kind: 'node'; level: NodeLevel; id: number } | { kind: 'indicator'; id: number };

/** Moves a node or indicator one place up or down among its siblings (archived ones included). */
export async function move(
	{ db, programme, actor }: RequestContext,
	target: Target,
	direction: 'up' | 'down'
): Promise<Result<null>> {
	return db.transaction().execute(async (tx) => {
		let siblings: { id: number; sort_order: number }[];
		let table: repo.NodeTable | 'indicators';
		let entity: string;
		if (target.kind === 'indicator') {
			const all = await repo.allIndicators(tx, programme.id);
			const self = all.find((i) => i.id === target.id);
			if (!self) return notFound('Indicator');
			const ref = NODE_COLUMNS[nodeOfIndicator(self).level];
			siblings = all.filter((i) => i[ref] === self[ref]);
			table = 'indicators';
			entity = 'indicator';
		} else {
			const rows = rowsOf(await repo.allNodes(tx, programme.id), target.level);
			const self = rows.find((n) => n.id === target.id);
			if (!self) return notFound('Knooppunt');
			const ref = repo.PARENT_REF[target.level];
			siblings = ref ? rows.filter((n) => n[ref] === self[ref]) : rows;
			table = repo.TABLE[target.level];
			entity = target.level;
		}
		const i = siblings.findIndex((s) => s.id === target.id);
		const j = direction === 'up' ? i - 1 : i + 1;
		if (j < 0 || j >= siblings.length) return ok(null);
		const order = siblings.map((s) => s.id);
		[order[i], order[j]] = [order[j], order[i]];
		await repo.setSortOrders(
			tx,
			table,
			order.map((id, sort_order) => ({ id, sort_order }))
		);
		await writeAudit(tx, {
			by: actor,
			programmeId: programme.id,
			entity,
			entityId: target.id,
			action: 'move',
			before: { position: i + 1 },
			after: { direction, position: j + 1 }
		});
		return ok(null);
	});
}

/** Archives (or restores) a node; what hangs below it leaves the kompas and the export with it. */
export async function archiveNode(
	{ db, programme, actor }: RequestContext,
	{ level, id }: { level: NodeLevel; id: number },
	version: number,
	archived: boolean
): Promise<Result<null>> {
	return db.transaction().execute(async (tx) => {
		const row = rowsOf(await repo.allNodes(tx, programme.id), level).find((n) => n.id === id);
		if (!row) return notFound('Knooppunt');
		const broken = archived ? await templateBreakOf(tx, programme.slug, { archives: { level, id } }) : null;
		if (broken) return conflict(broken);
		if (
			!(await repo.updateNodeIfVersion(tx, repo.TABLE[level], id, version, {
				archived_at: archived ? new Date().toISOString() : null
			}))
		)
			return stale();
		await writeAudit(tx, {
			by: actor,
			programmeId: programme.id,
			entity: level,
			entityId: id,
			action: archived ? 'archive' : 'restore',
			before: { archived: row.archived_at !== null },
			after: { archived }
		});
		return ok(null);
	});
}

/** What the edit form shows for a node: its level, form values and version. */
export async function nodeEditor({ db, programme }: ProgrammeContext, code: string) {
	const found = await findNodeByCode(db, programme.id, code);
	if (!found) return null;
	const { level, row } = found;
	const values: Record<string, string | string[]> = {
		code: row.code,
		title: row.title,
		description: row.description
	};
	const placement = (r: { level: number | null; perspectives: string | null; trend: string | null }) => ({
		level: r.level === null ? '' : String(r.level),
		perspectives: parsePerspectives(r.perspectives),
		trend: r.trend ?? ''
	});
	if (found.level === 'theme') Object.assign(values, { number: String(found.row.number), ...placement(found.row) });
	if (found.level === 'nextStep')
		Object.assign(values, { goal: found.row.goal, impact: found.row.impact, ...placement(found.row) });
	const parentLevel = PARENT_LEVEL[level];
	if (parentLevel) {
		const parentRef = parentOf(found);
		const parent = rowsOf(await repo.allNodes(db, programme.id), parentLevel).find((n) => n.id === parentRef);
		values.parent = parent?.code ?? '';
	}
	return { level, values, version: row.version, archived: row.archived_at !== null };
}
