import type { BatchResponse, RejectedMessage } from '@threadline/protocol';
import { validateBatch, type Identified } from './validate-batch.js';
import { extractClaim } from '../domain/identity/claim.js';
import { insertEventsOfKnownSources } from '../repos/known-source-events.js';
import type { Claim } from '../domain/identity/types.js';
import { claimedIdentifiers } from '../domain/identity/resolve.js';
import { hasValidIntegrity } from './verify.js';
import { createPause, unionInSlices } from '../util/yield-to-loop.js';
import type { ServiceContext } from './context.js';
import { toEvent, type IngestOptions } from './ingest-event.js';
import { type Item, settleIdentified, WRITE_SLICE } from './ingest-identified.js';
import { requestTransaction } from './request-transaction.js';
import { settleInGroup, settleInParts } from './identify-groups.js';
import { singleNodePostgres } from '../repos/insert-rows.js';

export type { IngestOptions };

/** The most messages that may change the identity graph settled in one SQLite transaction: about a pause's slice of work. */
const ONE_TRANSACTION_MAX = 20;

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
  const items: Item[] = [];
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
  const write = async (c: ServiceContext) => {
    const fastInserted = await unionInSlices(fastEvents, WRITE_SLICE, pause, (slice) =>
      insertEventsOfKnownSources(c.database.db, c.database.dialect, c.workspace.id, slice),
    );
    const rest = fastInserted.size ? items.filter((i) => !fastInserted.has(i.message.messageId)) : items;
    // The rest may change the identity graph. On SQLite a few messages are one
    // transaction; a big batch is not, as it would keep every other request
    // from the store until it is done (each claim then commits on its own).
    // On a single-node PostgreSQL a few join other requests' in one transaction (settleInGroup), and many
    // are settled in parts of a group's size (settleInParts).
    const settle = (t: ServiceContext) => settleIdentified(t, rest, opts, pause, { rejected, warnings });
    const settleRest = () => {
      if (!rest.length) return { accepted: 0, duplicates: 0 };
      if (c.inTransaction) return settle(c);
      const big = rest.length > ONE_TRANSACTION_MAX;
      if (groupable(c, rest)) return (big ? settleInParts : settleInGroup)({ ctx: c, items: rest, opts }, { rejected, warnings });
      return big ? settle(c) : requestTransaction(c, settle);
    };
    const settled = await settleRest();
    return { accepted: fastInserted.size + settled.accepted, duplicates: settled.duplicates };
  };
  // A batch that fits one slice of writes joins the store's shared SQLite
  // transaction whole (requestTransaction): requests arriving together commit
  // once, and are taken in the order they came. Measured under load at batch
  // 100: no request timed out (10–20 a run did when each wrote on its own, a
  // late one overtaken again and again), p99 0.6–0.9 s rather than 6 s, CPU
  // an event the same within 5 %.
  const small = fastEvents.length <= WRITE_SLICE && items.length - fast.length <= ONE_TRANSACTION_MAX;
  const settled = small ? await requestTransaction(ctx, write) : await write(ctx);
  duplicates += settled.duplicates;
  return { success: true, accepted: settled.accepted, duplicates, rejected, warnings };
}

/** Messages a group of requests may settle together: on a single-node PostgreSQL, and none an alias (it renames identities in strict order). */
const groupable = (ctx: ServiceContext, items: Item[]) =>
  singleNodePostgres(ctx.database.db) && !items.some((i) => i.message.type === 'alias');

/** A message that only says "this anonymous visitor did this": nothing in it can change the identity graph. */
function anonymousOnly(i: { message: Identified; claim: Claim; traits: Record<string, unknown> }): boolean {
  return i.message.type !== 'alias' && !!i.claim.anonymousId && claimedIdentifiers(i.claim).length === 1 && !Object.keys(i.traits).length;
}
