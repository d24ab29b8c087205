import type { RequestContext } from '../request-context.ts';
import type { Conn } from '../db/types.ts';
import type { Programme } from '../db/schema.ts';
import { todayIso } from '../../domain/dutch-format.ts';
import { canSee } from '../../domain/permissions.ts';
import { listProgrammes, programmeVersions } from '../repositories/kompas.repository.ts';
import { loadProgresses, type ProgressContext } from './progress.service.ts';

/**
 * Programmes read together in one progress read. Bounds the figures query's parameters (4 per programme
 * plus the per-period indicators' ids; SQLite allows 32,766, PostgreSQL 65,535): up to this many programmes
 * cost the same five queries, beyond it five more per batch.
 */
export const OVERVIEW_BATCH = 100;
/** Programmes whose row one server keeps; beyond it the oldest entries go. */
export const OVERVIEW_CACHE_SIZE = 10_000;

interface Cached {
	version: string;
	today: string;
	row: OverviewRow;
}
/** Per database handle (tests open many): programme id → its row, computed after reading `version` on `today`. */
const caches = new WeakMap<Conn, Map<number, Cached>>();

/**
 * One row per programme the actor may see: progress per theme and data completeness in the programme's
 * current phase, and its latest evaluation moment. Nothing is queried per programme, theme or indicator,
 * and no trend is read or computed (the overview shows none).
 *
 * A row depends only on the programme's data and today's date, not on who asks, so each server keeps the
 * rows it computed with the programme's data version (kept by database triggers on every server's writes).
 * A request reads the list and the versions (two queries) and recomputes only the programmes whose version
 * or date changed since, all of them together in four more. The versions are read before the data, so a row
 * computed from data newer than its version is only recomputed once more, never served stale.
 */
export async function programmeOverview({ db, actor }: Pick<RequestContext, 'db' | 'actor'>): Promise<OverviewRow[]> {
	const programmes = (await listProgrammes(db)).filter((p) => canSee(actor, p.id));
	const versions = await programmeVersions(db);
	const today = todayIso();
	const cache = caches.get(db) ?? new Map<number, Cached>();
	caches.set(db, cache);
	const rows = new Map<number, OverviewRow>();
	for (const p of programmes) {
		const hit = cache.get(p.id);
		if (hit && hit.version === versions.get(p.id) && hit.today === today) rows.set(p.id, hit.row);
	}
	const stale = programmes.filter((p) => !rows.has(p.id));
	for (let i = 0; i < stale.length; i += OVERVIEW_BATCH) {
		const batch = stale.slice(i, i + OVERVIEW_BATCH);
		const progresses = await loadProgresses(db, batch, { today }, { trend: false });
		for (const [k, programme] of batch.entries()) {
			const loaded = progresses[k];
			if (!loaded.ok) throw new Error(`default selection refused for ${programme.slug}: ${loaded.refusal.message}`);
			const row = overviewRow(programme, loaded.value);
			rows.set(programme.id, row);
			const version = versions.get(programme.id);
			if (version === undefined) continue;
			cache.delete(programme.id);
			cache.set(programme.id, { version, today, row });
			if (cache.size > OVERVIEW_CACHE_SIZE) cache.delete(cache.keys().next().value!);
		}
	}
	return programmes.map((p) => rows.get(p.id)!);
}

function overviewRow(programme: Programme, ctx: ProgressContext) {
	const { progress, input } = ctx;
	const numeric = progress.indicators.filter((i) => i.unit !== 'text');
	const withData = numeric.filter((i) => i.latest !== null).length;
	const finals = input.evaluations.filter((e) => e.state === 'final');
	const evaluated = input.phases.filter((p) => finals.some((e) => e.phaseId === p.id)).at(-1) ?? null;
	const year = (phaseId: number) => ctx.schoolYears.find((y) => y.phases.some((p) => p.id === phaseId))?.name ?? '';
	return {
		slug: programme.slug,
		name: programme.name,
		period: progress.period.phase
			? `${progress.period.phase.name} ${progress.period.schoolYear?.name ?? ''}`
			: (progress.period.schoolYear?.name ?? 'alle gegevens'),
		themes: progress.themes.map((t) => ({ id: t.id, number: t.number, title: t.title, progress: t.progress })),
		latestEvaluation: evaluated && {
			phase: `${evaluated.name} ${year(evaluated.id)}`,
			date:
				ctx.schoolYears.flatMap((y) => y.phases).find((p) => p.id === evaluated.id)?.evaluationDate ?? evaluated.end,
			count: finals.filter((e) => e.phaseId === evaluated.id).length
		},
		completeness: { withData, total: numeric.length, share: numeric.length ? withData / numeric.length : null }
	};
}

export type OverviewRow = ReturnType<typeof overviewRow>;
