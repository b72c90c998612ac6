import type { RejectedMessage } from '@threadline/protocol';
import type { extractClaim } from '../domain/identity/claim.js';
import { claimedIdentifiers } from '../domain/identity/resolve.js';
import { refusalWarnings } from '../domain/identity/refusal-warnings.js';
import { markProfilesDirty, markProfilesDirtyQueries } from '../repos/audience-dirty.js';
import { insertEvents, storedMessageIds } from '../repos/event-inserts.js';
import type { EventRecord, MessageRef } from '../repos/events.js';
import { inSlices, unionInSlices } from '../util/yield-to-loop.js';
import { recordAlias } from './alias.js';
import type { ServiceContext } from './context.js';
import { deviceOnIdentify } from './devices.js';
import { toEvent, type IngestOptions } from './ingest-event.js';
import { createOwnerCache } from './owner-cache.js';
import { type Alongside, recordIdentity } from './record-identity.js';
import type { Identified } from './validate-batch.js';

/** Events one statement writes between pauses: a slice of SQLite work well inside SLICE_MS on a slow core. */
export const WRITE_SLICE = 250;

export type Item = { index: number; message: Identified } & ReturnType<typeof extractClaim>;

export interface Settled {
  accepted: number;
  duplicates: number;
}

/**
 * The messages of a batch that may change the identity graph (or name no one
 * known yet): each claim is settled in strict order, then the events go in.
 * Inside the request's SQLite transaction (requestTransaction) that is all one
 * commit. On PostgreSQL each identity change is its own transaction under its
 * locks; the last message's transaction also writes the batch's events and
 * audience marks (when they fit one slice), so a request of one identify
 * commits once, and a batch of many adds no statement per message.
 *
 * @example
 * const { accepted, duplicates } = await settleIdentified(ctx, items, opts, createPause(), { rejected, warnings });
 */
export async function settleIdentified(
  ctx: ServiceContext,
  rest: Item[],
  opts: IngestOptions,
  pause: () => Promise<void>,
  out: { rejected: RejectedMessage[]; warnings: RejectedMessage[] },
): Promise<Settled> {
  const ws = ctx.workspace.id;
  const refs = rest.map((i) => ({ messageId: i.message.messageId, sources: sourcesOf(i) }));
  const sourcesOfEvent = eventSources(refs);
  let stored: Set<string> | undefined;
  // The messages that read found not stored: their events' insert does not ask again.
  const unseen = new Set<string>();
  let duplicates = 0;
  let accepted = 0;
  const events: EventRecord[] = [];
  // Profiles whose audiences (saved segments, triggers) may have changed: re-checked by the audience pass.
  const changed = new Set<string>();
  // One read of the identity graph serves the whole batch; a write makes only
  // what it touched be read again. Inside the request's SQLite transaction
  // nothing changes it meanwhile, so the owners' views come with that read.
  const cache = createOwnerCache(ctx.database.db, ws, ctx.inTransaction === true);
  // A message's few identifiers: whether it was stored before is asked in the same statement (not on Citus).
  const claimed = rest.flatMap((i) => claimedIdentifiers(i.claim));
  stored = await cache.ownersAndStored(claimed, refs);
  if (stored) {
    for (const r of refs) if (!stored.has(r.messageId)) unseen.add(r.messageId);
  } else await inSlices(claimed, WRITE_SLICE, pause, (ids) => cache.ownerIdsFor(ids));
  for (const [position, { index, message, claim, traits, fields }] of rest.entries()) {
    await pause();
    const ids = claimedIdentifiers(claim);
    if (!ids.length && message.type !== 'alias') {
      out.rejected.push(unrecordable(index, message.messageId));
      continue;
    }
    // Known visitors' events write nothing but their row, so a repeat of one is
    // caught by the insert itself. Only before a message may change the
    // identity graph is the store asked whether it was seen before, once for
    // the rest of the batch, so a retried identify never applies twice.
    const mayWrite = async () => {
      if (!stored) {
        const asked = rest.slice(position).map((i) => ({ messageId: i.message.messageId, sources: sourcesOf(i) }));
        stored = await unionInSlices(asked, WRITE_SLICE, pause, (ids) => storedMessageIds(ctx.database.db, ws, ids));
        for (const a of asked) if (!stored.has(a.messageId)) unseen.add(a.messageId);
      }
      return !stored.has(message.messageId);
    };
    // Set when the identity transaction wrote the batch's events itself (run again on a lock-order restart: assigned, not added).
    let written: number | undefined;
    const alongside: Alongside = async (trx, r, writes, commitWith) => {
      const all = [...events, toEvent(message, r.source, opts, index)];
      const marks = markProfilesDirtyQueries(trx, ws, [...changed, r.profileId, ...r.touched]);
      // The plan's last writes, the marks and the events: one statement on PostgreSQL, the transaction's last, with its commit.
      written = (await insertEvents(trx, ws, all, sourcesOfEvent, unseen, [...writes, ...marks], commitWith)).size;
    };
    const last = position === rest.length - 1 && !ctx.inTransaction && events.length < WRITE_SLICE;
    const recorded =
      message.type === 'alias'
        ? (await mayWrite())
          ? await recordAlias(ctx, claim, message.previousId)
          : undefined
        : await recordIdentity(ctx, claim, traits, message.type, cache, mayWrite, last ? alongside : undefined);
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
    for (const w of refusalWarnings(recorded.refused, fields)) out.warnings.push({ index, messageId: message.messageId, ...w });
    if (message.type === 'identify' && message.context?.device) await deviceOnIdentify(ctx, message.context, recorded);
    if (written !== undefined) {
      // Nothing follows the last message: the batch's events and marks are all written.
      accepted += written;
      duplicates += events.length + 1 - written;
      events.length = 0;
      changed.clear();
      continue;
    }
    events.push(toEvent(message, recorded.source, opts, index));
    changed.add(recorded.profileId);
    for (const id of recorded.touched) changed.add(id);
  }

  const inserted = (
    await inSlices(events, WRITE_SLICE, pause, (slice) => insertEvents(ctx.database.db, ws, slice, sourcesOfEvent, unseen))
  ).reduce((n, ids) => n + ids.size, 0);
  await markProfilesDirty(ctx.database.db, ws, changed);
  return { accepted: accepted + inserted, duplicates: duplicates + events.length - inserted };
}

/** The rejection of a message left with no identifier to record it under (each was invalid or block-listed). */
export const unrecordable = (index: number, messageId: string): RejectedMessage => ({
  index,
  messageId,
  field: 'userId',
  reason: 'no usable userId or anonymousId remains to record the message under',
});

/** The identifier values a message carries: its event's source is one of them, whatever the graph decides (repos/events.ts MessageRef). */
export function sourcesOf({ message, claim }: Item): string[] {
  const values = claimedIdentifiers(claim).map((i) => i.value);
  return message.type === 'alias' ? [...values, message.previousId] : values;
}

/** insertEvents' `sourcesOf` for events of these messages: each message's identifier values, else the event's own source. */
export function eventSources(refs: MessageRef[]): (e: EventRecord) => string[] {
  const sources = new Map(refs.map((r) => [r.messageId, r.sources]));
  return (e) => sources.get(e.messageId) ?? [e.source.value];
}
