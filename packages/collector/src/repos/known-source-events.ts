import { sql, type RawBuilder } from 'kysely';
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

function valueList(dialect: Dialect, row: ReturnType<typeof eventRow>): RawBuilder<unknown> {
  const cells = COLUMNS.map((column) => {
    const type = dialect === 'postgres' ? PG_TYPES[column] : undefined;
    return type ? sql`cast(${row[column]} as ${sql.raw(type)})` : sql`${row[column]}`;
  });
  return sql`(${sql.join(cells)})`;
}

/**
 * Inserts, in one statement a chunk, the events whose source identity is
 * already in the graph (and not retired), skipping any messageId already
 * stored; answers the IDs inserted. The rest (unknown visitors, duplicates) are
 * left for the caller's full path. This is the ingest fast path: a known
 * visitor's event costs one write and no read, as the baseline's does.
 */
export async function insertEventsOfKnownSources(db: Db, dialect: Dialect, workspaceId: string, events: EventRecord[]): Promise<Set<string>> {
  const inserted = new Set<string>();
  // Quoted: `timestamp` is a keyword on both dialects.
  const columns = sql.raw(COLUMNS.map((c) => `"${c}"`).join(', '));
  const selected = sql.raw(COLUMNS.map((c) => `v."${c}"`).join(', '));
  for (const chunk of chunks(events, INSERT_CHUNK)) {
    const values = sql.join(chunk.map((e) => valueList(dialect, eventRow(workspaceId, e))));
    const result = await sql<{ message_id: string }>`
      with v (${columns}) as (values ${values})
      insert into events (workspace_id, ${columns})
      select ${workspaceId}, ${selected} from v
      where exists (
        select 1 from identities i
        where i.workspace_id = ${workspaceId} and i.kind = v.source_kind and i.value = v.source_value and i.replaced_at is null
      )
      on conflict (workspace_id, message_id) do nothing
      returning message_id`.execute(db);
    for (const r of result.rows) inserted.add(r.message_id);
  }
  return inserted;
}
