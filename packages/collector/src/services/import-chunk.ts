import { importOutcome } from '../domain/import/contact.js';
import { type ImportItem, type ReadRow, readsStore } from '../domain/import/read-row.js';
import { claimedIdentifiers, resolveIdentity } from '../domain/identity/resolve.js';
import { identifierKey, type Claim, type ResolveInput } from '../domain/identity/types.js';
import { appendLog } from '../repos/contact-log.js';
import type { CompiledQuery } from 'kysely';
import { runInOrder } from '../repos/combined-writes.js';
import { singleNodePostgres } from '../repos/insert-rows.js';
import type { Db } from '../repos/db.js';
import type { Dialect } from '../db/schema.js';
import { addImportCountsQuery, insertRejectionsQueries, noCounts, type ImportCounts, type RejectionRecord } from '../repos/imports.js';
import { lockIdentityGraph } from '../repos/locks.js';
import { markProfilesDirtyQueries, marksRead } from '../repos/audience-dirty.js';
import type { NewLog } from './apply-plan.js';
import { pendingProfiles } from './import-pending.js';
import type { ServiceContext } from './context.js';
import { createOwnerCache } from './owner-cache.js';
import { settleClaim } from './record-identity.js';
import { readImportRow } from './import-row.js';
import { suppressAddress } from './suppressions.js';
import { uuidv7 } from '../util/uuidv7.js';
import { nextTurn } from '../util/yield-to-loop.js';

/** The resolver's input for a row, as settleClaim builds it. */
const inputFor = (ctx: ServiceContext, claim: Claim, owners: ResolveInput['owners']): ResolveInput => ({
  primaryKey: ctx.workspace.settings.primaryKey,
  verifiedLinksOnly: ctx.workspace.settings.verifiedLinksOnly,
  claim,
  owners,
});

/** True when reading these rows needs no store (none names a profile by GUID): they may be read while an earlier chunk is settled. */
export const readsNoStore = (items: ImportItem[]) => !items.some(readsStore);

/**
 * Reads a chunk's rows into claims and opt-outs (services/import-row.ts), in
 * row order. On PostgreSQL the loop gets a turn every TURN_ROWS rows, as
 * settling does: the next chunk is read while the store writes this one, and
 * pg's client must still see each answer and send what is queued.
 */
export async function readChunk(ctx: ServiceContext, items: ImportItem[]): Promise<ReadRow[]> {
  const read: ReadRow[] = [];
  for (const [index, item] of items.entries()) {
    if (turnDue(ctx.database.dialect, index)) await nextTurn();
    read.push(await readImportRow(ctx, item));
  }
  return read;
}

/**
 * Rows of a chunk settled against stored profiles (a dozen statements each)
 * before the chunk commits early: the chunk holds the workspace's identity
 * graph, so this bounds how long live identifies wait, whatever the rows.
 */
export const STORE_ROWS_A_CHUNK = 250;

/**
 * Rows whose log entries are sent to the store as soon as they are settled,
 * while the chunk's later rows are settled: on PostgreSQL the log (about four
 * entries a row, most of what the store does for an import) is written as the
 * collector works on, instead of after it. The entries still commit with the
 * chunk.
 */
export const LOG_ROWS_A_WRITE = 250;

/**
 * Rows of a chunk whose new profiles are held in memory together: at the
 * end of each part they are written with its log (not awaited), and the
 * collector settles the next part while the store writes this one. The
 * chunk's owners were read up front and the owner cache knows every profile
 * being written, so the next part needs no read. A later part's row that
 * changes a profile of an earlier part settles against the store, as a
 * stored profile's row does (its read waits behind the writes sent before it).
 */
export const PART_ROWS = 1000;

/**
 * On PostgreSQL the event loop gets a turn every this many rows settled (or read).
 * Settling never waits on I/O (its awaits resolve as microtasks), and until
 * the loop runs, pg's client neither sees that a statement is done nor sends
 * the next one queued on the connection: with turns only at the log writes
 * (250 rows) the backend sat idle for much of a part. On SQLite there is
 * nothing to send (and a turn there measured slower).
 */
export const TURN_ROWS = 50;

/** Whether a loop over a chunk's rows lets the event loop turn before row `index`: on PostgreSQL, every TURN_ROWS rows. */
const turnDue = (dialect: Dialect, index: number) => dialect === 'postgres' && index > 0 && index % TURN_ROWS === 0;

/**
 * Runs `build`'s statements in order (runInOrder: one pipeline on
 * PostgreSQL) once it has built them; `onSent` is called as they go to the
 * store (building may read it first: a workspace's webhook subscribers).
 */
async function writeAll(trx: Db, build: (writes: CompiledQuery[]) => Promise<unknown>, onSent?: () => void): Promise<void> {
  const writes: CompiledQuery[] = [];
  await build(writes);
  const written = runInOrder(trx, writes);
  onSent?.();
  await written;
}

const countOf = { created: 'created', matched: 'matched', merged: 'merged', conflict: 'conflicts' } as const;

/**
 * Imports one chunk of rows in one transaction holding the workspace's
 * identity lock (SPEC §2 concurrency): each row is settled exactly as a
 * verified identify is, its profile gets an `imported` log entry, and the
 * chunk's rejections and counts are stored with it. Profiles the chunk
 * creates are held in memory, later rows of the same part (PART_ROWS) that
 * change only them are applied there, and they are written together at the
 * part's end (see pendingProfiles); their
 * ids are time-ordered, so the indexes they enter grow at one end. Live
 * identifies wait for at most one chunk, and a failure loses at most the
 * chunk in flight. Settles the items in order until STORE_ROWS_A_CHUNK rows
 * needed stored profiles, and answers how many it settled: the caller passes
 * the rest to the next chunk. `readAhead` is the rows already read (readChunk);
 * `whileWriting` is called once the chunk's last writes are on their way,
 * before it commits: the caller's work then runs while the store writes.
 *
 * @example
 * await importChunk(ctx, importId, [importItem(1, { email: 'ana@example.com', traits: {} })]); // → { counts: { created: 1, matched: 0, … }, settled: 1 }
 */
export async function importChunk(
  given: ServiceContext,
  importId: string,
  items: ImportItem[],
  readAhead?: ReadRow[],
  whileWriting?: () => void,
): Promise<{ counts: ImportCounts; settled: number }> {
  // UUIDv7 profile ids: a million new profiles append to the indexes on profile ids instead of dirtying a random page each.
  const ctx = { ...given, newId: () => uuidv7(given.now()) };
  const { db, dialect } = ctx.database;
  const ws = ctx.workspace.id;
  const counts = noCounts();
  const rejections: RejectionRecord[] = [];
  const read = readAhead ?? (await readChunk(ctx, items));
  const claimed = read.map(({ claim }) => (claim.ok ? claimedIdentifiers(claim.claim) : []));
  let settled = 0;
  await db.transaction().execute(async (trx) => {
    await lockIdentityGraph(trx, dialect, ws);
    const owners = createOwnerCache(trx, ws);
    // One lookup a kind for the whole chunk; settling a row re-reads only what it changed. On PostgreSQL it
    // also tells the keys with no row at all, retired or not: their held rows are plain inserts (pendingProfiles).
    const chunkIds = claimed.flat();
    const retired = singleNodePostgres(trx) ? new Set<string>() : undefined;
    const found = await owners.ownerIdsFor(chunkIds, retired);
    const keys = retired ? chunkIds.map((i) => identifierKey(i.kind, i.value)) : [];
    const rowless = new Set(keys.filter((key) => !found.has(key) && !retired?.has(key)));
    // Audience marks only where a saved segment or an enabled trigger reads them (asked under the lock: marksRead).
    const marked = await marksRead(trx, ws);
    const at = ctx.now();
    const pending = pendingProfiles(ctx, at, owners, rowless);
    const logs: NewLog[] = [];
    const changed = new Set<string>();
    // Writes sent before the chunk's end, each caught at once so a failure waits for the end (below) rather than going unhandled.
    const sent: Array<Promise<unknown>> = [];
    const send = (build: (writes: CompiledQuery[]) => Promise<unknown>, onSent?: () => void) => {
      const written = writeAll(trx, build, onSent);
      written.catch(() => {});
      sent.push(written);
    };
    let storeRows = 0;
    for (const [index, { row, claim, optOuts }] of read.entries()) {
      if (storeRows >= STORE_ROWS_A_CHUNK) break;
      const partEnds = index > 0 && index % PART_ROWS === 0;
      if (partEnds || (index > 0 && index % LOG_ROWS_A_WRITE === 0)) {
        const entries = logs.splice(0);
        send(async (writes) => {
          if (partEnds) await pending.flush(trx, writes);
          await appendLog(trx, ws, entries, writes);
        });
      }
      if (turnDue(dialect, index)) await nextTurn();
      settled = index + 1;
      if (!claim.ok) {
        counts.rejected++;
        rejections.push({ row, field: claim.field, reason: claim.reason });
        continue;
      }
      const ids = claimed[index]!;
      let plan = resolveIdentity(inputFor(ctx, claim.claim, await owners.ownersFor(ids)));
      let profileId: string;
      if (pending.canApply(plan)) {
        profileId = await pending.apply(trx, plan, claim.traits, logs);
      } else {
        // A stored profile is involved: the held ones it names must be stored first, then the row is settled as identify would.
        if (pending.references(plan)) await pending.flush(trx);
        pending.storeClaimed(ids);
        storeRows++;
        ({ plan, profileId } = await settleClaim(trx, ctx, claim.claim, claim.traits, 'import', owners, { logs }));
      }
      for (const id of [profileId, ...plan.merge, ...plan.refused.map((r) => r.profileId)]) changed.add(id);
      const outcome = importOutcome(plan);
      counts[countOf[outcome]]++;
      for (const id of new Set([profileId, ...plan.refused.map((r) => r.profileId)])) {
        logs.push({ profileId: id, type: 'imported', at, details: { importId, row, outcome } });
      }
      for (const o of optOuts) {
        const change = { ...o, source: `import:${importId}`, by: 'import' as const, at };
        await suppressAddress(trx, ctx, change, { owner: profileId, logs });
      }
    }
    // The chunk's last writes, in one pipeline on PostgreSQL. All settle before the commit or rollback.
    // Once they are on their way, the caller works (whileWriting) while the store writes them.
    send(async (writes) => {
      await pending.flush(trx, writes);
      await appendLog(trx, ws, logs, writes);
      writes.push(
        ...insertRejectionsQueries(trx, ws, importId, rejections),
        addImportCountsQuery(trx, ws, importId, counts),
        ...(marked ? markProfilesDirtyQueries(trx, ws, changed) : []),
      );
    }, whileWriting);
    const writes = await Promise.allSettled(sent);
    for (const w of writes) if (w.status === 'rejected') throw w.reason;
  });
  return { counts, settled };
}
