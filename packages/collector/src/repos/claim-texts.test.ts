import { CompiledQuery } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../db/connection.js';
import { testDatabases } from '../test-support/databases.js';
import { preparedOn } from '../test-support/prepared-on.js';
import { claimTexts, combinedWrite } from './combined-writes.js';

const q = (text: string, ...values: unknown[]) => CompiledQuery.raw(text, values);

/** A claim-shaped write: an identity upsert, then a log entry (the statement the combination answers). */
const claimParts = (value: string, at: number): [CompiledQuery[], CompiledQuery] => [
  [
    q(
      'insert into identities (workspace_id, kind, value, profile_id, replaced_at, created_at) values ($1, $2, $3, $4, null, $5) on conflict (workspace_id, kind, value) do update set profile_id = excluded.profile_id',
      'ws',
      'email',
      value,
      'p-1',
      at,
    ),
  ],
  q(
    "insert into contact_log (workspace_id, id, profile_id, type, at, details) values ($1, $2, $3, 'identifier_added', $4, '{}')",
    'ws',
    `log-${value}`,
    'p-1',
    at,
  ),
];

// Prepared-statement slots are first come, first served: a group's events inserts
// (one shape per group size) once took all of the shared ones before the first claim.
describe.each((await testDatabases()).filter((s) => s.name === 'postgres'))("claims' combined writes on $name", (store) => {
  let database: Database;
  beforeEach(async () => {
    database = await store.open();
  });
  afterEach(async () => {
    await database.close();
  });

  it('are prepared once a connection even after other shapes took every shared slot', async () => {
    // 40 shapes through the shared cache, never run: its 32 prepared slots are gone.
    for (let n = 1; n <= 40; n++) combinedWrite([q(`select ${n} where $1::int > 0`, n)], q('select $1::int as n', n));
    const prepared = await database.db.connection().execute(async (conn) => {
      for (const [i, value] of ['ana@example.com', 'bo@example.com'].entries()) {
        const [writes, last] = claimParts(value, i);
        await conn.executeQuery(combinedWrite(writes, last, claimTexts));
        // The same shape through the shared cache, with its slots gone: run as it came.
        const [others, otherLast] = claimParts(`other-${value}`, i);
        await conn.executeQuery(combinedWrite([...others, q('select $1::int', i)], otherLast));
      }
      return preparedOn(conn);
    });
    expect(prepared.map((p) => p.statement)).toEqual([
      expect.stringMatching(/^with w1 as \(insert into identities .* insert into contact_log/),
    ]);
    const logged = await database.db.selectFrom('contact_log').select('id').orderBy('id').execute();
    expect(logged.map((l) => l.id)).toEqual([
      'log-ana@example.com',
      'log-bo@example.com',
      'log-other-ana@example.com',
      'log-other-bo@example.com',
    ]);
  });
});
