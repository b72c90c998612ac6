import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/connection.js';
import { type TestDatabase, testDatabases } from '../test-support/databases.js';
import { type EventRecord, SKIP_STORED_EVENT } from './events.js';
import { insertEventsOfKnownSources } from './known-source-events.js';
import { insertKnownSourcesRouted } from './known-source-events-routed.js';
import { logStatements } from '../test-support/statement-log.js';

const databases = await testDatabases();

/** A fresh store of `store`'s kind holding these anonymous visitors' identities (current unless `replaced_at` is given). */
async function openWith(
  store: TestDatabase,
  visitors: Array<{ workspace_id: string; value: string; profile_id: string; replaced_at?: number }>,
) {
  const database = await store.open();
  const rows = visitors.map((v) => ({ kind: 'anonymousId', replaced_at: null, created_at: 1, ...v }));
  await database.db.insertInto('identities').values(rows).execute();
  return database;
}

const event = (messageId: string, anonymousId: string, seq: number): EventRecord => ({
  messageId,
  type: 'track',
  event: 'Product Viewed',
  name: null,
  // Quotes, a backslash, brackets and characters past ASCII: PostgreSQL's document embeds the value, not its text.
  properties: { price: 49.9, tags: ['a', 'b'], note: 'say "hi" \\ ]]} ünï 🚀' },
  traits: null,
  context: { page: { path: '/p' } },
  anonymousId,
  userId: null,
  source: { kind: 'anonymousId', value: anonymousId },
  timestamp: 1000 + seq,
  receivedAt: 2000,
  seq,
});

// Both plans on every store: the store's own (one statement, or routed on a
// Citus coordinator), and the routed plan, which is plain SQL and so must
// give the same answers anywhere.
const routed = (database: Database, ws: string, events: EventRecord[]) => insertKnownSourcesRouted(database.db, ws, events);
const own = (database: Database, ws: string, events: EventRecord[]) =>
  insertEventsOfKnownSources(database.db, database.dialect, ws, events);
const plans = databases.flatMap((store) => [
  { ...store, plan: 'its own', insert: own },
  { ...store, plan: 'the routed', insert: routed },
]);

describe.each(plans)('insertEventsOfKnownSources on $name, $plan plan', (store) => {
  let database: Database;
  beforeAll(async () => {
    database = await openWith(store, [
      { workspace_id: 'w', value: 'v-known', profile_id: 'p-1' },
      { workspace_id: 'w', value: 'v-retired', profile_id: 'p-2', replaced_at: 5 },
      { workspace_id: 'other', value: 'v-elsewhere', profile_id: 'p-3' },
    ]);
  });
  afterAll(() => database.close());

  it('inserts only known, current sources of the workspace, once, and marks their profiles for the audience pass', async () => {
    const { db } = database;
    const batch = [event('m-1', 'v-known', 0), event('m-2', 'v-new', 1), event('m-3', 'v-retired', 2), event('m-4', 'v-elsewhere', 3)];
    expect([...(await store.insert(database, 'w', batch))]).toEqual(['m-1']);
    expect(await db.selectFrom('audience_dirty').select(['workspace_id', 'profile_id', 'version']).execute()).toEqual([
      { workspace_id: 'w', profile_id: 'p-1', version: 1 },
    ]);
    const stored = await db.selectFrom('events').selectAll().execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ message_id: 'm-1', source_value: 'v-known', timestamp: 1000, received_at: 2000, seq: 0 });
    const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
    expect(json(stored[0]!.properties)).toEqual({ price: 49.9, tags: ['a', 'b'], note: 'say "hi" \\ ]]} ünï 🚀' });
    expect(json(stored[0]!.context)).toEqual({ page: { path: '/p' } });
    // An absent JSON column is SQL NULL, not a JSON null (which pg would also answer as null).
    expect(await db.selectFrom('events').select('message_id').where('traits', 'is', null).execute()).toEqual([{ message_id: 'm-1' }]);

    // A repeat is not inserted and marks nothing; a new event for the same visitor marks it again.
    expect((await store.insert(database, 'w', [event('m-1', 'v-known', 0)])).size).toBe(0);
    expect((await store.insert(database, 'w', [event('m-5', 'v-known', 0), event('m-6', 'v-known', 1)])).size).toBe(2);
    expect(await db.selectFrom('audience_dirty').select(['profile_id', 'version']).execute()).toEqual([{ profile_id: 'p-1', version: 2 }]);

    // Only anonymousId sources take this path: an event recorded under a known userId is left to the full path.
    await db
      .insertInto('identities')
      .values({ workspace_id: 'w', kind: 'userId', value: 'u-known', profile_id: 'p-1', replaced_at: null, created_at: 1 })
      .execute();
    const byUser = { ...event('m-7', 'v-known', 0), source: { kind: 'userId' as const, value: 'u-known' } };
    expect((await store.insert(database, 'w', [byUser])).size).toBe(0);
  });
});

// Requests arriving while a workspace's known-source inserts are under way go
// together in the next statement on PostgreSQL (util/coalescer.ts); every
// store answers each call as if it had run alone.
describe.each(databases)('insertEventsOfKnownSources called side by side on $name', (store) => {
  let database: Database;
  beforeAll(async () => {
    database = await openWith(store, [
      { workspace_id: 'w', value: 'v-1', profile_id: 'p-1' },
      { workspace_id: 'w', value: 'v-2', profile_id: 'p-2' },
    ]);
  });
  afterAll(() => database.close());
  const insert = (events: EventRecord[]) => insertEventsOfKnownSources(database.db, database.dialect, 'w', events);
  /** The known-source inserts among `texts`, each as whether it skips repeats. */
  const eventInserts = (texts: string[]) =>
    texts.filter((s) => /^with v .* insert into events/i.test(s)).map((s) => (s.includes(SKIP_STORED_EVENT) ? skipping : firstTry));
  const [firstTry, skipping] = ['first try', 'skipping repeats'];

  it('answers each call its own inserted IDs, a messageId two calls share going to the first', async () => {
    const log = logStatements();
    const answers = await Promise.all(
      [
        [event('m-1', 'v-1', 0)],
        [event('m-2', 'v-2', 0)],
        [event('m-3', 'v-1', 0), event('m-4', 'v-new', 1)],
        [event('m-3', 'v-1', 0)],
        [event('m-5', 'v-2', 0)],
      ].map(insert),
    );
    log.stop();
    const [first, second, third, repeat, fifth] = answers.map((ids) => [...ids]);
    expect([first, second, fifth]).toEqual([['m-1'], ['m-2'], ['m-5']]);
    // m-3 goes in once. SQLite runs the calls in turn and PostgreSQL gathers them in order, so the first call has it;
    // a Citus coordinator runs each call in a transaction of its own, so either may.
    expect([...third!, ...repeat!]).toEqual(['m-3']);
    if (store.name !== 'citus') expect(repeat).toEqual([]);
    const stored = await database.db.selectFrom('events').select(['message_id', 'source_value']).orderBy('message_id').execute();
    expect(stored).toEqual([
      { message_id: 'm-1', source_value: 'v-1' },
      { message_id: 'm-2', source_value: 'v-2' },
      { message_id: 'm-3', source_value: 'v-1' },
      { message_id: 'm-5', source_value: 'v-2' },
    ]);
    const marks = await database.db.selectFrom('audience_dirty').select(['profile_id', 'version']).orderBy('profile_id').execute();
    expect(marks.map((m) => m.profile_id)).toEqual(['p-1', 'p-2']);
    // The first two calls ran at once, each alone; the three that came while they ran went in one statement.
    if (store.name === 'postgres') expect(eventInserts(log.texts)).toEqual([firstTry, firstTry, firstTry]);
  });

  it.runIf(store.name === 'postgres')(
    'tries each statement without skipping repeats, and skips them only once a repeat failed it',
    async () => {
      const log = logStatements();
      expect([...(await insert([event('m-20', 'v-1', 0)]))]).toEqual(['m-20']);
      expect([...(await insert([event('m-21', 'v-1', 0), event('m-20', 'v-1', 1)]))]).toEqual(['m-21']);
      log.stop();
      expect(eventInserts(log.texts)).toEqual([firstTry, firstTry, skipping]);
      const stored = await database.db.selectFrom('events').select('message_id').where('message_id', 'in', ['m-20', 'm-21']).execute();
      expect(stored.map((r) => r.message_id).sort()).toEqual(['m-20', 'm-21']);
    },
  );

  it('inside a caller’s transaction skips a repeat without failing the transaction', async () => {
    const log = logStatements();
    const ids = await database.db.transaction().execute(async (trx) => {
      const first = await insertEventsOfKnownSources(trx, database.dialect, 'w', [event('m-30', 'v-1', 0), event('m-2', 'v-2', 1)]);
      // The transaction is still usable after the repeat: a failed statement would have aborted it on PostgreSQL.
      await trx.selectFrom('events').select('message_id').where('message_id', '=', 'm-30').executeTakeFirstOrThrow();
      return first;
    });
    log.stop();
    expect([...ids]).toEqual(['m-30']);
    if (store.name === 'postgres') expect(eventInserts(log.texts)).toEqual([skipping]);
  });

  it.runIf(store.name === 'postgres')('keeps a failing call’s error its own: the others it was gathered with are stored', async () => {
    // A timestamp PostgreSQL cannot take as bigint fails the statement it is in.
    const broken = { ...event('m-bad', 'v-1', 0), timestamp: 1e30 };
    const answers = await Promise.allSettled(
      [[event('m-10', 'v-1', 0)], [event('m-11', 'v-2', 0)], [event('m-12', 'v-1', 0)], [broken], [event('m-13', 'v-2', 0)]].map(insert),
    );
    expect(answers.map((a) => (a.status === 'fulfilled' ? [...a.value] : 'failed'))).toEqual([
      ['m-10'],
      ['m-11'],
      ['m-12'],
      'failed',
      ['m-13'],
    ]);
    const stored = await database.db
      .selectFrom('events')
      .select('message_id')
      .where('message_id', 'in', ['m-10', 'm-11', 'm-12', 'm-13', 'm-bad'])
      .execute();
    expect(stored.map((r) => r.message_id).sort()).toEqual(['m-10', 'm-11', 'm-12', 'm-13']);
  });
});
