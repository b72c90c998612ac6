import type { CompiledQuery } from 'kysely';
import type { RejectedMessage } from '@threadline/protocol';
import { refusalWarnings } from '../domain/identity/refusal-warnings.js';
import { claimedIdentifiers } from '../domain/identity/resolve.js';
import type { Identifier } from '../domain/identity/types.js';
import { markProfilesDirtyQueries } from '../repos/audience-dirty.js';
import { combinedWrite, runInOrder } from '../repos/combined-writes.js';
import { insertEvents, storedMessageIds } from '../repos/event-inserts.js';
import type { EventRecord, MessageRef } from '../repos/events.js';
import type { Db } from '../repos/db.js';
import { type CommitWith, profileLock } from '../repos/locks.js';
import type { ServiceContext } from './context.js';
import { countOwners, identityTransaction, type Locking, lockOwners } from './identity-transaction.js';
import { toEvent, type IngestOptions } from './ingest-event.js';
import { eventSources, type Item, type Settled, sourcesOf, unrecordable } from './ingest-identified.js';
import { createOwnerCache, type OwnerCache } from './owner-cache.js';
import { knownRecorded, type Recorded, settleClaim } from './record-identity.js';

/** The most messages one group settles: its events are one insert, its reads one statement each. */
export const GROUP_MESSAGES_MAX = 64;

/** Identifier values, message IDs and sources a group's reads may name: a message carries at most 5 identifiers. */
const GROUP_VALUES_MAX = 5 * GROUP_MESSAGES_MAX;

/** One request's messages in a group, as ingest hands them over (none an alias, at most ONE_TRANSACTION_MAX). */
export interface GroupJob {
  ctx: ServiceContext;
  items: Item[];
  opts: IngestOptions;
}

/** What a group settled for one of its requests, once committed. */
export interface JobOutcome extends Settled {
  rejected: RejectedMessage[];
  warnings: RejectedMessage[];
  /** The messages stored, with the profile each was recorded on: for the work that follows the commit (a device's placement). */
  recorded: Array<{ item: Item; recorded: Recorded }>;
}

/** A claim's writes as one statement (repos/combined-writes.ts). */
const asOne = (writes: CompiledQuery[]) => combinedWrite(writes.slice(0, -1), writes[writes.length - 1]!);

interface Entry {
  job: number;
  item: Item;
  ids: Identifier[];
  ref: MessageRef;
}

/** A message settled, with the profile it was recorded on. */
interface Done {
  entry: Entry;
  recorded: Recorded;
}

/** A group's messages as its read found them. */
interface Sorted {
  /** Stored before: duplicates. */
  repeats: Entry[];
  /** Known visitors', recorded from the read. */
  known: Done[];
  /** The rest, to be settled in order. */
  claims: Entry[];
  /** Every message but the repeats: read as not stored, so their events' insert does not ask again. */
  unseen: Set<string>;
}

/**
 * Settles several requests' messages (their claims, events and audience
 * marks) on a single-node PostgreSQL in one transaction: one read of the
 * owners, their views and the stored messages for all of them, under the
 * locks of every identifier and owner, then one round trip of writes ending
 * in the commit. Each request's messages keep their order; a claim is
 * settled as settleClaim settles an identify's, and its writes
 * (repos/combined-writes.ts) go with the commit, unless a later claim of the
 * group must read what they change (it shares an identifier or an owner):
 * then they are written first. Messages of known visitors (every identifier
 * on one profile, no traits) write their event only, unless an earlier
 * message of the same request took a claim's way. A repeated message
 * (stored before) is a duplicate. Nothing is answered until the commit.
 *
 * Without `wait`, a lock held elsewhere is not waited for: the group fails at
 * once (`lock_not_available`), having written nothing. Such locks may be
 * taken in any order, so they go first, the owners' with them, in the read's
 * round trip: two round trips in all. Waited-for locks are taken in order,
 * so the owners are read first, before the transaction: three.
 *
 * @example
 * const [outcome] = await settleGroup([{ ctx, items, opts }]);
 */
export async function settleGroup(jobs: GroupJob[], wait = true): Promise<JobOutcome[]> {
  const { ctx } = jobs[0]!;
  const { db } = ctx.database;
  const ws = ctx.workspace.id;
  const outcomes: JobOutcome[] = jobs.map(() => ({ accepted: 0, duplicates: 0, rejected: [], warnings: [], recorded: [] }));
  const entries: Entry[] = [];
  for (const [job, { items }] of jobs.entries())
    for (const item of items) {
      const ids = claimedIdentifiers(item.claim);
      if (!ids.length) {
        outcomes[job]!.rejected.push(unrecordable(item.index, item.message.messageId));
        continue;
      }
      entries.push({ job, item, ids, ref: { messageId: item.message.messageId, sources: sourcesOf(item) } });
    }
  if (!entries.length) return outcomes;

  const everyId = entries.flatMap((e) => e.ids);
  const refs = entries.map((e) => e.ref);
  const sourcesOfEvent = eventSources(refs);
  const eventOf = ({ entry, recorded }: Done) => toEvent(entry.item.message, recorded.source, jobs[entry.job]!.opts, entry.item.index);
  const write = (trx: Db, locking: Locking, owners: OwnerCache, sorted: Sorted) =>
    writeGroup(trx, locking, owners, jobs, sorted, eventOf, sourcesOfEvent);

  // Tried locks need no order: they go first, the owners' with them, and the one read runs under them.
  const lockThenRead = () =>
    identityTransaction(
      ctx,
      everyId,
      [],
      async (trx, locking) => {
        const owners = createOwnerCache(trx, ws, true, GROUP_VALUES_MAX);
        const sorted = await sortEntries(entries, owners, await readStored(trx, ws, owners, everyId, refs));
        // The locks' statement took every owner of these identifiers: each one read since is locked.
        countOwners(locking, ws, await owners.ownerIdsFor(everyId));
        return { sorted, ...(await write(trx, locking, owners, sorted)) };
      },
      { wait: false, owners: true },
    );
  // Locks waited for are taken in order, so the owners are read first, before the transaction, to be locked up front.
  async function readThenLock() {
    const cache = createOwnerCache(db, ws, false, GROUP_VALUES_MAX);
    const sorted = await sortEntries(entries, cache, await readStored(db, ws, cache, everyId, refs));
    const { claims, known, unseen } = sorted;
    if (!claims.length) {
      const marks = markProfilesDirtyQueries(db, ws, marksOf(known));
      return { sorted, settled: [], inserted: await insertEvents(db, ws, known.map(eventOf), sourcesOfEvent, unseen, marks) };
    }
    const ids = claims.flatMap((e) => e.ids);
    const owned = [...new Set((await cache.ownerIdsFor(ids)).values())];
    const written = await identityTransaction(ctx, ids, owned, async (trx, locking) => {
      // Run again from here on a lock-order restart: nothing below outlives an attempt.
      const owners = createOwnerCache(trx, ws, true, GROUP_VALUES_MAX);
      await lockOwners(locking, ws, owners, ids);
      return write(trx, locking, owners, sorted);
    });
    return { sorted, ...written };
  }

  const { sorted, inserted, settled } = wait ? await readThenLock() : await lockThenRead();
  for (const entry of sorted.repeats) outcomes[entry.job]!.duplicates++;
  for (const done of [...sorted.known, ...settled]) {
    const outcome = outcomes[done.entry.job]!;
    const { index, message, fields } = done.entry.item;
    if (inserted.has(message.messageId)) outcome.accepted++;
    else outcome.duplicates++;
    for (const w of refusalWarnings(done.recorded.refused, fields)) outcome.warnings.push({ index, messageId: message.messageId, ...w });
    outcome.recorded.push({ item: done.entry.item, recorded: done.recorded });
  }
  return outcomes;
}

/** The owners of `ids` (into `cache`) and which of `refs` are stored: one statement when they fit one, two otherwise. */
async function readStored(db: Db, ws: string, cache: OwnerCache, ids: Identifier[], refs: MessageRef[]): Promise<Set<string>> {
  const stored = await cache.ownersAndStored(ids, refs);
  if (stored) return stored;
  await cache.ownerIdsFor(ids);
  return storedMessageIds(db, ws, refs);
}

/** The group's messages as the read found them (`stored`, and the owners in `cache`), in order. */
async function sortEntries(entries: Entry[], cache: OwnerCache, stored: ReadonlySet<string>): Promise<Sorted> {
  const sorted: Sorted = { repeats: [], known: [], claims: [], unseen: new Set() };
  // Requests one of whose messages took a claim's way: their later messages follow it there, in order.
  const claiming = new Set<number>();
  for (const entry of entries) {
    if (stored.has(entry.item.message.messageId)) {
      sorted.repeats.push(entry);
      continue;
    }
    sorted.unseen.add(entry.ref.messageId);
    if (!claiming.has(entry.job) && !Object.keys(entry.item.traits).length) {
      const recorded = knownRecorded(entry.ids, await cache.ownerIdsFor(entry.ids));
      if (recorded) {
        sorted.known.push({ entry, recorded });
        continue;
      }
    }
    claiming.add(entry.job);
    sorted.claims.push(entry);
  }
  return sorted;
}

const marksOf = (all: Done[]) => all.flatMap(({ recorded }) => [recorded.profileId, ...recorded.touched]);

/**
 * Settles a group's claims in order under its locks, then inserts every
 * event with the audience marks and commits, the claims' writes in the
 * commit's round trip: what was inserted, and the claims settled.
 */
async function writeGroup(
  trx: Db,
  locking: Locking,
  owners: OwnerCache,
  jobs: GroupJob[],
  { known, claims, unseen }: Sorted,
  eventOf: (done: Done) => EventRecord,
  sourcesOfEvent: (e: EventRecord) => string[],
): Promise<{ inserted: Set<string>; settled: Done[] }> {
  const ws = jobs[0]!.ctx.workspace.id;
  const settled: Done[] = [];
  // Each claim's writes not yet run, one list a claim.
  const pending: CompiledQuery[][] = [];
  for (const entry of claims) {
    // A claim reading what an earlier one changed reads it written.
    if (pending.length && !owners.knows(entry.ids)) await runInOrder(trx, pending.splice(0).map(asOne));
    await lockOwners(locking, ws, owners, entry.ids);
    const writes: CompiledQuery[] = [];
    const { claim, traits, message } = entry.item;
    const { plan, profileId, touched } = await settleClaim(
      trx,
      jobs[entry.job]!.ctx,
      claim,
      traits,
      message.type,
      owners,
      undefined,
      writes,
    );
    // A later claim of the group naming the profile this one created finds it locked: nobody else sees it yet.
    if (!plan.survivor.id) locking.locks.counted(profileLock(ws, profileId));
    if (writes.length) pending.push(writes);
    settled.push({ entry, recorded: { profileId, source: plan.source, touched, refused: plan.claimRefused } });
  }
  const all = [...known, ...settled];
  // One claim's writes fold into the events' insert with the marks, as a lone identify's do; several claims'
  // go ahead of it a statement each (a shape prepared once), all in the commit's round trip.
  const folded = pending.length === 1 ? pending.splice(0)[0]! : [];
  const ahead = pending.map(asOne);
  const marks = [...folded, ...markProfilesDirtyQueries(trx, ws, marksOf(all))];
  let sent = false;
  const commitWith: CommitWith | undefined =
    locking.commitWith &&
    ((query) => {
      sent = true;
      return locking.commitWith!(query, ahead);
    });
  const inserted = await insertEvents(trx, ws, all.map(eventOf), sourcesOfEvent, unseen, marks, commitWith);
  // The commit's round trip did not take them (not expected in a group): they run before the commit.
  if (!sent) await runInOrder(trx, ahead);
  return { inserted, settled };
}
