import type { Channel } from '../domain/channels.js';
import { invalid } from '../domain/errors.js';
import { channelAddress, channelOf } from '../domain/reach/address.js';
import { listSuppressions, type Suppression, type SuppressionCursor } from '../repos/suppressions.js';
import type { ServiceContext } from './context.js';
import { ownerOfAddress, toApiSuppression, type ApiSuppression } from './suppressions.js';

const encodeCursor = (s: Suppression) => Buffer.from(JSON.stringify([s.at, s.channel, s.address])).toString('base64url');

function decodeCursor(raw: string): SuppressionCursor {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'string' && typeof c[2] === 'string') return [c[0], c[1], c[2]];
  } catch {
    // fall through to the error below
  }
  throw invalid('after', 'must be the `next` cursor of a previous page');
}

/** `GET /api/suppressions`: a page in time order, narrowed to a channel and/or an address (normalised for the channel). */
export async function suppressionsPage(
  ctx: ServiceContext,
  q: { channel?: string; address?: string; after?: string; limit: number },
): Promise<{ suppressions: ApiSuppression[]; next: string | null }> {
  const { db } = ctx.database;
  const ws = ctx.workspace.id;
  const channel = q.channel === undefined ? undefined : channelOf(q.channel);
  let address = q.address?.trim();
  if (address !== undefined) {
    // Without a channel the address is read as an email, else a phone, else a token: the three never look alike.
    const tried = channel
      ? [channelAddress(channel, address, ctx.workspace.settings.defaultCountry)]
      : (['email', 'sms', 'push'] as const).map((c) => channelAddress(c, address, ctx.workspace.settings.defaultCountry));
    const found = tried.find((r) => r.ok);
    if (!found?.ok) throw invalid('address', tried[0]?.ok === false ? tried[0].reason : 'is not an address');
    address = found.value;
  }
  const rows = await listSuppressions(db, ws, {
    channel,
    address,
    after: q.after === undefined ? undefined : decodeCursor(q.after),
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const suppressions: ApiSuppression[] = [];
  for (const s of page) suppressions.push(toApiSuppression(s, await ownerOfAddress(db, ws, s.channel as Channel, s.address)));
  return { suppressions, next: rows.length > q.limit ? encodeCursor(page.at(-1)!) : null };
}
