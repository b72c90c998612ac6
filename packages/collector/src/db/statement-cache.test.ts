import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './statement-cache.js';

describe('withStatementCache', () => {
  it('prepares a statement once and hands it out again for the same SQL', () => {
    const db = withStatementCache(new SQLite(':memory:'));
    db.exec('create table t (n integer)');
    const insert = db.prepare('insert into t (n) values (?)');
    expect(db.prepare('insert into t (n) values (?)')).toBe(insert);
    for (const n of [1, 2, 3]) db.prepare('insert into t (n) values (?)').run(n);
    expect(db.prepare('select sum(n) as s from t').get()).toEqual({ s: 6 });
    db.close();
  });

  it('prepares a fresh statement while the cached one is still being iterated', () => {
    const db = withStatementCache(new SQLite(':memory:'));
    db.exec('create table t (n integer); insert into t values (1), (2)');
    const sql = 'select n from t order by n';
    const outer = db.prepare(sql);
    const seen: number[] = [];
    for (const row of outer.iterate() as Iterable<{ n: number }>) {
      const inner = db.prepare(sql);
      expect(inner).not.toBe(outer);
      seen.push(row.n, ...(inner.all() as Array<{ n: number }>).map((r) => r.n));
    }
    expect(seen).toEqual([1, 1, 2, 2, 1, 2]);
    db.close();
  });
});
