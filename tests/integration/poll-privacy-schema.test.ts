import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, migratedDb, type TestDb } from '../helpers/databases.ts';

/**
 * Privacy by design (issue 18), read from the live schema of each database after every migration: the table
 * about respondents holds nothing that identifies one — no address, user agent, name, e-mail, raw token or
 * time of answering — and the poll's own table holds nothing about a respondent either.
 */

/** Words in a column name (split on `_`) that would hold something about a person or their device. */
const PERSONAL = [
	'ip',
	'ipv4',
	'ipv6',
	'address',
	'addr',
	'host',
	'agent',
	'ua',
	'useragent',
	'browser',
	'name',
	'email',
	'mail',
	'phone',
	'cookie',
	'token',
	'fingerprint',
	'respondent',
	'user',
	'child',
	'pupil',
	'birth',
	'age'
];
/** Words that would date an answer (when someone answered could identify them in a class). */
const WHEN = ['at', 'time', 'timestamp', 'date', 'when', 'seen', 'answered', 'submitted', 'created', 'updated'];

const words = (column: string) => column.toLowerCase().split('_');

async function columns(db: TestDb, table: string): Promise<string[]> {
	if (db.dialect === 'sqlite') {
		const { rows } = await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(db.db);
		return rows.map((r) => r.name);
	}
	const { rows } = await sql<{ column_name: string }>`
		select column_name from information_schema.columns
		where table_schema = current_schema() and table_name = ${table}
		order by ordinal_position`.execute(db.db);
	return rows.map((r) => r.column_name);
}

describe.each(DIALECTS)('what the poll tables can hold on %s', (dialect) => {
	let db: TestDb;
	beforeAll(async () => {
		db = await migratedDb(dialect);
	});
	afterAll(async () => db?.drop());

	it('should keep per response only its poll, the salted device hash, the answers and the open answer', async () => {
		const list = await columns(db, 'poll_responses');
		expect(list.sort()).toEqual(['answers', 'device_hash', 'id', 'open_answer', 'poll_id']);
		const suspicious = list.filter((c) => words(c).some((w) => PERSONAL.includes(w) || WHEN.includes(w)));
		expect(suspicious).toEqual([]);
	});

	it('should keep nothing about a respondent on the poll itself: its name and times are the poll’s', async () => {
		const list = await columns(db, 'polls');
		expect(list.length).toBeGreaterThan(10);
		// the poll's own name and its lifecycle (created, closes, closed, answers deleted) are about the poll
		const own = new Set([
			'name',
			'created_at',
			'updated_at',
			'closes_at',
			'closed_at',
			'closed_by',
			'created_by',
			'answers_deleted_at',
			'date'
		]);
		const suspicious = list.filter(
			(c) => !own.has(c) && words(c).some((w) => PERSONAL.includes(w) || WHEN.includes(w))
		);
		expect(suspicious).toEqual([]);
		expect(list).toEqual(expect.arrayContaining([...own]));
	});
});
