import type { CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDatabases } from '../test-support/databases.js';
import { useStore } from '../test-support/store.js';
import { logStatements } from '../test-support/statement-log.js';
import { markProfilesDirtyQueries } from './audience-dirty.js';
import { runWrites } from './combined-writes.js';
import { appendLog, listLog } from './contact-log.js';
import { findOwners, upsertIdentityRows } from './identities.js';

const databases = await testDatabases();

/** Runs `work` and answers the statements it sent that start with `prefix`. */
async function statementsOf(prefix: string, work: () => Promise<unknown>): Promise<string[]> {
  const log = logStatements();
  try {
    await work();
  } finally {
    log.stop();
  }
  return log.texts.filter((t) => t.startsWith(prefix));
}

const rowsOf = (text: string) => text.match(/\), \(/g)?.length ?? 0;
const entries = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ profileId: `p${from + i}`, type: 'imported' as const, at: 5000 + i, details: { row: i } }));

describe.each(databases)('the statements of long inserts and reads on $name', (store) => {
  const database = useStore(store);

  it('writes 1,279 log entries as fixed SQLite blocks (1,000, 200, 40, 39), one JSON document on PostgreSQL, values on Citus', async () => {
    const { db } = database;
    const inserts = await statementsOf('insert into "contact_log"', () => appendLog(db, 'ws', entries(1279)));
    const shapes = inserts.map((t) => (t.includes('from jsonb_array_elements($1::jsonb) as r') ? 'doc' : rowsOf(t) + 1));
    expect(shapes).toEqual({ sqlite: [1000, 200, 40, 39], postgres: ['doc', 'doc'], citus: [1000, 279] }[store.name]);
    expect((await listLog(db, 'ws', 'p1278')).map((e) => [e.at, e.details])).toEqual([[6278, { row: 1278 }]]);
  });

  it('folds long inserts with runWrites: their document parameters are renumbered after the writes before them', async () => {
    const { db } = database;
    const writes: CompiledQuery[] = [];
    await appendLog(db, 'ws', entries(25), writes);
    writes.push(
      ...markProfilesDirtyQueries(
        db,
        'ws',
        entries(30, 100).map((e) => e.profileId),
      ),
    );
    const sent = await statementsOf('', () => runWrites(db, writes, markProfilesDirtyQueries(db, 'ws', ['p0'])[0]!));
    expect(sent).toHaveLength(store.name === 'postgres' ? 1 : 3);
    if (store.name === 'postgres') expect(sent[0]).toContain('from jsonb_array_elements($2::jsonb) as r');
    expect((await listLog(db, 'ws', 'p24')).map((e) => e.details)).toEqual([{ row: 24 }]);
    const marks = await db.selectFrom('audience_dirty').select(['profile_id', 'version']).execute();
    expect(marks).toHaveLength(31);
    expect(marks.find((m) => m.profile_id === 'p129')).toMatchObject({ version: 1 });
  });

  it('reads a long list of owners in one statement: through the key on PostgreSQL, else padded to a fixed length', async () => {
    const { db } = database;
    const ids = Array.from({ length: 300 }, (_, i) => ({ kind: 'email' as const, value: `${i}@example.com` }));
    await upsertIdentityRows(
      db,
      'ws',
      ids.slice(0, 200).map((id, i) => ({ ...id, profileId: `p${i}`, replacedAt: i === 7 ? 100 : null, createdAt: i })),
    );
    let owners = new Map<string, string>();
    const reads = await statementsOf('select', async () => {
      owners = await findOwners(db, 'ws', [...ids, { kind: 'phone', value: '0@example.com' }]);
    });
    expect(reads).toHaveLength(1);
    if (store.name === 'postgres') expect(reads[0]).toContain('cross join lateral');
    else expect(reads[0]!.match(/\?|\$\d+/g)).toHaveLength(1 + 2 + 1000);
    expect(owners.size).toBe(199);
    expect(owners.get('email:199@example.com')).toBe('p199');
    expect(owners.has('email:7@example.com')).toBe(false);
    expect(owners.has('phone:0@example.com')).toBe(false);
  });
});
