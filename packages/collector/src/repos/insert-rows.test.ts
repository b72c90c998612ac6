import { describe, expect, it } from 'vitest';
import { testDatabases } from '../test-support/databases.js';
import { useStore } from '../test-support/store.js';
import { appendLog, listLog } from './contact-log.js';
import { assignIdentitiesTo, findOwners, identitiesOf, retireIdentity, upsertIdentityRows } from './identities.js';
import { getProfileRecords, insertProfileRows, insertProfiles } from './profiles.js';

const databases = await testDatabases();

describe.each(databases)('multi-row inserts on $name', (store) => {
  const database = useStore(store);

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
  // 1,279 rows: on SQLite fixed-length blocks (1,000, 200, 40) and a 39-row remainder; on PostgreSQL one
  // JSON document. Values that JSON or an array literal must escape (quotes, backslashes, braces, commas, NULL,
  // control characters, a character outside the BMP, U+2028).
  it('writes long inserts row for row, whatever their length, with awkward text, JSON and nulls', async () => {
    const { db } = database;
    const n = 1279;
    const awkward = (i: number) => `q"uo\\te {a,b} NULL ${i} é ✓ 😀\n\t\u2028 null`;
    const ids = Array.from({ length: n }, (_, i) => `p${String(i).padStart(5, '0')}`);
    await insertProfileRows(
      db,
      'ws',
      ids.map((id, i) => ({
        id,
        status: i % 2 ? 'identified' : 'anonymous',
        traits: { name: awkward(i), nested: { list: [i, null, 'x'] } },
        mergedInto: i % 3 ? null : 'p00000',
        createdAt: i,
        updatedAt: i + 1,
      })),
    );
    const profiles = await getProfileRecords(db, 'ws', ids);
    expect(profiles.size).toBe(n);
    expect(profiles.get('p01235')).toMatchObject({
      status: 'identified',
      traits: { name: awkward(1235), nested: { list: [1235, null, 'x'] } },
      mergedInto: null,
      createdAt: 1235,
      updatedAt: 1236,
    });
    expect(profiles.get('p01236')?.mergedInto).toBe('p00000');

    const identity = (i: number, profileId: string) => ({
      kind: 'email' as const,
      value: `${i}-${awkward(i)}@example.com`,
      profileId,
      replacedAt: i % 5 ? null : 100,
      createdAt: i,
    });
    await upsertIdentityRows(
      db,
      'ws',
      ids.map((id, i) => identity(i, id)),
    );
    // Taken over: every row's owner moves to the next profile, created_at kept.
    await upsertIdentityRows(
      db,
      'ws',
      ids.map((_, i) => ({ ...identity(i, ids[(i + 1) % n]!), replacedAt: null, createdAt: 9999 })),
    );
    const owners = await findOwners(
      db,
      'ws',
      ids.map((_, i) => ({ kind: 'email', value: identity(i, '').value })),
    );
    expect(owners.size).toBe(n);
    for (let i = 0; i < n; i += 97) expect(owners.get(`email:${identity(i, '').value}`)).toBe(ids[(i + 1) % n]);
    const created = await db.selectFrom('identities').select(['created_at']).where('workspace_id', '=', 'ws').execute();
    expect(created.map((r) => Number(r.created_at)).sort((a, b) => a - b)).toEqual(ids.map((_, i) => i));

    await appendLog(
      db,
      'ws',
      ids.map((id, i) => ({ profileId: id, type: 'imported', at: 5000 + i, details: { row: i, text: awkward(i), none: null } })),
    );
    for (const i of [0, 999, 1000, 1239, 1240, 1278]) {
      expect((await listLog(db, 'ws', ids[i]!)).map((e) => [e.type, e.at, e.details])).toEqual([
        ['imported', 5000 + i, { row: i, text: awkward(i), none: null }],
      ]);
    }
  });
});
