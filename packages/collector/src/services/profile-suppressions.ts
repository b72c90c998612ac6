import { ADDRESS_OF, DEVICE_PLATFORMS, type Channel } from '../domain/channels.js';
import { DomainError } from '../domain/errors.js';
import { devicesOf } from '../repos/devices.js';
import { identitiesOf } from '../repos/identities.js';
import type { ServiceContext } from './context.js';
import { liveProfile } from './profile-view.js';
import { suppressAddress, type ApiSuppression } from './suppressions.js';

/**
 * The operator's choice on one profile (SPEC §4, Netcore's SMS listing):
 * suppress the channel for the address this profile holds for it (its phone
 * for SMS or WhatsApp, its email for email, its enabled device tokens for
 * push), so only that stops. 409 naming `channel` when it holds none.
 *
 * @example
 * await suppressProfileChannel(ctx, profileId, 'sms', 'support desk') // → [{ channel: 'sms', address: '+1…', reason: 'operator', … }]
 */
export async function suppressProfileChannel(
  ctx: ServiceContext,
  profileId: string,
  channel: Channel,
  source: string,
): Promise<ApiSuppression[]> {
  const { db } = ctx.database;
  const ws = ctx.workspace.id;
  const record = await liveProfile(ctx, profileId);
  const kind = ADDRESS_OF[channel];
  const addresses = kind
    ? (await identitiesOf(db, ws, [record.id])).filter((i) => i.kind === kind && i.replacedAt === null).map((i) => i.value)
    : (await devicesOf(db, ws, [record.id]))
        .filter((d) => d.enabled && DEVICE_PLATFORMS[channel as 'push' | 'webpush'].includes(d.platform))
        .map((d) => d.token);
  if (!addresses.length)
    throw new DomainError('no_address', `channel: the profile holds no ${kind ?? 'enabled device'} for ${channel}`, 409, 'channel');
  const at = ctx.now();
  return db.transaction().execute(async (trx) => {
    const out: ApiSuppression[] = [];
    for (const address of addresses)
      out.push(await suppressAddress(trx, ctx, { channel, address, reason: 'operator', source, by: 'operator', at }));
    return out;
  });
}
