import type { Identifier } from '../domain/identity/types.js';
import type { Db } from './db.js';
import { parseJson, toJson } from './json.js';

export interface DeviceRecord {
  token: string;
  platform: string;
  subscription: Record<string, unknown> | null;
  source: Identifier;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
  /** The profile the device's identity resolves to now; null when that identity was deleted. */
  profileId: string | null;
}

type Row = {
  token: string;
  platform: string;
  subscription: unknown;
  source_kind: string;
  source_value: string;
  enabled: number;
  created_at: number;
  updated_at: number;
  profile_id: string | null;
};

const toRecord = (r: Row): DeviceRecord => ({
  token: r.token,
  platform: r.platform,
  subscription: parseJson<Record<string, unknown> | null>(r.subscription, null),
  source: { kind: r.source_kind as Identifier['kind'], value: r.source_value },
  enabled: Number(r.enabled) === 1,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  profileId: r.profile_id,
});

/** Devices with their owners: a device hangs on an identity, as events do, so merges carry it without a write. */
const withOwner = (db: Db, workspaceId: string) =>
  db
    .selectFrom('devices as d')
    .leftJoin('identities as i', (j) =>
      j.onRef('i.workspace_id', '=', 'd.workspace_id').onRef('i.kind', '=', 'd.source_kind').onRef('i.value', '=', 'd.source_value'),
    )
    .select([
      'd.token',
      'd.platform',
      'd.subscription',
      'd.source_kind',
      'd.source_value',
      'd.enabled',
      'd.created_at',
      'd.updated_at',
      'i.profile_id',
    ])
    .where('d.workspace_id', '=', workspaceId);

export async function getDevice(db: Db, workspaceId: string, token: string): Promise<DeviceRecord | undefined> {
  const row = await withOwner(db, workspaceId).where('d.token', '=', token).executeTakeFirst();
  return row && toRecord(row);
}

/** The devices whose identities belong to the profiles, in registration order. */
export async function devicesOf(db: Db, workspaceId: string, profileIds: string[]): Promise<DeviceRecord[]> {
  if (!profileIds.length) return [];
  const rows = await withOwner(db, workspaceId)
    .where('i.profile_id', 'in', profileIds)
    .orderBy('d.created_at')
    .orderBy('d.token')
    .execute();
  return rows.map(toRecord);
}

/** Registers a device under an identity, or moves and re-enables it: a token belongs to one profile at a time. */
export async function upsertDevice(
  db: Db,
  workspaceId: string,
  d: { token: string; platform: string; subscription: unknown; source: Identifier; now: number },
): Promise<void> {
  const subscription = d.subscription === undefined ? null : toJson(d.subscription);
  await db
    .insertInto('devices')
    .values({
      workspace_id: workspaceId,
      token: d.token,
      platform: d.platform,
      subscription,
      source_kind: d.source.kind,
      source_value: d.source.value,
      enabled: 1,
      created_at: d.now,
      updated_at: d.now,
    })
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'token']).doUpdateSet({
        platform: d.platform,
        subscription,
        source_kind: d.source.kind,
        source_value: d.source.value,
        enabled: 1,
        updated_at: d.now,
      }),
    )
    .execute();
}

export async function disableDevice(db: Db, workspaceId: string, token: string, now: number): Promise<void> {
  await db
    .updateTable('devices')
    .set({ enabled: 0, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('token', '=', token)
    .execute();
}
