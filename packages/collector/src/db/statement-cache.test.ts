import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { cachingStatements } from './statement-cache.js';

describe('cachingStatements', () => {
  it('prepares a text once, and keeps only the most recently used', () => {
    const native = new SQLite(':memory:');
    const prepared: string[] = [];
    const counting = {
      close: () => native.close(),
      prepare: (text: string) => {
        prepared.push(text);
        return native.prepare(text);
      },
    };
    const db = cachingStatements(counting, 2);
    const first = db.prepare('select 1');
    expect(db.prepare('select 1')).toBe(first);
    db.prepare('select 2');
    db.prepare('select 1'); // now the most recent: `select 2` is the one to go
    db.prepare('select 3');
    expect(db.prepare('select 1')).toBe(first);
    db.prepare('select 2');
    expect(prepared).toEqual(['select 1', 'select 2', 'select 3', 'select 2']);
    db.close();
  });

  it('runs Kysely queries, transactions and streams through cached statements', async () => {
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: cachingStatements(new SQLite(':memory:')) }) });
    await sql`create table t (id integer primary key, v text)`.execute(db);
    for (const v of ['a', 'b', 'c']) await db.insertInto('t').values({ v }).execute();
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ v: 'd' }).execute();
    });
    const streamed: string[] = [];
    for await (const row of db.selectFrom('t').select('v').orderBy('id').stream()) {
      streamed.push(row.v);
      if (streamed.length === 2) break; // an abandoned stream leaves the statement reusable
    }
    expect(streamed).toEqual(['a', 'b']);
    expect((await db.selectFrom('t').select('v').orderBy('id').execute()).map((r) => r.v)).toEqual(['a', 'b', 'c', 'd']);
    await db.destroy();
  });

  it('hands out a fresh statement for SQL whose cached one is still being iterated', () => {
    const native = new SQLite(':memory:');
    native.exec('create table t (v integer); insert into t values (1), (2), (3)');
    const db = cachingStatements(native);
    const text = 'select v from t order by v';
    const cached = db.prepare(text) as unknown as SQLite.Statement;
    const rows = cached.iterate();
    expect(rows.next().value).toEqual({ v: 1 });
    const second = db.prepare(text) as unknown as SQLite.Statement;
    expect(second).not.toBe(cached);
    expect(second.all()).toEqual([{ v: 1 }, { v: 2 }, { v: 3 }]);
    expect(rows.next().value).toEqual({ v: 2 });
    rows.return?.();
    expect(db.prepare(text)).toBe(cached);
    db.close();
  });
});
