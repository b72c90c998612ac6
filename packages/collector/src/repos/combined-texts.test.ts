import { CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDatabases } from '../test-support/databases.js';
import { useStore } from '../test-support/store.js';
import { preparedOn } from '../test-support/prepared-on.js';
import { markProfilesDirtyQueries } from './audience-dirty.js';
import { combinedWrite } from './combined-writes.js';
import { insertEventsQuery } from './event-inserts.js';
import type { EventRecord } from './events.js';
import { appendOutbox } from './outbox.js';
import { insertEndpoint } from './webhook-endpoints.js';

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

const event = (n: number): EventRecord => ({
  messageId: `m-${n}`,
  type: 'identify',
  event: null,
  name: null,
  properties: null,
  traits: { email: `${n}@example.com` },
  context: null,
  anonymousId: `a-${n}`,
  userId: null,
  source: { kind: 'anonymousId', value: `a-${n}` },
  timestamp: n,
  receivedAt: n,
  seq: 0,
});

// Prepared-statement slots are first come, first served: a group's events, marks and
// webhook deliveries, one text a group size as `values` lists, once took every one
// before the first claim's write, which then ran unnamed and was planned every time.
describe.each((await testDatabases()).filter((s) => s.name === 'postgres'))('combined writes on $name', (store) => {
  const database = useStore(store);

  it("keep prepared slots for claims' writes after groups of 40 sizes wrote their events, marks and deliveries", async () => {
    const { db } = database;
    await insertEndpoint(db, 'ws', {
      id: 'we-1',
      url: 'https://hooks.example/t',
      description: null,
      events: ['profile.identified'],
      secret: 'whsec_dGVzdA==',
      enabled: true,
      createdAt: 1,
      updatedAt: 1,
    });
    const prepared = await db.connection().execute(async (conn) => {
      // Groups of 1 to 40 messages, built as a group builds its last write, never run.
      for (let n = 1; n <= 40; n++) {
        const events = Array.from({ length: n }, (_, i) => event(i));
        const writes = markProfilesDirtyQueries(
          conn,
          'ws',
          events.map((e) => `p-${e.messageId}`),
        );
        await appendOutbox(
          conn,
          'ws',
          events.map((e) => ({ type: 'profile.identified', profileId: `p-${e.messageId}`, data: {}, at: e.timestamp })),
          writes,
        );
        expect(writes.map((w) => w.sql)).toEqual([
          expect.stringContaining('insert into "audience_dirty"'),
          expect.stringContaining('insert into "webhook_deliveries"'),
        ]);
        combinedWrite(writes, insertEventsQuery(conn, 'ws', events));
      }
      for (const [i, value] of ['ana@example.com', 'bo@example.com'].entries()) {
        const [writes, last] = claimParts(value, i);
        await conn.executeQuery(combinedWrite(writes, last));
      }
      return preparedOn(conn);
    });
    expect(prepared.map((p) => p.statement)).toEqual([
      expect.stringMatching(/^with w1 as \(insert into identities .* insert into contact_log/),
    ]);
    const logged = await db.selectFrom('contact_log').select('id').orderBy('id').execute();
    expect(logged.map((l) => l.id)).toEqual(['log-ana@example.com', 'log-bo@example.com']);
  });
});
