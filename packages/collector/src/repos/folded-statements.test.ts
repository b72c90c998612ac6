import type { CompiledQuery } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { testDatabases } from '../test-support/databases.js';
import { useStore } from '../test-support/store.js';
import { logStatements } from '../test-support/statement-log.js';
import { markProfilesDirtyQueries } from './audience-dirty.js';
import { appendLog, listLog } from './contact-log.js';
import { runWrites } from './combined-writes.js';
import { insertEvents, insertEventsQuery } from './event-inserts.js';
import { type EventRecord, eventsOfProfile } from './events.js';
import { assignIdentities, assignIdentitiesTo, identitiesOf } from './identities.js';
import { ownersWithViews } from './owners-with-views.js';
import { preparedOn } from '../test-support/prepared-on.js';
import { insertProfiles, updateProfile } from './profiles.js';
import { profileViewsAndRecords } from './profile-views.js';

const databases = await testDatabases();

const event = (messageId: string, value: string): EventRecord => ({
  messageId,
  type: 'identify',
  event: null,
  name: null,
  properties: null,
  traits: { email: 'ana@example.com' },
  context: { page: { path: '/' } },
  anonymousId: value,
  userId: null,
  source: { kind: 'anonymousId', value },
  timestamp: 1000,
  receivedAt: 1000,
  seq: 0,
});

describe.each(databases)('an identify’s folded statements on $name', (store) => {
  const database = useStore(store);
  beforeEach(async () => {
    const { db } = database;
    await insertProfiles(db, 'ws', [
      { id: 'p1', status: 'identified', traits: { plan: 'gold' }, now: 1000 },
      { id: 'p2', status: 'anonymous', traits: {}, now: 1100 },
    ]);
    await assignIdentitiesTo(
      db,
      'ws',
      [
        { kind: 'anonymousId', value: 'a-1', profileId: 'p1' },
        { kind: 'email', value: 'ana@example.com', profileId: 'p1' },
        { kind: 'anonymousId', value: 'a-2', profileId: 'p2' },
        // A value held under another kind than the one asked below.
        { kind: 'userId', value: 'a-3', profileId: 'p2' },
      ],
      1000,
    );
    await insertEvents(db, 'ws', [event('m-1', 'a-1')], () => ['a-1']);
  });

  it('reads owners, their views and records, and stored messages in one statement, as the reads apart do', async () => {
    const { db } = database;
    const ids = [
      { kind: 'anonymousId' as const, value: 'a-1' },
      { kind: 'anonymousId' as const, value: 'a-3' },
      { kind: 'email' as const, value: 'bob@example.com' },
    ];
    const messages = [
      { messageId: 'm-1', sources: ['a-1'] },
      { messageId: 'm-2', sources: ['a-1'] },
    ];
    const log = logStatements();
    let read: Awaited<ReturnType<typeof ownersWithViews>>;
    try {
      read = await ownersWithViews(db, 'ws', ids, true, messages);
    } finally {
      log.stop();
    }
    expect(log.texts).toHaveLength(1);
    expect([...read.owners]).toEqual([['anonymousId:a-1', 'p1']]);
    expect([...read.stored]).toEqual(['m-1']);
    const apart = await profileViewsAndRecords(db, 'ws', ['p1']);
    expect(read.views).toEqual(apart.views);
    expect(read.records).toEqual(apart.records);
    expect(read.records.get('p1')?.traits).toEqual({ plan: 'gold' });

    const bare = await ownersWithViews(db, 'ws', [{ kind: 'anonymousId', value: 'a-2' }], false, []);
    expect([...bare.owners]).toEqual([['anonymousId:a-2', 'p2']]);
    expect(bare.views.size).toBe(0);
  });

  it('writes an identity, a profile, a log entry, a mark and events together, answering the events inserted', async () => {
    const { db } = database;
    const writes: CompiledQuery[] = [];
    await assignIdentities(db, 'ws', [{ kind: 'email', value: 'bea@example.com' }], 'p2', 2000, writes);
    await updateProfile(db, 'ws', 'p2', { status: 'identified', traits: { name: 'Bea' }, now: 2000 }, writes);
    await appendLog(db, 'ws', [{ profileId: 'p2', type: 'identifier_added', at: 2000, details: { kind: 'email' } }], writes);
    // Nothing is written until the writes are run.
    expect(await identitiesOf(db, 'ws', ['p2'])).toHaveLength(2);
    const log = logStatements();
    let rows: Array<{ message_id: string }>;
    try {
      rows = await runWrites(
        db,
        [...writes, ...markProfilesDirtyQueries(db, 'ws', ['p2'])],
        insertEventsQuery(db, 'ws', [event('m-2', 'a-2'), event('m-3', 'a-2')]),
      );
    } finally {
      log.stop();
    }
    // One statement on PostgreSQL; SQLite has no data-modifying `with` and runs each.
    expect(log.texts).toHaveLength(store.name === 'postgres' ? 1 : 5);
    expect(rows.map((r) => r.message_id).sort()).toEqual(['m-2', 'm-3']);
    expect((await identitiesOf(db, 'ws', ['p2'])).map((i) => i.value)).toContain('bea@example.com');
    const { records } = await profileViewsAndRecords(db, 'ws', ['p2']);
    expect(records.get('p2')).toMatchObject({ status: 'identified', traits: { name: 'Bea' }, updatedAt: 2000 });
    expect((await listLog(db, 'ws', 'p2')).map((e) => e.type)).toEqual(['identifier_added']);
    const marks = await db.selectFrom('audience_dirty').select(['profile_id', 'version']).execute();
    expect(marks.map((m) => [m.profile_id, Number(m.version)])).toEqual([['p2', 1]]);
  });

  it('writes one event with its mark, or thirty with theirs, in one text on PostgreSQL, prepared once, every value kept', async () => {
    const { db } = database;
    // Awkward values: a JSON null apart from no properties, nesting, quotes and text outside ASCII.
    const odd = (i: number): EventRecord => ({
      ...event(`odd-${i}`, 'a-2'),
      type: 'track',
      event: `Viewed "it" ${i}`,
      properties: i % 2 ? { gone: null, list: [1, { deep: 'ü' }] } : null,
      context: { page: { path: `/p/${i}` }, note: "l'été" },
      timestamp: 2000 + i,
    });
    const [one, thirty] = [[odd(0)], Array.from({ length: 30 }, (_, i) => odd(i + 1))];
    const { texts, prepared } = await db.connection().execute(async (conn) => {
      const log = logStatements();
      try {
        for (const events of [one, thirty])
          await runWrites(
            conn,
            markProfilesDirtyQueries(
              conn,
              'ws',
              events.map((_, i) => `p${i}`),
            ),
            insertEventsQuery(conn, 'ws', events),
          );
      } finally {
        log.stop();
      }
      return { texts: log.texts.filter((t) => t.includes('"events"')), prepared: store.name === 'postgres' ? await preparedOn(conn) : [] };
    });
    if (store.name === 'postgres') {
      expect(new Set(texts).size).toBe(1);
      // The connection may have run the beforeEach's lone insert too: only the folded one is this test's.
      expect(prepared.filter((p) => p.statement.includes('"audience_dirty"') && p.statement.includes('"events"'))).toHaveLength(1);
    } else expect(new Set(texts).size).toBe(2);
    const stored = await eventsOfProfile(db, 'ws', 'p2', 100);
    for (const e of [...one, ...thirty]) expect(stored.find((s) => s.messageId === e.messageId)).toEqual(e);
    const marks = await db.selectFrom('audience_dirty').select('profile_id').execute();
    expect(marks).toHaveLength(30);
  });
});
