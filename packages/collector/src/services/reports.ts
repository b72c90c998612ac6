import { identitiesOf } from '../repos/identities.js';
import { listProfiles, type ProfileFilter, type ProfileStatus } from '../repos/profiles.js';
import { getSegment } from '../repos/segments.js';
import { notFound } from '../domain/errors.js';
import type { ServiceContext } from './context.js';
import { addressesOf, iso } from './profile-view.js';
import { CHANNELS, type Channel } from '../domain/channels.js';
import { reachableOn } from '../domain/reach/reachable.js';
import { devicesOf } from '../repos/devices.js';
import { suppressionsFor } from '../repos/suppressions.js';
import { segmentFilter } from './segments.js';
import { settleAudiences } from './audience-pass.js';

/** The columns of a profile report, in order (SPEC §5: at least primary key, GUID, email, mobile, status). */
export const REPORT_COLUMNS = [
  'primaryKey',
  'id',
  'email',
  'phone',
  'status',
  'userId',
  'createdAt',
  // Whether the profile can be messaged on each channel now (SPEC §4), as `true` / `false`.
  'emailReachable',
  'smsReachable',
  'whatsappReachable',
  'pushReachable',
  'webpushReachable',
] as const;
export type ReportRow = Record<(typeof REPORT_COLUMNS)[number], string | null>;

/** Profiles read per query: large enough that a 100,000-profile report is 50 queries, small enough to hold in memory. */
const PAGE = 2000;

/**
 * The rows of a profile report, a page at a time in id order, so a report of
 * any size streams in bounded memory. The segment is checked (404) before the
 * first row and its membership brought up to date; the report reads the
 * stored membership, page by page.
 * Without a segment: every contact and anonymous profile, `status` narrowing.
 */
export async function profileReport(
  ctx: ServiceContext,
  q: { segment?: string; status?: ProfileStatus },
): Promise<AsyncGenerator<ReportRow[]>> {
  let filter: ProfileFilter | undefined;
  if (q.segment !== undefined) {
    const segment = await getSegment(ctx.database.db, ctx.workspace.id, q.segment);
    if (!segment) throw notFound('segment');
    await settleAudiences(ctx);
    filter = segmentFilter(ctx, segment.id);
  }
  return pages(ctx, { status: q.status, filter });
}

async function* pages(ctx: ServiceContext, q: { status?: ProfileStatus; filter?: ProfileFilter }): AsyncGenerator<ReportRow[]> {
  const { db } = ctx.database;
  const ws = ctx.workspace.id;
  const key = ctx.workspace.settings.primaryKey;
  for (let after: string | undefined; ; ) {
    const records = await listProfiles(db, ws, { ...q, limit: PAGE, after });
    if (!records.length) return;
    const identities = (
      await identitiesOf(
        db,
        ws,
        records.map((r) => r.id),
      )
    ).filter((i) => i.replacedAt === null);
    const byProfile = new Map<string, Record<string, string>>();
    for (const i of identities) byProfile.set(i.profileId, { ...byProfile.get(i.profileId), [i.kind]: i.value });
    const devices = await devicesOf(
      db,
      ws,
      records.map((r) => r.id),
    );
    const suppressed = new Set((await suppressionsFor(db, ws, addressesOf(identities, devices))).map((s) => `${s.channel}:${s.address}`));
    yield records.map((r) => {
      const ids = byProfile.get(r.id) ?? {};
      const reach = reachableOn({
        status: r.status,
        addresses: { email: ids.email, phone: ids.phone },
        devices: devices.filter((d) => d.profileId === r.id),
        suppressed,
      });
      return {
        primaryKey: ids[key] ?? null,
        id: r.id,
        email: ids.email ?? null,
        phone: ids.phone ?? null,
        status: r.status,
        userId: ids.userId ?? null,
        createdAt: iso(r.createdAt),
        ...(Object.fromEntries(CHANNELS.map((c) => [`${c}Reachable`, String(reach[c])])) as Record<`${Channel}Reachable`, string>),
      };
    });
    if (records.length < PAGE) return;
    after = records.at(-1)!.id;
  }
}
