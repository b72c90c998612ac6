import type { Db } from './db.js';
import { parseJson, toJson } from './json.js';
import { invalidateSubscriptions } from './outbox.js';
import { announceWorkspaceChange } from './workspace-changes.js';

export interface EndpointRecord {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  secret: string;
  enabled: boolean;
  disabledReason: string | null;
  failingSince: number | null;
  createdAt: number;
  updatedAt: number;
}

type Row = {
  id: string;
  url: string;
  description: string | null;
  events: unknown;
  secret: string;
  enabled: number;
  disabled_reason: string | null;
  failing_since: number | null;
  created_at: number;
  updated_at: number;
};

const toRecord = (r: Row): EndpointRecord => ({
  id: r.id,
  url: r.url,
  description: r.description,
  events: parseJson<string[]>(r.events, []),
  secret: r.secret,
  enabled: r.enabled === 1,
  disabledReason: r.disabled_reason,
  failingSince: r.failing_since,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function insertEndpoint(db: Db, workspaceId: string, e: Omit<EndpointRecord, 'disabledReason' | 'failingSince'>) {
  await db
    .insertInto('webhook_endpoints')
    .values({
      workspace_id: workspaceId,
      id: e.id,
      url: e.url,
      description: e.description,
      events: toJson(e.events),
      secret: e.secret,
      enabled: e.enabled ? 1 : 0,
      disabled_reason: null,
      failing_since: null,
      created_at: e.createdAt,
      updated_at: e.updatedAt,
    })
    .execute();
  invalidateSubscriptions(workspaceId);
  await announceWorkspaceChange(db, workspaceId);
}

export async function listEndpoints(db: Db, workspaceId: string): Promise<EndpointRecord[]> {
  const rows = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toRecord);
}

export async function getEndpoint(db: Db, workspaceId: string, id: string): Promise<EndpointRecord | undefined> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toRecord(row);
}

export interface EndpointChange {
  url?: string;
  events?: string[];
  description?: string | null;
  enabled?: boolean;
  now: number;
}

/** Applies a change; enabling (again) clears the failure record, so the disabling rule starts over. */
export async function updateEndpoint(db: Db, workspaceId: string, id: string, c: EndpointChange): Promise<void> {
  await db
    .updateTable('webhook_endpoints')
    .set({
      ...(c.url !== undefined ? { url: c.url } : {}),
      ...(c.events !== undefined ? { events: toJson(c.events) } : {}),
      ...(c.description !== undefined ? { description: c.description } : {}),
      ...(c.enabled !== undefined ? { enabled: c.enabled ? 1 : 0, disabled_reason: null, failing_since: null } : {}),
      updated_at: c.now,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
  invalidateSubscriptions(workspaceId);
  await announceWorkspaceChange(db, workspaceId);
}

/** Removes the endpoint with its deliveries and their attempts. */
export async function deleteEndpoint(db: Db, workspaceId: string, id: string): Promise<void> {
  const deliveries = db.selectFrom('webhook_deliveries').select('id').where('workspace_id', '=', workspaceId).where('endpoint_id', '=', id);
  await db.deleteFrom('webhook_attempts').where('workspace_id', '=', workspaceId).where('delivery_id', 'in', deliveries).execute();
  await db.deleteFrom('webhook_deliveries').where('workspace_id', '=', workspaceId).where('endpoint_id', '=', id).execute();
  await db.deleteFrom('webhook_endpoints').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
  invalidateSubscriptions(workspaceId);
  await announceWorkspaceChange(db, workspaceId);
}

/**
 * After an attempt: a success clears the failure record; a failure starts it
 * (if not started) and disables the endpoint once it has failed since
 * `disableBefore` or earlier (see DISABLE_AFTER_MS).
 *
 * @example
 * await noteEndpointOutcome(db, ws, endpointId, { ok: false, now, disableBefore: now - DISABLE_AFTER_MS });
 */
export async function noteEndpointOutcome(
  db: Db,
  workspaceId: string,
  id: string,
  o: { ok: boolean; now: number; disableBefore: number },
): Promise<void> {
  const base = db.updateTable('webhook_endpoints').where('workspace_id', '=', workspaceId).where('id', '=', id);
  if (o.ok) {
    await base.set({ failing_since: null }).where('failing_since', 'is not', null).execute();
    return;
  }
  await base.set({ failing_since: o.now }).where('failing_since', 'is', null).execute();
  const disabled = await base
    .set({ enabled: 0, disabled_reason: 'failing', updated_at: o.now })
    .where('enabled', '=', 1)
    .where('failing_since', '<=', o.disableBefore)
    .executeTakeFirst();
  if (Number(disabled.numUpdatedRows) > 0) {
    invalidateSubscriptions(workspaceId);
    await announceWorkspaceChange(db, workspaceId);
  }
}
