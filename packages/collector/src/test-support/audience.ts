import { vi } from 'vitest';
import { markAddressDirty } from '../repos/audience-dirty.js';
import type { OutboxEvent } from '../repos/outbox.js';
import type { TestApp } from './app.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** The default workspace's id in a test app's store. */
export async function workspaceIdOf(t: TestApp): Promise<string> {
  const ws = await t.database.db.selectFrom('workspaces').select('id').where('write_key', '=', t.writeKey).executeTakeFirstOrThrow();
  return ws.id;
}

/** Suppresses an address as the opt-out writers will (a row, then the holders marked for re-checking). */
export async function suppressAddress(t: TestApp, channel: string, address: string) {
  const ws = await workspaceIdOf(t);
  await t.database.db
    .insertInto('suppressions')
    .values({ workspace_id: ws, channel, address, reason: 'unsubscribed', source: 'test', at: 0 })
    .execute();
  await markAddressDirty(t.database.db, ws, address);
}

/** The profile ids a saved segment lists now (GET /api/segments/:id/profiles, which settles first). */
export async function memberIds(t: TestApp, segmentId: string): Promise<string[]> {
  const res = await t.admin(`/api/segments/${segmentId}/profiles`);
  if (res.status !== 200) throw new Error(`members answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.profiles.map((p: { id: string }) => p.id);
}

export async function saveSegment(t: TestApp, definition: unknown): Promise<string> {
  const res = await t.admin('/api/segments', { method: 'POST', body: { name: 's', definition } });
  if (res.status !== 201) throw new Error(`segment answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/**
 * What was handed to appendOutbox, for a test file that mocks it:
 * `vi.mock('../../repos/outbox.js', () => ({ appendOutbox: recordOutbox }))`.
 */
export const outbox: OutboxEvent[] = [];
export const recordOutbox = vi.fn(async (_db: unknown, _ws: string, events: OutboxEvent[] | (() => OutboxEvent[])) => {
  outbox.push(...(typeof events === 'function' ? events() : events));
});
