import { sql } from 'kysely';
import { DEVICE_PLATFORMS } from '../domain/channels.js';

/**
 * Profiles reachable on push (web push): one of their identities holds an
 * enabled device of the channel's platforms whose token is not suppressed
 * there (SPEC §4). Devices hang on identities as events do, so this follows
 * merges. Not correlated: both stores build the set once from the devices.
 * Stats (`audienceCounts`) and segment plans (`pushable`, the triggers'
 * "reachable on push") read the same set.
 */
export const pushableProfiles = (ws: string, channel: 'push' | 'webpush') =>
  sql`select di.profile_id from devices d
      cross join identities di
      where d.workspace_id = ${ws} and d.enabled = 1 and d.platform in (${sql.join(DEVICE_PLATFORMS[channel])})
        and di.workspace_id = d.workspace_id and di.kind = d.source_kind and di.value = d.source_value
        and not exists (select 1 from suppressions ds where ds.workspace_id = d.workspace_id and ds.channel = ${channel} and ds.address = d.token)`;
