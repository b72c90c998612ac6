import type { Db } from './db.js';
import type { ProfileFilter } from './profiles.js';

/**
 * Contacts (identified or addressable) holding a current address of `kind`
 * not suppressed on `channel`; `filter` narrows them to a segment.
 */
export async function reachable(db: Db, workspaceId: string, kind: 'email' | 'phone', channel: string, filter?: ProfileFilter): Promise<number> {
  let query = db
    .selectFrom('identities as i')
    .innerJoin('profiles as p', (j) => j.onRef('p.workspace_id', '=', 'i.workspace_id').onRef('p.id', '=', 'i.profile_id'))
    .select((eb) => eb.fn.count<number>('i.profile_id').distinct().as('n'))
    .where('i.workspace_id', '=', workspaceId)
    .where('i.kind', '=', kind)
    .where('i.replaced_at', 'is', null)
    .where('p.status', 'in', ['identified', 'addressable'])
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('suppressions as s')
            .select('s.address')
            .whereRef('s.workspace_id', '=', 'i.workspace_id')
            .whereRef('s.address', '=', 'i.value')
            .where('s.channel', '=', channel),
        ),
      ),
    );
  if (filter) query = query.where(filter);
  const row = await query.executeTakeFirst();
  return Number(row?.n ?? 0);
}
