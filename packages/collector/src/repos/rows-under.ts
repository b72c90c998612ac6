import type { Identifier } from '../domain/identity/types.js';
import type { Db } from './db.js';

/**
 * Deletes a table's rows recorded under the identities (events and devices
 * hang on `source_kind`/`source_value`): a deleted profile's (SPEC §5).
 *
 * @example
 * await deleteRowsUnder(trx, 'events', ws, identities);
 */
export async function deleteRowsUnder(db: Db, table: 'events' | 'devices', workspaceId: string, identities: Identifier[]): Promise<void> {
  for (const id of identities) {
    await db
      .deleteFrom(table)
      .where('workspace_id', '=', workspaceId)
      .where('source_kind', '=', id.kind)
      .where('source_value', '=', id.value)
      .execute();
  }
}
