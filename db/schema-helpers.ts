import { PostgresAdapter, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * The only dialect-specific DDL in the migrations: an auto-incrementing integer key
 * (`integer primary key autoincrement` on SQLite, `serial primary key` on PostgreSQL).
 * Kept stable: migrations depend on it, so never change what it emits.
 */
export function isPostgres(db: Kysely<any>): boolean {
	return db.getExecutor().adapter instanceof PostgresAdapter;
}

export function withId<T extends string>(db: Kysely<any>, table: CreateTableBuilder<T, never>) {
	return isPostgres(db)
		? table.addColumn('id', 'serial', (c) => c.primaryKey())
		: table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

export const notNull = (c: ColumnDefinitionBuilder) => c.notNull();
