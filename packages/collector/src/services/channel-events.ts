import { parseChannelEvent, REASON_OF, type ChannelEvent, type ChannelEventRejection } from '../domain/reach/channel-event.js';
import { addHardBounce } from '../repos/bounces.js';
import type { Db } from '../repos/db.js';
import { getSuppression } from '../repos/suppressions.js';
import type { ServiceContext } from './context.js';
import { disableDeviceToken } from './devices.js';
import { liftSuppression, suppressAddress } from './suppressions.js';

/**
 * Applies one provider event (SPEC §4): opt-outs suppress the address; a
 * hard bounce counts and suppresses only when the workspace's
 * `hardBounceThreshold` is reached; a soft bounce never does; a hard bounce
 * on push means the token is invalid, so the device is disabled; an opt-in
 * with evidence lifts (an opt-in for an address not suppressed changes nothing).
 */
async function applyEvent(db: Db, ctx: ServiceContext, e: ChannelEvent): Promise<void> {
  const ws = ctx.workspace.id;
  const source = e.provider ?? 'provider';
  if (e.type === 'soft_bounce') return;
  if (e.type === 'opt_in') {
    if (await getSuppression(db, ws, e.channel, e.address))
      await liftSuppression(db, ctx, { channel: e.channel, address: e.address, evidence: e.evidence!, by: 'provider' });
    return;
  }
  if (e.type === 'hard_bounce' && (e.channel === 'push' || e.channel === 'webpush')) {
    await disableDeviceToken(db, ctx, e.address, 'invalid_token');
    return;
  }
  if (e.type === 'hard_bounce' && (await addHardBounce(db, ws, e.channel, e.address, e.at)) < ctx.workspace.settings.hardBounceThreshold)
    return;
  await suppressAddress(db, ctx, { channel: e.channel, address: e.address, reason: REASON_OF[e.type], source, by: 'provider', at: e.at });
}

/**
 * `POST /api/channel-events`: each event is answered on its own, like a
 * tracking batch's messages: the valid ones are applied (in order, in one
 * transaction), the others rejected by index and field.
 *
 * @example
 * await channelEvents(ctx, [{ type: 'unsubscribe', channel: 'email', address: 'ana@example.com' }]) // → { accepted: 1, rejected: [] }
 */
export async function channelEvents(ctx: ServiceContext, raw: unknown[]): Promise<{ accepted: number; rejected: ChannelEventRejection[] }> {
  const now = ctx.now();
  const parsed = raw.map((r, i) => parseChannelEvent(r, i, now, ctx.workspace.settings.defaultCountry));
  const rejected = parsed.filter((p): p is ChannelEventRejection => 'reason' in p);
  const events = parsed.filter((p): p is ChannelEvent => !('reason' in p));
  await ctx.database.db.transaction().execute(async (trx) => {
    for (const e of events) await applyEvent(trx, ctx, e);
  });
  return { accepted: events.length, rejected };
}
