import { sql, type Kysely } from 'kysely';
import type { Dialect } from './schema.js';

type Db = Kysely<any>;

/**
 * A table's primary key becomes `columns` (the 0014 key changes). PostgreSQL
 * swaps the constraint; SQLite cannot alter a key, so the table is rebuilt
 * from its own stored definition (columns and indexes other migrations added
 * are kept) and its rows copied.
 */
export async function replacePrimaryKey(db: Db, dialect: Dialect, table: string, columns: string[]): Promise<void> {
  const constraint = `${table}_pk`;
  const list = columns.map((c) => `"${c}"`).join(', ');
  if (dialect === 'postgres') {
    await sql
      .raw(`alter table "${table}" drop constraint "${constraint}", add constraint "${constraint}" primary key (${list})`)
      .execute(db);
    return;
  }
  const { rows } = await sql<{ type: string; sql: string }>`select type, sql from sqlite_master
    where tbl_name = ${table} and sql is not null order by type desc`.execute(db);
  const create = rows.find((r) => r.type === 'table')?.sql;
  const keyClause = new RegExp(`constraint "${constraint}" primary key \\([^)]*\\)`, 'i');
  if (!create || !keyClause.test(create)) throw new Error(`${table}: no ${constraint} to replace`);
  const tmp = `${table}_rekeyed`;
  const rebuilt = create
    .replace(keyClause, `constraint "${constraint}" primary key (${list})`)
    .replace(/^create table "?\w+"?/i, `create table "${tmp}"`);
  await sql.raw(rebuilt).execute(db);
  await sql.raw(`insert into "${tmp}" select * from "${table}"`).execute(db);
  await sql.raw(`drop table "${table}"`).execute(db);
  await sql.raw(`alter table "${tmp}" rename to "${table}"`).execute(db);
  for (const index of rows.filter((r) => r.type === 'index')) await sql.raw(index.sql).execute(db);
}
