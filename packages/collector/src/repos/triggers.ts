import type { Db } from './db.js';
import { parseJson, toJson } from './json.js';

export interface TriggerRecord {
  id: string;
  name: string;
  condition: unknown;
  channel: string;
  waitFor: Record<string, number>;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

type Row = {
  id: string;
  name: string;
  condition: unknown;
  channel: string;
  wait_for: unknown;
  enabled: number;
  created_at: number;
  updated_at: number;
};

const toRecord = (r: Row): TriggerRecord => ({
  id: r.id,
  name: r.name,
  condition: parseJson(r.condition, {}),
  channel: r.channel,
  waitFor: parseJson(r.wait_for, {}),
  enabled: Number(r.enabled) === 1,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export type TriggerFields = Pick<TriggerRecord, 'name' | 'condition' | 'channel' | 'waitFor' | 'enabled'>;

const columns = (t: Partial<TriggerFields>) => ({
  ...(t.name !== undefined ? { name: t.name } : {}),
  ...(t.condition !== undefined ? { condition: toJson(t.condition) } : {}),
  ...(t.channel !== undefined ? { channel: t.channel } : {}),
  ...(t.waitFor !== undefined ? { wait_for: toJson(t.waitFor) } : {}),
  ...(t.enabled !== undefined ? { enabled: t.enabled ? 1 : 0 } : {}),
});

export async function insertTrigger(db: Db, workspaceId: string, t: TriggerFields & { id: string; now: number }): Promise<void> {
  await db
    .insertInto('triggers')
    .values({
      workspace_id: workspaceId,
      id: t.id,
      name: t.name,
      condition: toJson(t.condition),
      channel: t.channel,
      wait_for: toJson(t.waitFor),
      enabled: t.enabled ? 1 : 0,
      created_at: t.now,
      updated_at: t.now,
    })
    .execute();
}

export async function getTrigger(db: Db, workspaceId: string, id: string): Promise<TriggerRecord | undefined> {
  const row = await db.selectFrom('triggers').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return row && toRecord(row);
}

/** The workspace's triggers, oldest first; `enabledOnly` for the audience pass. */
export async function listTriggers(db: Db, workspaceId: string, enabledOnly = false): Promise<TriggerRecord[]> {
  let q = db.selectFrom('triggers').selectAll().where('workspace_id', '=', workspaceId);
  if (enabledOnly) q = q.where('enabled', '=', 1);
  return (await q.orderBy('created_at').orderBy('id').execute()).map(toRecord);
}

/** Answers whether the trigger existed. */
export async function updateTrigger(db: Db, workspaceId: string, id: string, patch: Partial<TriggerFields> & { now: number }) {
  const res = await db
    .updateTable('triggers')
    .set({ ...columns(patch), updated_at: patch.now })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Deletes the trigger and its firings; answers whether it existed. */
export async function deleteTrigger(db: Db, workspaceId: string, id: string): Promise<boolean> {
  await db.deleteFrom('trigger_firings').where('workspace_id', '=', workspaceId).where('trigger_id', '=', id).execute();
  const res = await db.deleteFrom('triggers').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
