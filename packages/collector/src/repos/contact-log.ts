import { chunks } from './chunks.js';
import type { Db } from './db.js';
import { parseJson, toJson } from './json.js';
import { markProfilesDirty } from './audience-dirty.js';
import { appendOutbox } from './outbox.js';
import { eventsFromLog } from '../domain/webhooks/from-log.js';
import { uuidv7 } from '../util/uuidv7.js';
import { columnTypes, insertRows, insertRowsQuery } from './insert-rows.js';
import type { CompiledQuery } from 'kysely';

const LOG_COLUMNS = ['workspace_id', 'id', 'profile_id', 'type', 'at', 'details'] as const;
/** LOG_COLUMNS' PostgreSQL types: a long insert binds one array a column there (insertRowsQuery). */
const LOG_COLUMN_TYPES = columnTypes(LOG_COLUMNS, { at: 'int8', details: 'jsonb' });

export const LOG_TYPES = [
  'created',
  'identifier_added',
  'identifier_replaced',
  'merged',
  'merge_refused',
  'claim_refused',
  'unmerged',
  'suppression_changed',
  'imported',
  'deleted',
  'device_changed',
] as const;
export type LogType = (typeof LOG_TYPES)[number];

export interface LogEntry {
  id: string;
  profileId: string;
  type: LogType;
  at: number;
  details: Record<string, unknown>;
}

/**
 * Appends log entries, queues the webhook events they make and marks reach changes for the audience pass.
 * With `writes` the log's insert is added there (repos/combined-writes.ts) rather than run.
 *
 * @example
 * await appendLog(trx, ws, [{ profileId, type: 'created', at: now, details: { via: 'identify' } }]);
 */
export async function appendLog(
  db: Db,
  workspaceId: string,
  entries: Array<Omit<LogEntry, 'id'>>,
  writes?: CompiledQuery[],
): Promise<string[]> {
  if (!entries.length) return [];
  const rows = entries.map((e) => [workspaceId, uuidv7(e.at), e.profileId, e.type, e.at, toJson(e.details)]);
  // 6 parameters a row: 1,000 rows stay far under SQLite's bound-parameter limit, for an import chunk's entries too.
  for (const chunk of chunks(rows, 1000)) {
    if (writes) writes.push(insertRowsQuery(db, 'contact_log', LOG_COLUMNS, chunk, '', LOG_COLUMN_TYPES));
    else await insertRows(db, 'contact_log', LOG_COLUMNS, chunk, '', LOG_COLUMN_TYPES);
  }
  const ids = rows.map((r) => r[1] as string);
  // The one place log entries become webhook events: in the same transaction, so only what commits is announced.
  // Built only for a workspace with an endpoint: an import logs several entries a row.
  await appendOutbox(db, workspaceId, () => eventsFromLog(entries.map((e, i) => ({ ...e, id: ids[i]! }))), writes);
  // A suppression or a device changes reachability, so saved segments and waiting triggers re-check the profile.
  const reach = entries.filter((e) => e.type === 'suppression_changed' || e.type === 'device_changed').map((e) => e.profileId);
  if (reach.length) await markProfilesDirty(db, workspaceId, reach);
  return ids;
}

type Row = { id: string; profile_id: string; type: string; at: number; details: unknown };
const toEntry = (r: Row): LogEntry => ({
  id: r.id,
  profileId: r.profile_id,
  type: r.type as LogType,
  at: r.at,
  details: parseJson(r.details, {}),
});

export async function listLog(db: Db, workspaceId: string, profileId: string): Promise<LogEntry[]> {
  const rows = await db
    .selectFrom('contact_log')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', profileId)
    .orderBy('id')
    .execute();
  return rows.map(toEntry);
}

export async function getLogEntry(db: Db, workspaceId: string, id: string): Promise<LogEntry | undefined> {
  const row = await db
    .selectFrom('contact_log')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toEntry(row);
}

/** Removes what a deleted profile's log said about the person, keeping the bare facts (SPEC §5). */
export async function redactLog(db: Db, workspaceId: string, profileId: string): Promise<void> {
  await db
    .updateTable('contact_log')
    .set({ details: toJson({ redacted: true }) })
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', profileId)
    .execute();
}
