import type { BatchResponse, RejectedMessage } from '@threadline/protocol';
import { validateBatch, type Identified } from './validate-batch.js';
import { correctTimestamp } from '../domain/clock-skew.js';
import { extractClaim } from '../domain/identity/claim.js';
import { insertEvents, storedMessageIds, type EventRecord } from '../repos/events.js';
import { insertEventsOfKnownSources } from '../repos/known-source-events.js';
import { markAnonymousIdsDirty, markProfilesDirty } from '../repos/audience-dirty.js';
import type { Claim, Identifier } from '../domain/identity/types.js';
import { recordAlias } from './alias.js';
import type { ServiceContext } from './context.js';
import { createOwnerCache } from './owner-cache.js';
import { claimedIdentifiers } from '../domain/identity/resolve.js';
import { recordIdentity } from './record-identity.js';
import { hasValidIntegrity } from './verify.js';

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
  const { valid, rejected } = validateBatch(messages, ctx.newId, opts.requestBytes);
  const warnings: RejectedMessage[] = [];

  const { settings, secretKey } = ctx.workspace;
  // A repeat inside the batch is answered as a duplicate before anything is written.
  const seen = new Set<string>();
  let duplicates = 0;
  const items = valid.flatMap(({ index, message }) => {
    if (seen.has(message.messageId)) {
      duplicates++;
      return [];
    }
    seen.add(message.messageId);
    const extracted = extractClaim(message, settings, opts.verified);
    extracted.claim.verified = opts.verified || hasValidIntegrity(extracted.claim, message.integrity, secretKey, settings.primaryKey);
    for (const w of extracted.warnings) warnings.push({ index, messageId: message.messageId, ...w });
    return [{ index, message, ...extracted }];
  });

  // Fast path: events of visitors already in the graph go in with one
  // statement that checks their identity itself; only what it leaves (new
  // visitors, repeats) takes the full path below. An alias in the batch
  // renames identities, so such a batch keeps strict message order instead.
  const fast = items.some((i) => i.message.type === 'alias') ? [] : items.filter(anonymousOnly);
  const fastInserted = fast.length
    ? await insertEventsOfKnownSources(
        ctx.database.db,
        ctx.database.dialect,
        ctx.workspace.id,
        fast.map((i) => toEvent(i.message, { kind: 'anonymousId', value: i.claim.anonymousId! }, opts, i.index)),
      )
    : new Set<string>();
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
  if (rest.length) await cache.ownerIdsFor(rest.flatMap((i) => claimedIdentifiers(i.claim)));
  for (const [position, { index, message, claim, traits }] of rest.entries()) {
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
      stored ??= await storedMessageIds(
        ctx.database.db,
        ctx.workspace.id,
        rest.slice(position).map((i) => i.message.messageId),
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
    events.push(toEvent(message, recorded.source, opts, index));
    changed.add(recorded.profileId);
    for (const id of recorded.touched) changed.add(id);
  }

  const inserted = await insertEvents(ctx.database.db, ctx.workspace.id, events);
  await markProfilesDirty(ctx.database.db, ctx.workspace.id, changed);
  if (fastInserted.size)
    await markAnonymousIdsDirty(
      ctx.database.db,
      ctx.workspace.id,
      fast.filter((i) => fastInserted.has(i.message.messageId)).map((i) => i.claim.anonymousId!),
    );
  duplicates += events.length - inserted.size;
  return { success: true, accepted: fastInserted.size + inserted.size, duplicates, rejected, warnings };
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
    name: m.type === 'page' ? (m.name ?? null) : null,
    properties: m.type === 'track' || m.type === 'page' ? (m.properties ?? {}) : null,
    traits: m.type === 'identify' ? (m.traits ?? {}) : null,
    context: m.context ?? null,
    anonymousId: m.anonymousId ?? null,
    userId: m.userId ?? null,
    source,
    timestamp: correctTimestamp(m.timestamp, m.sentAt ?? opts.batchSentAt, opts.receivedAt),
    receivedAt: opts.receivedAt,
    seq,
  };
}
