import { notFound } from '../domain/errors.js';
import type { IdentityRow } from '../repos/identities.js';
import { identitiesOf } from '../repos/identities.js';
import { getProfileRecord, type ProfileRecord } from '../repos/profiles.js';
import { suppressionsFor, type Suppression } from '../repos/suppressions.js';
import type { ServiceContext } from './context.js';
import { devicesOf, type DeviceRecord } from '../repos/devices.js';

/** The profile as the admin API answers it (SPEC §9). */
export interface ApiProfile {
  id: string;
  status: string;
  userId: string | null;
  email: string | null;
  phone: string | null;
  anonymousIds: string[];
  traits: Record<string, unknown>;
  suppressions: Array<Omit<Suppression, 'at'> & { at: string }>;
  devices: Array<{ token: string; platform: string; enabled: boolean; updatedAt: string }>;
  createdAt: string;
  updatedAt: string;
}

export const iso = (ms: number) => new Date(ms).toISOString();

/** The current addresses a profile can be messaged at (and suppressed on): its email and phone, and its devices' tokens. */
export const addressesOf = (identities: IdentityRow[], devices: DeviceRecord[] = []) => [
  ...identities.filter((i) => i.replacedAt === null && (i.kind === 'email' || i.kind === 'phone')).map((i) => i.value),
  ...devices.map((d) => d.token),
];

export function toApiProfile(
  record: ProfileRecord,
  identities: IdentityRow[],
  suppressions: Suppression[],
  devices: DeviceRecord[] = [],
): ApiProfile {
  const current = identities.filter((i) => i.profileId === record.id && i.replacedAt === null);
  const one = (kind: string) => current.find((i) => i.kind === kind)?.value ?? null;
  return {
    id: record.id,
    status: record.status,
    userId: one('userId'),
    email: one('email'),
    phone: one('phone'),
    anonymousIds: current.filter((i) => i.kind === 'anonymousId').map((i) => i.value),
    traits: record.traits,
    suppressions: suppressions.map((s) => ({ ...s, at: iso(s.at) })),
    devices: devices
      .filter((d) => d.profileId === record.id)
      .map((d) => ({ token: d.token, platform: d.platform, enabled: d.enabled, updatedAt: iso(d.updatedAt) })),
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
  };
}

/**
 * The live profile an ID names: a merged-away ID answers its survivor (SPEC
 * §9), a deleted or unknown one is not found.
 */
export async function liveProfile(ctx: ServiceContext, id: string): Promise<ProfileRecord> {
  let record = await getProfileRecord(ctx.database.db, ctx.workspace.id, id);
  // Merge chains are short (each merge points at a live survivor when made);
  // the bound only guards against a corrupted cycle.
  for (let hops = 0; record?.mergedInto && hops < 32; hops++) {
    record = await getProfileRecord(ctx.database.db, ctx.workspace.id, record.mergedInto);
  }
  if (!record || record.status === 'deleted' || record.status === 'merged') throw notFound('profile');
  return record;
}

export async function readProfile(ctx: ServiceContext, id: string): Promise<ApiProfile> {
  const record = await liveProfile(ctx, id);
  const identities = await identitiesOf(ctx.database.db, ctx.workspace.id, [record.id]);
  const devices = await devicesOf(ctx.database.db, ctx.workspace.id, [record.id]);
  const suppressions = await suppressionsFor(ctx.database.db, ctx.workspace.id, addressesOf(identities, devices));
  return toApiProfile(record, identities, suppressions, devices);
}
