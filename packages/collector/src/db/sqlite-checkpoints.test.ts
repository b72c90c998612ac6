import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './connection.js';
import { startCheckpoints } from './sqlite-checkpoints.js';

const tempDb = () => join(mkdtempSync(join(tmpdir(), 'threadline-wal-')), 'wal.db');

describe('SQLite checkpoints on their own thread', () => {
  it('copy the WAL into the database file while the writer never checkpoints itself', async () => {
    const path = tempDb();
    const writer = new SQLite(path);
    writer.pragma('journal_mode = WAL');
    writer.pragma('wal_autocheckpoint = 0');
    writer.exec('create table t (id integer primary key, body text)');
    const insert = writer.prepare('insert into t (body) values (?)');
    writer.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run('x'.repeat(200));
    })();
    const before = statSync(path).size;
    const checkpoints = startCheckpoints(path, 20);
    try {
      // Waits for the thread (no time limit asserted: the test's own timeout bounds it).
      while (checkpoints.copied() === 0) await new Promise((r) => setTimeout(r, 20));
      expect(statSync(path).size).toBeGreaterThan(before);
    } finally {
      await checkpoints.stop();
      writer.close();
    }
    const reader = new SQLite(path, { readonly: true });
    expect(reader.prepare('select count(*) as n from t').get()).toEqual({ n: 2000 });
    reader.close();
  });

  it('a file store opened by the collector closes cleanly with its thread, keeping what it wrote', async () => {
    const path = tempDb();
    const database = await openDatabase(path);
    await database.db.insertInto('audience_passes').values({ workspace_id: 'w', checked_at: 1 }).execute();
    await database.close();
    const again = await openDatabase(path);
    expect(await again.db.selectFrom('audience_passes').selectAll().execute()).toEqual([{ workspace_id: 'w', checked_at: 1 }]);
    await again.close();
  });
});
