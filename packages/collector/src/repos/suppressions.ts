import type { Db } from './db.js';

export interface Suppression {
  channel: string;
  address: string;
  reason: string;
  source: string;
  at: number;
}

/**
 * Suppressions are keyed by channel and address, not by profile (SPEC §4), so
 * they hold through every merge and unmerge without being copied.
 */
export async function suppressionsFor(db: Db, workspaceId: string, addresses: string[]): Promise<Suppression[]> {
  if (!addresses.length) return [];
  return db
    .selectFrom('suppressions')
    .select(['channel', 'address', 'reason', 'source', 'at'])
    .where('workspace_id', '=', workspaceId)
    .where('address', 'in', addresses)
    .orderBy('at')
    .execute();
}
