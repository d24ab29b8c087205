import type { Insertable, Updateable } from 'kysely';
import type { ActionTable } from '../db/schema.ts';
import type { Conn } from '../db/types.ts';
import type { ActionFilter } from '../../domain/action.ts';

/** The action log's queries. Deleted actions stay in the table (for their idempotency key) and are left out everywhere else. */

const base = (db: Conn) =>
	db
		.selectFrom('actions as a')
		.innerJoin('next_steps as s', 's.id', 'a.next_step_id')
		.innerJoin('themes as t', 't.id', 's.theme_id')
		.innerJoin('regions as r', 'r.id', 'a.region_id')
		.leftJoin('solutions as o', 'o.id', 'a.solution_id')
		.leftJoin('organisations as g', 'g.id', 'a.organisation_id')
		.leftJoin('users as u', 'u.id', 'a.author_id')
		.select([
			'a.id',
			'a.programme_id',
			'a.date',
			't.id as theme_id',
			't.number as theme_number',
			't.title as theme_title',
			'a.next_step_id',
			's.code as next_step_code',
			's.title as next_step_title',
			'a.solution_id',
			'o.code as solution_code',
			'o.title as solution_title',
			'a.kind',
			'a.organisation_id',
			'g.name as organisation_name',
			'a.region_id',
			'r.slug as region_slug',
			'r.name as region_name',
			'a.reached_jongeren',
			'a.reached_ouders',
			'a.reached_professionals',
			'a.description',
			'a.quote',
			'a.quote_public',
			'a.author_id',
			'u.name as author_name',
			'a.demo',
			'a.version',
			'a.created_at',
			'a.updated_at'
		]);

export type ActionRow = Awaited<ReturnType<typeof findAction>> & {};

export const findAction = (db: Conn, programmeId: number, id: number) =>
	base(db)
		.where('a.programme_id', '=', programmeId)
		.where('a.id', '=', id)
		.where('a.deleted_at', 'is', null)
		.executeTakeFirst();

/** By idempotency key, deleted ones included: a resubmission must never create a second action. */
export const findByKey = (db: Conn, key: string) =>
	db
		.selectFrom('actions')
		.select(['id', 'programme_id', 'author_id', 'deleted_at'])
		.where('idempotency_key', '=', key)
		.executeTakeFirst();

export const listActions = (db: Conn, programmeId: number, f: ActionFilter) =>
	base(db)
		.where('a.programme_id', '=', programmeId)
		.where('a.deleted_at', 'is', null)
		.$if(f.from !== undefined, (q) => q.where('a.date', '>=', f.from!))
		.$if(f.to !== undefined, (q) => q.where('a.date', '<=', f.to!))
		.$if(f.theme !== undefined, (q) => q.where('t.id', '=', f.theme!))
		.$if(f.nextStep !== undefined, (q) => q.where('a.next_step_id', '=', f.nextStep!))
		.$if(f.solution !== undefined, (q) => q.where('a.solution_id', '=', f.solution!))
		.$if(f.region !== undefined, (q) => q.where('r.slug', '=', f.region!))
		.$if(f.organisation !== undefined, (q) => q.where('a.organisation_id', '=', f.organisation!))
		.$if(f.author !== undefined, (q) => q.where('a.author_id', '=', f.author!))
		.$if(f.kind !== undefined, (q) => q.where('a.kind', '=', f.kind!))
		.orderBy('a.date', 'desc')
		.orderBy('a.id', 'desc')
		.limit(f.limit + 1)
		.offset(f.offset)
		.execute();

/** The author's most recent action: the form's defaults ("the one used last"). */
export const lastOfAuthor = (db: Conn, programmeId: number, authorId: number) =>
	db
		.selectFrom('actions')
		.select(['next_step_id', 'solution_id', 'kind', 'organisation_id', 'region_id'])
		.where('programme_id', '=', programmeId)
		.where('author_id', '=', authorId)
		.where('deleted_at', 'is', null)
		.orderBy('id', 'desc')
		.limit(1)
		.executeTakeFirst();

export async function insertAction(db: Conn, values: Insertable<ActionTable>): Promise<number> {
	const { id } = await db.insertInto('actions').values(values).returning('id').executeTakeFirstOrThrow();
	return id;
}

/** Updates when the row still has `version`; false when someone else changed it first. */
export async function updateAction(
	db: Conn,
	id: number,
	version: number,
	values: Updateable<ActionTable>
): Promise<boolean> {
	const r = await db
		.updateTable('actions')
		.set({ ...values, version: version + 1 })
		.where('id', '=', id)
		.where('version', '=', version)
		.where('deleted_at', 'is', null)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

export interface StoryFilter {
	themeId?: number;
	nextStepId?: number;
	solutionId?: number;
	shareableOnly: boolean;
}

const stories = (db: Conn, programmeId: number, where: StoryFilter) =>
	base(db)
		.where('a.programme_id', '=', programmeId)
		.where('a.deleted_at', 'is', null)
		.where('a.quote', 'is not', null)
		.where('a.quote', '<>', '')
		.$if(where.themeId !== undefined, (q) => q.where('t.id', '=', where.themeId!))
		.$if(where.nextStepId !== undefined, (q) => q.where('a.next_step_id', '=', where.nextStepId!))
		.$if(where.solutionId !== undefined, (q) => q.where('a.solution_id', '=', where.solutionId!))
		.$if(where.shareableOnly, (q) => q.where('a.quote_public', '=', 1));

/** Quotes of a theme, next step or solution, newest first. */
export const listStories = (db: Conn, programmeId: number, where: StoryFilter & { limit: number }) =>
	stories(db, programmeId, where).orderBy('a.date', 'desc').orderBy('a.id', 'desc').limit(where.limit).execute();

/** How many quotes `listStories` would list without its limit. */
export const countStories = async (db: Conn, programmeId: number, where: StoryFilter) =>
	Number(
		(
			await stories(db, programmeId, where)
				.clearSelect()
				.select((eb) => eb.fn.countAll().as('n'))
				.executeTakeFirstOrThrow()
		).n
	);

/** Number of live actions per theme between two dates (inclusive). */
export const countByTheme = (db: Conn, programmeId: number, from: string, to: string) =>
	db
		.selectFrom('actions as a')
		.innerJoin('next_steps as s', 's.id', 'a.next_step_id')
		.select(['s.theme_id', (eb) => eb.fn.countAll<number>().as('count')])
		.where('a.programme_id', '=', programmeId)
		.where('a.deleted_at', 'is', null)
		.where('a.date', '>=', from)
		.where('a.date', '<=', to)
		.groupBy('s.theme_id')
		.execute();

// Plan nodes an action may hang on, within one programme.
export const findSolution = (db: Conn, programmeId: number, id: number) =>
	db
		.selectFrom('solutions')
		.select(['id', 'next_step_id'])
		.where('programme_id', '=', programmeId)
		.where('id', '=', id)
		.where('archived_at', 'is', null)
		.executeTakeFirst();

export const findNextStep = (db: Conn, programmeId: number, id: number) =>
	db
		.selectFrom('next_steps')
		.select(['id', 'theme_id'])
		.where('programme_id', '=', programmeId)
		.where('id', '=', id)
		.where('archived_at', 'is', null)
		.executeTakeFirst();

/** Themes, next steps and solutions for the form's choice and the list's filters. */
export async function listTargets(db: Conn, programmeId: number) {
	const [themes, steps, solutions] = await Promise.all([
		db
			.selectFrom('themes')
			.select(['id', 'number', 'code', 'title'])
			.where('programme_id', '=', programmeId)
			.where('archived_at', 'is', null)
			.orderBy('sort_order')
			.orderBy('id')
			.execute(),
		db
			.selectFrom('next_steps')
			.select(['id', 'theme_id', 'code', 'title'])
			.where('programme_id', '=', programmeId)
			.where('archived_at', 'is', null)
			.orderBy('sort_order')
			.orderBy('id')
			.execute(),
		db
			.selectFrom('solutions')
			.select(['id', 'next_step_id', 'code', 'title'])
			.where('programme_id', '=', programmeId)
			.where('archived_at', 'is', null)
			.orderBy('sort_order')
			.orderBy('id')
			.execute()
	]);
	return { themes, steps, solutions };
}

/** Who logged actions in this programme (for the author filter). */
export const listAuthors = (db: Conn, programmeId: number) =>
	db
		.selectFrom('actions as a')
		.innerJoin('users as u', 'u.id', 'a.author_id')
		.select(['u.id', 'u.name'])
		.distinct()
		.where('a.programme_id', '=', programmeId)
		.where('a.deleted_at', 'is', null)
		.orderBy('u.name')
		.execute();
