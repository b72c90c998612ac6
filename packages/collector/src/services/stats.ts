import { audienceCounts } from '../repos/reachability.js';
import type { ServiceContext } from './context.js';

/** Contact totals and per-channel reachability (SPEC §4, §5, §9). */
export async function workspaceStats(ctx: ServiceContext) {
  const { counts, reachability } = await audienceCounts(ctx.database.db, ctx.workspace.id, ctx.workspace.settings.blockList);
  return { contacts: counts.identified + counts.addressable, ...counts, reachability };
}
