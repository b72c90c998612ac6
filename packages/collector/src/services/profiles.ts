import { invalid, notFound } from '../domain/errors.js';
import { normalizeEmail, normalizePhone, normalizeUserId } from '../domain/normalize.js';
import type { IdentifierKind } from '../domain/identity/types.js';
import { appendLog, listLog, redactLog, type LogEntry } from '../repos/contact-log.js';
import { eventsOfProfile, type EventRecord, type TimelinePosition } from '../repos/events.js';
import { deleteIdentities, findOwners, identitiesOf } from '../repos/identities.js';
import { identityTransaction, lockLiveProfile } from './identity-transaction.js';
import { markProfilesDirty } from '../repos/audience-dirty.js';
import { getProfileRecord, listProfiles, type ProfileFilter, type ProfileStatus, updateProfile } from '../repos/profiles.js';
import { suppressionsFor } from '../repos/suppressions.js';
import { devicesOf } from '../repos/devices.js';
import { deleteRowsUnder } from '../repos/rows-under.js';
import { redactDeliveries } from '../repos/webhook-deliveries.js';
import type { ServiceContext } from './context.js';
import { addressesOf, iso, liveProfile, readProfile, toApiProfile, type ApiProfile } from './profile-view.js';

const LOOKUP_KINDS: readonly IdentifierKind[] = ['email', 'phone', 'userId', 'anonymousId'];

/** Finds the profile owning one identifier, normalised as on ingest (SPEC §9 lookup). */
export async function lookupProfile(ctx: ServiceContext, query: Record<string, string[] | undefined>): Promise<ApiProfile> {
  const given = LOOKUP_KINDS.filter((k) => query[k] !== undefined);
  const kind = given[0];
  if (given.length !== 1 || !kind || query[kind]?.length !== 1)
    throw invalid('query', 'give exactly one of email, phone, userId, anonymousId, once');
  const raw = query[kind]![0];
  const normalized =
    kind === 'email'
      ? normalizeEmail(raw)
      : kind === 'phone'
        ? normalizePhone(raw, ctx.workspace.settings.defaultCountry)
        : normalizeUserId(raw); // userId and anonymousId are both trimmed on ingest
  if (!normalized.ok) throw invalid(kind, normalized.reason);
  const owners = await findOwners(ctx.database.db, ctx.workspace.id, [{ kind, value: normalized.value }]);
  const id = owners.values().next().value;
  if (!id) throw notFound('profile');
  return readProfile(ctx, id);
}

/** A page of live profiles in id order; `filter` narrows them to a segment. */
export async function listProfilesPage(
  ctx: ServiceContext,
  q: { status?: ProfileStatus; limit: number; after?: string; filter?: ProfileFilter },
) {
  const records = await listProfiles(ctx.database.db, ctx.workspace.id, q);
  const identities = await identitiesOf(
    ctx.database.db,
    ctx.workspace.id,
    records.map((r) => r.id),
  );
  const devices = await devicesOf(
    ctx.database.db,
    ctx.workspace.id,
    records.map((r) => r.id),
  );
  const suppressions = await suppressionsFor(ctx.database.db, ctx.workspace.id, addressesOf(identities, devices));
  const profiles = records.map((r) => {
    const own = identities.filter((i) => i.profileId === r.id);
    const ownDevices = devices.filter((d) => d.profileId === r.id);
    const mine = new Set(addressesOf(own, ownDevices));
    return toApiProfile(
      r,
      own,
      suppressions.filter((s) => mine.has(s.address)),
      ownDevices,
    );
  });
  return { profiles, next: records.length === q.limit ? (records.at(-1)?.id ?? null) : null };
}

const encodeCursor = (p: TimelinePosition) =>
  Buffer.from(JSON.stringify([p.timestamp, p.receivedAt, p.seq, p.messageId])).toString('base64url');

function decodeCursor(cursor: string): TimelinePosition {
  try {
    const [timestamp, receivedAt, seq, messageId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if ([timestamp, receivedAt, seq].every((n) => typeof n === 'number') && typeof messageId === 'string')
      return { timestamp, receivedAt, seq, messageId };
  } catch {
    // fall through to the error below
  }
  throw invalid('after', 'must be the `next` cursor of a previous page');
}

/**
 * The timeline in time order, events from before the person identified
 * included (SPEC §3), a page at a time: `next` is the cursor for the page
 * after this one, null on the last.
 */
export async function profileEvents(ctx: ServiceContext, id: string, limit: number, after?: string) {
  const record = await liveProfile(ctx, id);
  const events = await eventsOfProfile(
    ctx.database.db,
    ctx.workspace.id,
    record.id,
    limit + 1,
    after === undefined ? undefined : decodeCursor(after),
  );
  const page = events.slice(0, limit);
  const last = page.at(-1);
  const next = events.length > limit && last ? encodeCursor(last) : null;
  return {
    next,
    events: page.map((e: EventRecord) => ({
      messageId: e.messageId,
      type: e.type,
      event: e.event,
      name: e.name,
      properties: e.properties,
      traits: e.traits,
      context: e.context,
      timestamp: iso(e.timestamp),
      receivedAt: iso(e.receivedAt),
      anonymousId: e.anonymousId,
      userId: e.userId,
    })),
  };
}

/**
 * A profile's contact log (SPEC §9). A deleted profile's log stays readable,
 * redacted, ending with its `deleted` entry: the deletion itself is on record.
 */
export async function profileLog(ctx: ServiceContext, id: string) {
  const own = await getProfileRecord(ctx.database.db, ctx.workspace.id, id);
  const record = own?.status === 'deleted' ? own : await liveProfile(ctx, id);
  const entries = await listLog(ctx.database.db, ctx.workspace.id, record.id);
  return entries.map((e: LogEntry) => ({ id: e.id, type: e.type, at: iso(e.at), details: e.details }));
}

/**
 * Deletes a profile's identifiers, traits and events (SPEC §5). The row stays
 * as a tombstone with a redacted log, so the deletion itself is on record; a
 * returning anonymous visitor starts a new profile since their ID is gone.
 */
export async function deleteProfile(ctx: ServiceContext, id: string): Promise<void> {
  const ws = ctx.workspace.id;
  // The profile's lock: its identities go, and every claim naming one of them holds it too.
  await identityTransaction(ctx, [], [id], async (trx, locking) => {
    const record = await lockLiveProfile(ctx, trx, locking, id);
    const identities = await identitiesOf(trx, ws, [record.id]);
    await deleteRowsUnder(trx, 'events', ws, identities);
    // Its devices go with it; the suppressions of its addresses stay (they are by address, SPEC §4: an unsubscribe outlives the profile).
    await deleteRowsUnder(trx, 'devices', ws, identities);
    await deleteIdentities(trx, ws, record.id);
    await updateProfile(trx, ws, record.id, { status: 'deleted', traits: {}, now: ctx.now() });
    await redactLog(trx, ws, record.id);
    await redactDeliveries(trx, ws, record.id);
    await appendLog(trx, ws, [{ profileId: record.id, type: 'deleted', at: ctx.now(), details: { identifiers: identities.length } }]);
    // It leaves every saved segment and stops every wait at the next audience pass.
    await markProfilesDirty(trx, ws, [record.id]);
  });
}
