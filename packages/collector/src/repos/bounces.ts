import { sql } from 'kysely';
import type { Db } from './db.js';

/** Counts one more hard bounce of the address on the channel; answers the count since the last reset. */
export async function addHardBounce(db: Db, workspaceId: string, channel: string, address: string, at: number): Promise<number> {
  const row = await db
    .insertInto('bounce_counts')
    .values({ workspace_id: workspaceId, channel, address, hard: 1, last_at: at })
    .onConflict((oc) => oc.columns(['workspace_id', 'channel', 'address']).doUpdateSet({ hard: sql`bounce_counts.hard + 1`, last_at: at }))
    .returning('hard')
    .executeTakeFirstOrThrow();
  return Number(row.hard);
}

/** Forgets the address's bounces: a lifted suppression starts counting again from zero. */
export async function resetBounces(db: Db, workspaceId: string, channel: string, address: string): Promise<void> {
  await db
    .deleteFrom('bounce_counts')
    .where('workspace_id', '=', workspaceId)
    .where('channel', '=', channel)
    .where('address', '=', address)
    .execute();
}
