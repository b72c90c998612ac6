import { sql } from 'kysely';
import { DEVICE_PLATFORMS } from '../domain/channels.js';

/**
 * Profiles reachable on push (web push): one of their identities holds an
 * enabled device of the channel's platforms whose token is not suppressed
 * there (SPEC §4). Devices hang on identities as events do, so this follows
 * merges. Not correlated (the suppressed tokens too, which Citus needs: they
 * live on other workers than the devices' identities): built once per statement.
 * Stats (`audienceCounts`) and segment plans (`pushable`, the triggers'
 * "reachable on push") read the same set.
 */
export const pushableProfiles = (ws: string, channel: 'push' | 'webpush') =>
  sql`select di.profile_id from devices d
      cross join identities di
      where d.workspace_id = ${ws} and d.enabled = 1 and d.platform in (${sql.join(DEVICE_PLATFORMS[channel])})
        and di.workspace_id = d.workspace_id and di.kind = d.source_kind and di.value = d.source_value
        and d.token not in (select ds.address from suppressions ds where ds.workspace_id = ${ws} and ds.channel = ${channel})`;
