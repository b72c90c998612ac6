import { sql } from 'kysely';
import type { Db } from './db.js';

export interface Suppression {
  channel: string;
  address: string;
  reason: string;
  source: string;
  at: number;
}

const COLUMNS = ['channel', 'address', 'reason', 'source', 'at'] as const;

/**
 * Suppressions are keyed by channel and address, not by profile (SPEC §4), so
 * they hold through every merge and unmerge without being copied.
 */
export async function suppressionsFor(db: Db, workspaceId: string, addresses: string[]): Promise<Suppression[]> {
  if (!addresses.length) return [];
  return db
    .selectFrom('suppressions')
    .select(COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('address', 'in', addresses)
    .orderBy('at')
    .execute();
}

export async function getSuppression(db: Db, workspaceId: string, channel: string, address: string): Promise<Suppression | undefined> {
  return db
    .selectFrom('suppressions')
    .select(COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('channel', '=', channel)
    .where('address', '=', address)
    .executeTakeFirst();
}

/** Records a suppression unless the address is suppressed on the channel already; true when it was new. */
export async function insertSuppression(db: Db, workspaceId: string, s: Suppression): Promise<boolean> {
  const rows = await db
    .insertInto('suppressions')
    .values({ workspace_id: workspaceId, ...s })
    .onConflict((oc) => oc.columns(['workspace_id', 'channel', 'address']).doNothing())
    .returning('address')
    .execute();
  return rows.length > 0;
}

/** Removes a suppression; true when there was one. */
export async function deleteSuppression(db: Db, workspaceId: string, channel: string, address: string): Promise<boolean> {
  const r = await db
    .deleteFrom('suppressions')
    .where('workspace_id', '=', workspaceId)
    .where('channel', '=', channel)
    .where('address', '=', address)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Where a page of suppressions ends: `(at, channel, address)`, the order they are listed in. */
export type SuppressionCursor = [number, string, string];

/** Suppressions in `(at, channel, address)` order after the cursor, optionally of one channel and/or address. */
export async function listSuppressions(
  db: Db,
  workspaceId: string,
  q: { channel?: string; address?: string; after?: SuppressionCursor; limit: number },
): Promise<Suppression[]> {
  let query = db.selectFrom('suppressions').select(COLUMNS).where('workspace_id', '=', workspaceId);
  if (q.channel) query = query.where('channel', '=', q.channel);
  if (q.address) query = query.where('address', '=', q.address);
  if (q.after) {
    const [at, channel, address] = q.after;
    query = query.where(
      sql<boolean>`(${sql.ref('at')} > ${at} or (${sql.ref('at')} = ${at} and (${sql.ref('channel')} > ${channel} or (${sql.ref('channel')} = ${channel} and ${sql.ref('address')} > ${address}))))`,
    );
  }
  return query.orderBy('at').orderBy('channel').orderBy('address').limit(q.limit).execute();
}
