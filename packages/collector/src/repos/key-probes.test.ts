import { CompiledQuery, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../db/connection.js';
import { testDatabases } from '../test-support/databases.js';
import { logStatements } from '../test-support/statement-log.js';
import type { Db } from './db.js';
import { storedMessageIds } from './event-inserts.js';
import type { EventRecord } from './events.js';
import { findOwners } from './identities.js';
import { insertEventsOfKnownSources } from './known-source-events.js';
import { ownersWithViews } from './owners-with-views.js';

const databases = (await testDatabases()).filter((d) => d.name === 'postgres');

/** The statements pg was given values for while `work` ran. */
async function captured(work: () => Promise<unknown>): Promise<Array<{ text: string; values: unknown[] }>> {
  const log = logStatements();
  try {
    await work();
  } finally {
    log.stop();
  }
  return log.bound;
}

const literal = (v: unknown): string =>
  v === null || v === undefined
    ? 'null'
    : Array.isArray(v)
      ? `array[${v.map(literal).join(', ')}]::text[]`
      : typeof v === 'number'
        ? String(v)
        : `'${String(v).replaceAll("'", "''")}'`;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}
const scans = (node: PlanNode): PlanNode[] => [
  ...(/Scan/.test(node['Node Type']) && node['Relation Name'] ? [node] : []),
  ...(node.Plans ?? []).flatMap(scans),
];

/** The generic plan (the one a prepared statement keeps) of `text` with `values`, on a connection of its own. */
async function genericPlan(db: Db, text: string, values: unknown[]): Promise<PlanNode> {
  return db.connection().execute(async (conn) => {
    await sql`set plan_cache_mode = force_generic_plan`.execute(conn);
    await conn.executeQuery(CompiledQuery.raw(`prepare probe as ${text}`));
    const { rows } = await conn.executeQuery<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
      CompiledQuery.raw(`explain (format json) execute probe(${values.map(literal).join(', ')})`),
    );
    await conn.executeQuery(CompiledQuery.raw('deallocate probe'));
    return rows[0]!['QUERY PLAN'][0]!.Plan;
  });
}

/** The column each table's probe must bound its index scan with: the last of the key it looks up. */
const PROBED: Record<string, RegExp> = {
  identities: /\b(value|profile_id) = /,
  events: /\bmessage_id = .*\bsource_value = |\bsource_value = .*\bmessage_id = /,
  profiles: /\bid = /,
};

const track = (i: number): EventRecord => ({
  messageId: `new-${i}`,
  type: 'track',
  event: 'Product Viewed',
  name: null,
  properties: {},
  traits: {},
  context: {},
  anonymousId: `a-${i}`,
  userId: null,
  source: { kind: 'anonymousId', value: `a-${i}` },
  timestamp: 1,
  receivedAt: 1,
  seq: 0,
});

// ARCHITECTURE.md, "PostgreSQL: lookups that stay probes": a store not yet analyzed (a
// fresh install, the first minute of a bench) gave the hot reads generic plans
// that scanned the workspace's identities or events for each value asked.
describe.runIf(databases.length)('lookups by key on a PostgreSQL store not yet analyzed', () => {
  let database: Database;
  beforeEach(async () => {
    database = await databases[0]!.open();
    const { db } = database;
    // 3,000 visitors with an event each, and no statistics: never analyzed.
    await sql`insert into profiles (workspace_id, id, status, traits, merged_into, created_at, updated_at)
      select 'ws', 'p-' || n, 'anonymous', '{}', null, n, n from generate_series(1, 3000) as n`.execute(db);
    await sql`insert into identities (workspace_id, kind, value, profile_id, replaced_at, created_at)
      select 'ws', 'anonymousId', 'a-' || n, 'p-' || n, null, n from generate_series(1, 3000) as n`.execute(db);
    await sql`insert into events (workspace_id, message_id, type, event, source_kind, source_value, anonymous_id, timestamp, received_at, seq)
      select 'ws', 'm-' || n, 'page', null, 'anonymousId', 'a-' || n, 'a-' || n, n, n, 0 from generate_series(1, 3000) as n`.execute(db);
  });
  afterEach(async () => {
    await database.close();
  });

  it('probes the primary key a value in every read of ingest and identify, whatever the planner estimates', async () => {
    const { db } = database;
    const statements = await captured(async () => {
      expect(await insertEventsOfKnownSources(db, 'postgres', 'ws', [track(1), track(2)])).toEqual(new Set(['new-1', 'new-2']));
      const read = await ownersWithViews(
        db,
        'ws',
        [
          { kind: 'anonymousId', value: 'a-5' },
          { kind: 'email', value: 'ana@example.com' },
        ],
        true,
        [{ messageId: 'm-5', sources: ['a-5', 'ana@example.com'] }],
      );
      expect(read.owners).toEqual(new Map([['anonymousId:a-5', 'p-5']]));
      expect(read.stored).toEqual(new Set(['m-5']));
      expect(await findOwners(db, 'ws', [{ kind: 'anonymousId', value: 'a-7' }])).toEqual(new Map([['anonymousId:a-7', 'p-7']]));
      expect(await storedMessageIds(db, 'ws', [{ messageId: 'm-7', sources: ['a-7'] }])).toEqual(new Set(['m-7']));
    });
    expect(statements).toHaveLength(4);
    for (const { text, values } of statements) {
      const found = scans(await genericPlan(db, text, values));
      expect(found.length, text).toBeGreaterThan(0);
      for (const scan of found) {
        const probe = PROBED[scan['Relation Name']!];
        if (!probe) continue;
        expect(scan['Node Type'], text).toMatch(/^Index (Only )?Scan$/);
        expect(scan['Index Cond'], `${scan['Relation Name']} in ${text}`).toMatch(probe);
      }
    }
  });
});
