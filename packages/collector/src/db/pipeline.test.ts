import { CompiledQuery, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { identifierLock, lockedTransaction } from '../repos/locks.js';
import { testDatabases } from '../test-support/databases.js';
import { logStatements } from '../test-support/statement-log.js';
import type { Database } from './connection.js';
import { deferred, pipelined } from './pipeline.js';
import { markPreparable } from './prepared-statements.js';

// Pipelines exist only on a single-node PostgreSQL's pool (db/connection.ts).
const databases = (await testDatabases()).filter((d) => d.name === 'postgres');

const insert = (value: string) =>
  CompiledQuery.raw(
    `insert into identities (workspace_id, kind, value, profile_id, created_at) values ('ws', 'email', $1, 'p', 1) returning value`,
    [value],
  );
const count = CompiledQuery.raw(`select count(*)::int as n from identities where workspace_id = $1`, ['ws']);
const READ = `select value from identities where workspace_id = $1 and kind = 'email' and value = $2`;
markPreparable(READ);

describe.runIf(databases.length)('statements pipelined on one PostgreSQL connection', () => {
  let database: Database;
  beforeEach(async () => {
    database = await databases[0]!.open();
  });
  afterEach(async () => {
    await database.close();
  });

  it('answers with the last statement rows, all sent in one round trip', async () => {
    const log = logStatements();
    const { rows } = await database.db.connection().execute((conn) => conn.executeQuery(pipelined([insert('ana@example.com'), count])));
    log.stop();
    expect(rows).toEqual([{ n: 1 }]);
    expect(log.texts).toHaveLength(1);
    expect(log.texts[0]).toContain('insert into identities');
    expect(log.texts[0]).toContain('select count(*)');
  });

  it('stops at a failing statement: what follows does not run, and the transaction rolls back whole', async () => {
    await database.db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      // The second insert repeats the key: the third never runs, and the first is undone with the rollback.
      await expect(
        conn.executeQuery(pipelined([insert('a@example.com'), insert('a@example.com'), insert('b@example.com')])),
      ).rejects.toThrow(/duplicate key/);
      await sql`rollback`.execute(conn);
      // The connection answers the next statement as usual.
      expect((await conn.executeQuery(count)).rows).toEqual([{ n: 0 }]);
    });
  });

  it('holds deferred statements until the next one, and sends them together', async () => {
    const log = logStatements();
    const rows = await database.db.connection().execute(async (conn) => {
      await conn.executeQuery(deferred([CompiledQuery.raw('begin'), insert('ana@example.com')]));
      const sent = log.texts.length;
      const { rows } = await conn.executeQuery(count);
      await sql`rollback`.execute(conn);
      return { sent, rows };
    });
    log.stop();
    // Nothing went out when deferred; then one round trip, and the insert was inside the transaction rolled back.
    expect(rows).toEqual({ sent: 0, rows: [{ n: 1 }] });
    expect(log.texts[0]).toMatch(/^begin; insert into identities .*; select count/);
    expect((await database.db.executeQuery(count)).rows).toEqual([{ n: 0 }]);
  });

  it('sends nothing deferred when the next statement is a rollback', async () => {
    const log = logStatements();
    await database.db.connection().execute(async (conn) => {
      await conn.executeQuery(deferred([CompiledQuery.raw('begin'), insert('ana@example.com')]));
      await sql`rollback`.execute(conn);
    });
    log.stop();
    expect(log.texts).toEqual(['rollback']);
    expect((await database.db.executeQuery(count)).rows).toEqual([{ n: 0 }]);
  });

  it('begins a locked transaction with its locks and first read in one round trip once the read is prepared on the connection', async () => {
    const { db } = database;
    await db.executeQuery(insert('ana@example.com'));
    const ws = 'ws';
    const read = () =>
      lockedTransaction(db, ws, [identifierLock(ws, 'email', 'ana@example.com')], async (trx) => {
        return (await trx.executeQuery(CompiledQuery.raw(READ, [ws, 'ana@example.com']))).rows;
      });
    // The first run prepares the read on its connection (the pool hands the same idle connection back).
    expect(await read()).toEqual([{ value: 'ana@example.com' }]);
    const log = logStatements();
    expect(await read()).toEqual([{ value: 'ana@example.com' }]);
    log.stop();
    expect(log.texts).toHaveLength(2);
    expect(log.texts[0]).toMatch(/^begin; select case when .*pg_advisory_xact_lock.*; select value from identities/);
    expect(log.texts[1]).toBe('commit');
  });
});
