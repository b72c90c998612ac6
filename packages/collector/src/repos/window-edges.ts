import { sql } from 'kysely';
import type { Db } from './db.js';

/**
 * The profiles with an event of this name timed in [from, to): through
 * events_name_time, then one identity lookup each.
 *
 * @example
 * await profilesWithEventsBetween(db, ws, 'Order Completed', previous - window, now - window);
 */
export async function profilesWithEventsBetween(db: Db, ws: string, name: string, from: number, to: number): Promise<string[]> {
  const { rows } = await sql<{ profile_id: string }>`select distinct i.profile_id from events e cross join identities i
    where e.workspace_id = ${ws} and e.event = ${name} and e.timestamp >= ${from} and e.timestamp < ${to}
      and i.workspace_id = e.workspace_id and i.kind = e.source_kind and i.value = e.source_value`.execute(db);
  return rows.map((r) => r.profile_id);
}
