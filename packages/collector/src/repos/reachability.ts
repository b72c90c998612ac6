import { sql, type RawBuilder } from 'kysely';
import { ADDRESS_OF, CHANNELS, type Channel } from '../domain/channels.js';
import { blockListForSql } from '../domain/block-list.js';
import type { Db } from './db.js';
import { pushableProfiles } from './pushable-sql.js';
import type { ProfileStatus } from './profiles.js';

const ADDRESSED = CHANNELS.filter((c) => ADDRESS_OF[c]);
const PUSHED = ['push', 'webpush'] as const;

/**
 * Per member, its current addresses (email, phone) and, per channel, the
 * suppression of that address if any: a member is reachable on a channel
 * when it holds an address of the channel's kind with no suppression there
 * (SPEC §4). Joined from the members, so a small segment probes only its
 * own profiles' identities.
 */
const reachabilityJoins = (ws: string, blockList: readonly string[]) => [
  sql`left join identities i on i.workspace_id = ${ws} and i.profile_id = m.id and i.kind in ('email', 'phone') and i.replaced_at is null${notBlocked(blockList)}`,
  ...ADDRESSED.map(
    (c) =>
      sql`left join suppressions ${sql.raw(`s_${c}`)} on ${sql.raw(`s_${c}`)}.workspace_id = ${ws} and ${sql.raw(`s_${c}`)}.channel = ${c} and ${sql.raw(`s_${c}`)}.address = i.value`,
  ),
];
/** Addresses on the block list (held since before their entry was added) reach nobody. */
function notBlocked(blockList: readonly string[]) {
  const { values, likes } = blockListForSql(blockList);
  const tests = [
    ...(values.length ? [sql`lower(i.value) in (${sql.join(values)})`] : []),
    ...likes.map((l) => sql`lower(i.value) like ${l} escape '\\'`),
  ];
  return tests.length ? sql` and not (${sql.join(tests, sql` or `)})` : sql``;
}

const reachedOn = (c: Channel) =>
  sql`count(distinct case when i.kind = ${ADDRESS_OF[c]!} and ${sql.raw(`s_${c}`)}.address is null then m.id end) as ${sql.raw(c)}`;

/**
 * A member is reachable on push (web push) when one of its identities holds
 * an enabled device of the channel's platforms whose token is not suppressed
 * there. Devices hang on identities as events do, so this follows merges.
 * The `in (…)` set is not correlated: both stores build it once from the
 * devices (SQLite as an ephemeral index, PostgreSQL as a hashed subplan), so
 * its cost grows with the workspace's devices, not with members × channels.
 */
const pushedOn = (ws: string, c: (typeof PUSHED)[number]) =>
  sql`count(distinct case when m.id in (${pushableProfiles(ws, c)}) then m.id end) as ${sql.raw(c)}`;

export interface AudienceCounts {
  counts: Record<ProfileStatus, number>;
  /** Contacts (identified or addressable) reachable on each channel. */
  reachability: Record<Channel, number>;
}

/**
 * Profiles by status and contacts reachable per channel, in one statement:
 * over the whole workspace, or over `members` (rows `(id, status)`, e.g. a
 * segment's), whose SQL then runs once however many channels there are.
 */
export async function audienceCounts(
  db: Db,
  ws: string,
  blockList: readonly string[],
  members?: RawBuilder<unknown>,
): Promise<AudienceCounts> {
  const source =
    members ?? sql`select id, status from profiles where workspace_id = ${ws} and status in ('anonymous', 'addressable', 'identified')`;
  const counted = [...ADDRESSED.map(reachedOn), ...PUSHED.map((c) => pushedOn(ws, c))];
  const joins = reachabilityJoins(ws, blockList);
  const { rows } = await sql<Record<string, unknown>>`select m.status, count(distinct m.id) as n, ${sql.join(counted)}
    from (${source}) m ${sql.join(joins, sql` `)}
    group by m.status`.execute(db);

  const counts: Record<ProfileStatus, number> = { anonymous: 0, addressable: 0, identified: 0 };
  const reachability = Object.fromEntries(CHANNELS.map((c) => [c, 0])) as Record<Channel, number>;
  for (const r of rows) {
    const status = r.status as ProfileStatus;
    if (!(status in counts)) continue;
    counts[status] = Number(r.n);
    // Anonymous profiles hold no address, but reachability counts contacts only, whatever the data says.
    if (status !== 'anonymous') for (const c of [...ADDRESSED, ...PUSHED]) reachability[c] += Number(r[c]);
  }
  return { counts, reachability };
}
