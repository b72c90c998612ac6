import { MAX_MESSAGE_BYTES, parseMessage, type BatchResponse, type ParsedMessage, type RejectedMessage } from '@threadline/protocol';
import { correctTimestamp } from '../domain/clock-skew.js';
import { extractClaim } from '../domain/identity/claim.js';
import { insertEvents, storedMessageIds, type EventRecord } from '../repos/events.js';
import { recordAlias } from './alias.js';
import type { ServiceContext } from './context.js';
import { createOwnerCache } from './owner-cache.js';
import { claimedIdentifiers } from '../domain/identity/resolve.js';
import { recordIdentity, type Recorded } from './record-identity.js';
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

/** A valid message with its messageId, the client's or one made here as Segment's API does. */
type Identified = ParsedMessage & { messageId: string };

const messageIdOf = (raw: unknown) =>
  raw && typeof raw === 'object' && typeof (raw as { messageId?: unknown }).messageId === 'string' ? (raw as { messageId: string }).messageId : undefined;

/**
 * Stores a batch (SPEC §3, §9): invalid messages are rejected by index with the
 * field at fault while the valid ones are stored; a repeated messageId is
 * acknowledged and ignored; each message's identifiers update the identity
 * graph before its event is recorded under the resolved identity.
 */
export async function ingest(ctx: ServiceContext, messages: unknown[], opts: IngestOptions): Promise<IngestResult> {
  const rejected: RejectedMessage[] = [];
  const warnings: RejectedMessage[] = [];
  const valid: Array<{ index: number; message: Identified }> = [];
  // Each message is measured as sent (Segment's rule), so a request within the
  // limit skips re-serialising its messages: the check showed in ingest profiles.
  const measure = (opts.requestBytes ?? Infinity) > MAX_MESSAGE_BYTES;
  messages.forEach((raw, index) => {
    const messageId = messageIdOf(raw);
    if (measure && Buffer.byteLength(JSON.stringify(raw) ?? '') > MAX_MESSAGE_BYTES) {
      rejected.push({ index, messageId, field: '(message)', reason: `is larger than ${MAX_MESSAGE_BYTES / 1024} KB` });
      return;
    }
    const parsed = parseMessage(raw);
    if (parsed.ok) valid.push({ index, message: { ...parsed.message, messageId: parsed.message.messageId ?? ctx.newId() } });
    else rejected.push({ index, messageId, field: parsed.field, reason: parsed.reason });
  });

  const { settings, secretKey } = ctx.workspace;
  const items = valid.map(({ index, message }) => {
    const extracted = extractClaim(message, settings, opts.verified);
    extracted.claim.verified = opts.verified || hasValidIntegrity(extracted.claim, message.integrity, secretKey, settings.primaryKey);
    return { index, message, ...extracted };
  });
  // Known visitors' events write nothing but their row, so a repeat of one is
  // caught by the insert itself (ON CONFLICT DO NOTHING). Only before a
  // message may change the identity graph is the store asked whether it was
  // seen before, once for the rest of the batch, so a retried identify never
  // applies twice.
  const seen = new Set<string>();
  let stored: Set<string> | undefined;
  let duplicates = 0;
  const events: EventRecord[] = [];
  // One read of the identity graph serves the whole batch; a write makes only
  // what it touched be read again.
  const cache = createOwnerCache(ctx.database.db, ctx.workspace.id);
  await cache.ownerIdsFor(items.flatMap((i) => claimedIdentifiers(i.claim)));
  for (const [position, { index, message, claim, traits, warnings: claimWarnings }] of items.entries()) {
    if (seen.has(message.messageId)) {
      duplicates++;
      continue;
    }
    seen.add(message.messageId);
    for (const w of claimWarnings) warnings.push({ index, messageId: message.messageId, ...w });
    const ids = claimedIdentifiers(claim);
    if (!ids.length && message.type !== 'alias') {
      rejected.push({ index, messageId: message.messageId, field: 'userId', reason: 'no usable userId or anonymousId remains to record the message under' });
      continue;
    }
    const mayWrite = async () => {
      stored ??= await storedMessageIds(ctx.database.db, ctx.workspace.id, items.slice(position).map((i) => i.message.messageId));
      return !stored.has(message.messageId);
    };
    const recorded =
      message.type === 'alias'
        ? (await mayWrite()) ? await recordAlias(ctx, claim, message.previousId) : undefined
        : await recordIdentity(ctx, claim, traits, message.type, cache, mayWrite);
    if (!recorded) {
      duplicates++;
      continue;
    }
    if (recorded.touched.length) cache.forget(message.type === 'alias' ? [...ids, { kind: 'userId', value: message.previousId }, { kind: 'anonymousId', value: message.previousId }] : ids, recorded.touched);
    events.push(toEvent(message, recorded, opts, index));
  }

  const inserted = await insertEvents(ctx.database.db, ctx.workspace.id, events);
  duplicates += events.length - inserted.size;
  return { success: true, accepted: inserted.size, duplicates, rejected, warnings };
}

function toEvent(m: Identified, recorded: Recorded, opts: IngestOptions, seq: number): EventRecord {
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
    source: recorded.source,
    timestamp: correctTimestamp(m.timestamp, m.sentAt ?? opts.batchSentAt, opts.receivedAt),
    receivedAt: opts.receivedAt,
    seq,
  };
}
