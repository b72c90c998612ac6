import { ADDRESS_OF, CHANNELS, type Channel } from '../domain/channels.js';
import type { Db } from '../repos/db.js';
import { countByStatus, type ProfileFilter } from '../repos/profiles.js';
import { reachable } from '../repos/reachability.js';
import type { ServiceContext } from './context.js';

/**
 * Reachability per channel (SPEC §4): contacts with an address for the
 * channel that is not suppressed on it; `filter` restricts it to a segment.
 */
export async function reachability(db: Db, workspaceId: string, filter?: ProfileFilter): Promise<Record<Channel, number>> {
  const counts = {} as Record<Channel, number>;
  for (const channel of CHANNELS) {
    const kind = ADDRESS_OF[channel];
    counts[channel] = kind ? await reachable(db, workspaceId, kind, channel, filter) : 0;
  }
  return counts;
}

/** Contact totals and per-channel reachability (SPEC §4, §5, §9). */
export async function workspaceStats(ctx: ServiceContext) {
  const counts = await countByStatus(ctx.database.db, ctx.workspace.id);
  return { contacts: counts.identified + counts.addressable, ...counts, reachability: await reachability(ctx.database.db, ctx.workspace.id) };
}
