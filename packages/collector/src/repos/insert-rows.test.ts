import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../db/connection.js';
import { testDatabases } from '../test-support/databases.js';
import { appendLog, listLog } from './contact-log.js';
import { assignIdentitiesTo, identitiesOf, retireIdentity } from './identities.js';
import { insertProfiles } from './profiles.js';

const databases = await testDatabases();

describe.each(databases)('multi-row inserts on $name', (store) => {
  let database: Database;
  beforeEach(async () => {
    database = await store.open();
  });
  afterEach(async () => {
    await database.close();
  });

  it('writes profiles, identities and log entries with their values, JSON and nulls, and takes over a retired identity', async () => {
    const { db } = database;
    await insertProfiles(db, 'ws', [
      { id: 'p1', status: 'identified', traits: { plan: 'gold', city: 'São Paulo, SP' }, now: 1000 },
      { id: 'p2', status: 'addressable', traits: {}, now: 1000 },
    ]);
    await assignIdentitiesTo(db, 'ws', [{ kind: 'email', value: 'ana@example.com', profileId: 'p1' }], 1000);
    await retireIdentity(db, 'ws', { kind: 'email', value: 'ana@example.com' }, 1500);
    await assignIdentitiesTo(
      db,
      'ws',
      [
        { kind: 'email', value: 'ana@example.com', profileId: 'p2' },
        { kind: 'phone', value: '+14155552671', profileId: 'p2' },
      ],
      2000,
    );
    const held = await identitiesOf(db, 'ws', ['p1', 'p2']);
    expect(held.map(({ kind, value, profileId, replacedAt }) => ({ kind, value, profileId, replacedAt }))).toEqual([
      { kind: 'email', value: 'ana@example.com', profileId: 'p2', replacedAt: null },
      { kind: 'phone', value: '+14155552671', profileId: 'p2', replacedAt: null },
    ]);
    const p1 = await db.selectFrom('profiles').selectAll().where('id', '=', 'p1').executeTakeFirstOrThrow();
    expect(p1).toMatchObject({ status: 'identified', merged_into: null, created_at: 1000, updated_at: 1000 });
    await appendLog(db, 'ws', [
      { profileId: 'p2', type: 'created', at: 2000, details: { via: 'import' } },
      { profileId: 'p2', type: 'imported', at: 2000, details: { importId: 'i1', row: 1, outcome: 'created' } },
    ]);
    expect((await listLog(db, 'ws', 'p2')).map((e) => [e.type, e.details])).toEqual([
      ['created', { via: 'import' }],
      ['imported', { importId: 'i1', row: 1, outcome: 'created' }],
    ]);
  });
});
