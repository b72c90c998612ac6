import type { BatchResponse, RejectedMessage } from '@threadline/protocol';
import { validateBatch, type Identified } from './validate-batch.js';
import { correctTimestamp } from '../domain/clock-skew.js';
import { extractClaim } from '../domain/identity/claim.js';
import { refusalWarnings } from '../domain/identity/refusal-warnings.js';
import { insertEvents, storedMessageIds, type EventRecord } from '../repos/events.js';
import { insertEventsOfKnownSources } from '../repos/known-source-events.js';
import { markProfilesDirty } from '../repos/audience-dirty.js';
import type { Claim, Identifier } from '../domain/identity/types.js';
import { recordAlias } from './alias.js';
import type { ServiceContext } from './context.js';
import { createOwnerCache } from './owner-cache.js';
import { claimedIdentifiers } from '../domain/identity/resolve.js';
import { recordIdentity } from './record-identity.js';
import { hasValidIntegrity } from './verify.js';
import { deviceOnIdentify } from './devices.js';
import { createPause, inSlices, unionInSlices } from '../util/yield-to-loop.js';

/** Events one statement writes between pauses: a slice of SQLite work well inside SLICE_MS on a slow core. */
const WRITE_SLICE = 250;

export interface IngestOptions {
  /** Sent with the secret key: every claim in it is verified. */
  verified: boolean;
  batchSentAt?: string;
  receivedAt: number;
  /** Size of the request as sent: when it is within the per-message limit, no message in it can exceed it. */
  requestBytes?: number;
}

export interface IngestResult extends BatchResponse {
  /** Messages stored without one of their identifiers (invalid or block-listed), by field. */
  warnings: RejectedMessage[];
}

/**
 * Stores a batch (SPEC §3, §9): invalid messages are rejected by index with the
 * field at fault while the valid ones are stored; a repeated messageId is
 * acknowledged and ignored; each message's identifiers update the identity
 * graph before its event is recorded under the resolved identity.
 */
export async function ingest(ctx: ServiceContext, messages: unknown[], opts: IngestOptions): Promise<IngestResult> {
  // SQLite answers synchronously: every stage below pauses between units of
  // work, so a 2,500-message batch never holds the event loop for long.
  const pause = createPause();
  const { valid, rejected } = await validateBatch(messages, ctx.newId, opts.requestBytes, pause);
  const warnings: RejectedMessage[] = [];

  const { settings, secretKey } = ctx.workspace;
  // A repeat inside the batch is answered as a duplicate before anything is written.
  const seen = new Set<string>();
  let duplicates = 0;
  const items: Array<{ index: number; message: Identified } & ReturnType<typeof extractClaim>> = [];
  for (const { index, message } of valid) {
    await pause(); // normalising phones and checking HMACs costs too, 2,500 times
    if (seen.has(message.messageId)) {
      duplicates++;
      continue;
    }
    seen.add(message.messageId);
    const extracted = extractClaim(message, settings, opts.verified);
    extracted.claim.verified = opts.verified || hasValidIntegrity(extracted.claim, message.integrity, secretKey, settings.primaryKey);
    for (const w of extracted.warnings) warnings.push({ index, messageId: message.messageId, ...w });
    items.push({ index, message, ...extracted });
  }

  // Fast path: events of visitors already in the graph go in with
  // statements (a slice each) that check their identity themselves and mark
  // their profiles for the audience pass; only what it leaves (new
  // visitors, repeats) takes the full path below. An alias in the batch
  // renames identities, so such a batch keeps strict message order instead.
  const fast = items.some((i) => i.message.type === 'alias') ? [] : items.filter(anonymousOnly);
  const fastEvents = fast.map((i) => toEvent(i.message, { kind: 'anonymousId', value: i.claim.anonymousId! }, opts, i.index));
  const fastInserted = await unionInSlices(fastEvents, WRITE_SLICE, pause, (slice) =>
    insertEventsOfKnownSources(ctx.database.db, ctx.database.dialect, ctx.workspace.id, slice),
  );
  const rest = fastInserted.size ? items.filter((i) => !fastInserted.has(i.message.messageId)) : items;

  // Known visitors' events write nothing but their row, so a repeat of one is
  // caught by the insert itself (ON CONFLICT DO NOTHING). Only before a
  // message may change the identity graph is the store asked whether it was
  // seen before, once for the rest of the batch, so a retried identify never
  // applies twice.
  let stored: Set<string> | undefined;
  const events: EventRecord[] = [];
  // Profiles whose audiences (saved segments, triggers) may have changed: re-checked by the audience pass.
  const changed = new Set<string>();
  // One read of the identity graph serves the whole batch; a write makes only
  // what it touched be read again.
  const cache = createOwnerCache(ctx.database.db, ctx.workspace.id);
  await inSlices(
    rest.flatMap((i) => claimedIdentifiers(i.claim)),
    WRITE_SLICE,
    pause,
    (ids) => cache.ownerIdsFor(ids),
  );
  for (const [position, { index, message, claim, traits, fields }] of rest.entries()) {
    await pause();
    const ids = claimedIdentifiers(claim);
    if (!ids.length && message.type !== 'alias') {
      rejected.push({
        index,
        messageId: message.messageId,
        field: 'userId',
        reason: 'no usable userId or anonymousId remains to record the message under',
      });
      continue;
    }
    const mayWrite = async () => {
      stored ??= await unionInSlices(
        rest.slice(position).map((i) => ({ messageId: i.message.messageId, sources: sourcesOf(i) })),
        WRITE_SLICE,
        pause,
        (ids) => storedMessageIds(ctx.database.db, ctx.workspace.id, ids),
      );
      return !stored.has(message.messageId);
    };
    const recorded =
      message.type === 'alias'
        ? (await mayWrite())
          ? await recordAlias(ctx, claim, message.previousId)
          : undefined
        : await recordIdentity(ctx, claim, traits, message.type, cache, mayWrite);
    if (!recorded) {
      duplicates++;
      continue;
    }
    if (recorded.touched.length)
      cache.forget(
        message.type === 'alias'
          ? [...ids, { kind: 'userId', value: message.previousId }, { kind: 'anonymousId', value: message.previousId }]
          : ids,
        recorded.touched,
      );
    for (const w of refusalWarnings(recorded.refused, fields)) warnings.push({ index, messageId: message.messageId, ...w });
    events.push(toEvent(message, recorded.source, opts, index));
    if (message.type === 'identify' && message.context?.device) await deviceOnIdentify(ctx, message.context, recorded);
    changed.add(recorded.profileId);
    for (const id of recorded.touched) changed.add(id);
  }

  const sources = new Map(rest.map((i) => [i.message.messageId, sourcesOf(i)]));
  const sourcesOfEvent = (e: EventRecord) => sources.get(e.messageId) ?? [e.source.value];
  const inserted = (
    await inSlices(events, WRITE_SLICE, pause, (slice) => insertEvents(ctx.database.db, ctx.workspace.id, slice, sourcesOfEvent))
  ).reduce((n, ids) => n + ids.size, 0);
  await markProfilesDirty(ctx.database.db, ctx.workspace.id, changed);
  duplicates += events.length - inserted;
  return { success: true, accepted: fastInserted.size + inserted, duplicates, rejected, warnings };
}

/** The identifier values a message carries: its event's source is one of them, whatever the graph decides. */
function sourcesOf({ message, claim }: { message: Identified; claim: Claim }): string[] {
  const values = claimedIdentifiers(claim).map((i) => i.value);
  return message.type === 'alias' ? [...values, message.previousId] : values;
}

/** A message that only says "this anonymous visitor did this": nothing in it can change the identity graph. */
function anonymousOnly(i: { message: Identified; claim: Claim; traits: Record<string, unknown> }): boolean {
  return i.message.type !== 'alias' && !!i.claim.anonymousId && claimedIdentifiers(i.claim).length === 1 && !Object.keys(i.traits).length;
}

function toEvent(m: Identified, source: Identifier, opts: IngestOptions, seq: number): EventRecord {
  return {
    messageId: m.messageId,
    type: m.type,
    event: m.type === 'track' ? m.event : null,
    name: m.type === 'page' || m.type === 'screen' ? (m.name ?? null) : null,
    // A group call is kept as Segment sends it: the group's ID, and its
    // traits, which describe the group and never become the profile's.
    properties: m.type === 'group' ? { groupId: m.groupId } : m.type === 'identify' || m.type === 'alias' ? null : (m.properties ?? {}),
    traits: m.type === 'identify' || m.type === 'group' ? (m.traits ?? {}) : null,
    context: m.context ?? null,
    anonymousId: m.anonymousId ?? null,
    userId: m.userId ?? null,
    source,
    timestamp: correctTimestamp(m.timestamp, m.sentAt ?? opts.batchSentAt, opts.receivedAt),
    receivedAt: opts.receivedAt,
    seq,
  };
}
