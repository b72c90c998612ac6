import { CompiledQuery } from 'kysely';
import type { Dialect } from '../db/schema.js';
import { chunks } from './chunks.js';
import type { Db } from './db.js';
import { eventRow, INSERT_CHUNK, type EventRecord } from './events.js';

const COLUMNS = [
  'message_id',
  'type',
  'event',
  'name',
  'properties',
  'traits',
  'context',
  'anonymous_id',
  'user_id',
  'source_kind',
  'source_value',
  'timestamp',
  'received_at',
  'seq',
] as const;

/** PostgreSQL types the VALUES list by its parameters, all text when untyped; SQLite stores what it is given. */
const PG_TYPES: Partial<Record<(typeof COLUMNS)[number], string>> = {
  properties: 'jsonb',
  traits: 'jsonb',
  context: 'jsonb',
  timestamp: 'bigint',
  received_at: 'bigint',
  seq: 'integer',
};

/** The statement for `rows` events, made once per dialect and row count: Kysely's builder would rebuild 14 nodes a row each time. */
const statements = new Map<string, string>();
function statementFor(dialect: Dialect, rows: number): string {
  const key = `${dialect}:${rows}`;
  let text = statements.get(key);
  if (text) return text;
  // The workspace comes after the cells: `$n+1` used twice on PostgreSQL, two `?` on SQLite
  // (better-sqlite3 binds no numbered `?n`).
  const pg = dialect === 'postgres';
  let p = 0;
  const cell = (column: (typeof COLUMNS)[number]) => {
    const placeholder = pg ? `$${++p}` : '?';
    const type = dialect === 'postgres' ? PG_TYPES[column] : undefined;
    return type ? `cast(${placeholder} as ${type})` : placeholder;
  };
  const values = Array.from({ length: rows }, () => `(${COLUMNS.map(cell).join(', ')})`).join(', ');
  // Quoted: `timestamp` is a keyword on both dialects.
  const columns = COLUMNS.map((c) => `"${c}"`).join(', ');
  const ws = pg ? `$${p + 1}` : '?';
  // The identity test is an uncorrelated IN, not EXISTS: Citus cannot run a
  // subquery correlated with a VALUES list; it plans this one on its own
  // (the identities of these values, from the shards holding them).
  text = `with v (${columns}) as (values ${values})
    insert into events (workspace_id, ${columns})
    select ${ws}, ${COLUMNS.map((c) => `v."${c}"`).join(', ')} from v
    where (v.source_kind, v.source_value) in (select i.kind, i.value from identities i where i.workspace_id = ${ws} and i.replaced_at is null
      and i.kind in (select source_kind from v) and i.value in (select source_value from v))
    on conflict (workspace_id, source_value, message_id) do nothing
    returning message_id`;
  statements.set(key, text);
  return text;
}

/**
 * Inserts, in one statement a chunk, the events whose source identity is
 * already in the graph (and not retired), skipping any messageId already
 * stored; answers the IDs inserted. The rest (unknown visitors, duplicates) are
 * left for the caller's full path. This is the ingest fast path: a known
 * visitor's event costs one write and no read, as the baseline's does.
 */
export async function insertEventsOfKnownSources(
  db: Db,
  dialect: Dialect,
  workspaceId: string,
  events: EventRecord[],
): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (const chunk of chunks(events, INSERT_CHUNK)) {
    const params: unknown[] = [];
    for (const e of chunk) {
      const row = eventRow(workspaceId, e);
      for (const column of COLUMNS) params.push(row[column]);
    }
    params.push(...(dialect === 'postgres' ? [workspaceId] : [workspaceId, workspaceId]));
    const result = await db.executeQuery<{ message_id: string }>(CompiledQuery.raw(statementFor(dialect, chunk.length), params));
    for (const r of result.rows) inserted.add(r.message_id);
  }
  return inserted;
}
