import { sql, type RawBuilder } from 'kysely';
import { ADDRESS_OF, CHANNELS, type Channel } from '../domain/channels.js';
import type { Db } from './db.js';
import type { ProfileStatus } from './profiles.js';

/** Profiles holding a current address of `kind` that is not suppressed on `channel` (SPEC §4). */
const reachableOn = (ws: string, kind: string, channel: string) =>
  sql`select distinct i.profile_id from identities i
    where i.workspace_id = ${ws} and i.kind = ${kind} and i.replaced_at is null
      and not exists (select 1 from suppressions s where s.workspace_id = i.workspace_id and s.address = i.value and s.channel = ${channel})`;

const ADDRESSED = CHANNELS.filter((c) => ADDRESS_OF[c]);

export interface AudienceCounts {
  counts: Record<ProfileStatus, number>;
  /** Contacts (identified or addressable) reachable on each channel. */
  reachability: Record<Channel, number>;
}

/**
 * Profiles by status and contacts reachable per channel, in one statement:
 * over the whole workspace, or over `members` (rows `(id, status)`, e.g. a
 * segment's). Each channel's reachable set is computed once and joined, so
 * a segment's SQL runs once however many channels there are.
 */
export async function audienceCounts(db: Db, ws: string, members?: RawBuilder<unknown>): Promise<AudienceCounts> {
  const source = members ?? sql`select id, status from profiles where workspace_id = ${ws} and status in ('anonymous', 'addressable', 'identified')`;
  const joins = ADDRESSED.map((c) => sql`left join (${reachableOn(ws, ADDRESS_OF[c]!, c)}) ${sql.raw(`r_${c}`)} on ${sql.raw(`r_${c}`)}.profile_id = m.id`);
  const reached = ADDRESSED.map((c) => sql`count(${sql.raw(`r_${c}`)}.profile_id) as ${sql.raw(c)}`);
  const { rows } = await sql<Record<string, unknown>>`select m.status, count(*) as n, ${sql.join(reached)}
    from (${source}) m ${sql.join(joins, sql` `)}
    group by m.status`.execute(db);

  const counts: Record<ProfileStatus, number> = { anonymous: 0, addressable: 0, identified: 0 };
  const reachability = Object.fromEntries(CHANNELS.map((c) => [c, 0])) as Record<Channel, number>;
  for (const r of rows) {
    const status = r.status as ProfileStatus;
    if (!(status in counts)) continue;
    counts[status] = Number(r.n);
    // Anonymous profiles hold no address, but reachability counts contacts only, whatever the data says.
    if (status !== 'anonymous') for (const c of ADDRESSED) reachability[c] += Number(r[c]);
  }
  return { counts, reachability };
}
