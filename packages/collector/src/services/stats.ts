import { countByStatus } from '../repos/profiles.js';
import { reachable } from '../repos/reachability.js';
import type { ServiceContext } from './context.js';

export const CHANNELS = ['email', 'sms', 'whatsapp', 'push', 'webpush'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The address kind each channel sends to. Push channels use device tokens, which no profile holds yet. */
const ADDRESS_OF: Record<Channel, 'email' | 'phone' | undefined> = { email: 'email', sms: 'phone', whatsapp: 'phone', push: undefined, webpush: undefined };

/** Contact totals and per-channel reachability (SPEC §4, §5, §9). */
export async function workspaceStats(ctx: ServiceContext) {
  const counts = await countByStatus(ctx.database.db, ctx.workspace.id);
  const reachability = {} as Record<Channel, number>;
  for (const channel of CHANNELS) {
    const kind = ADDRESS_OF[channel];
    reachability[channel] = kind ? await reachable(ctx.database.db, ctx.workspace.id, kind, channel) : 0;
  }
  return { contacts: counts.identified + counts.addressable, ...counts, reachability };
}
