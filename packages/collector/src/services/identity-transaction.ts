import type { Identifier } from '../domain/identity/types.js';
import type { Db } from '../repos/db.js';
import { isDistributed } from '../db/distributed.js';
import {
  type CommitWith,
  createIdentityLocks,
  identifierLock,
  type IdentityLocks,
  LockOrderRestart,
  lockedTransaction,
  profileLock,
} from '../repos/locks.js';
import type { ServiceContext } from './context.js';
import type { OwnerCache } from './owner-cache.js';
import { liveProfile } from './profile-view.js';
import type { ProfileRecord } from '../repos/profiles.js';

/** A transaction's identity locks, named for its workspace. */
export interface Locking {
  locks: IdentityLocks;
  /** Takes the locks of these profiles. */
  profiles(ids: Iterable<string>): Promise<void>;
  /** On a single-node PostgreSQL: runs the transaction's last statement and commits with it, in one round trip (repos/locks.ts). */
  commitWith?: CommitWith;
}

/**
 * Runs `body` in a transaction that first takes the locks of `ids` and
 * `profileIds` (ARCHITECTURE.md "Identity locking"). When `body` needs a lock
 * that sorts below one it holds, the transaction is rolled back and run again
 * holding that lock from the start, so no two transactions ever wait for each
 * other in a cycle. Without `wait` (a single-node PostgreSQL only) no lock
 * held elsewhere is waited for: the transaction fails at once
 * (`lock_not_available`); with `owners` as well, the first locks include
 * those of the profiles owning `ids`, and `body` counts each owner it reads
 * of them as locked (`countOwners`).
 *
 * @example
 * await identityTransaction(ctx, [{ kind: 'email', value: 'ana@example.com' }], [], async (trx, lock) => { … });
 */
export async function identityTransaction<T>(
  ctx: ServiceContext,
  ids: Identifier[],
  profileIds: string[],
  body: (trx: Db, locking: Locking) => Promise<T>,
  { wait = true, owners = false }: { wait?: boolean; owners?: boolean } = {},
): Promise<T> {
  const ws = ctx.workspace.id;
  let names = [...ids.map((i) => identifierLock(ws, i.kind, i.value)), ...profileIds.map((id) => profileLock(ws, id))];
  if (ctx.inTransaction) {
    // The request's own SQLite transaction (requestTransaction): it already excludes every other writer, and its locks are no-ops.
    const locks = createIdentityLocks(ctx.database.db, ctx.database.dialect, ws);
    await locks.take(names);
    return body(ctx.database.db, { locks, profiles: (more) => locks.take([...more].map((id) => profileLock(ws, id))) });
  }
  const locking = (locks: IdentityLocks): Locking => ({
    locks,
    profiles: (more) => locks.take([...more].map((id) => profileLock(ws, id))),
  });
  // A single-node PostgreSQL begins in the same round trip as the first locks; SQLite and Citus keep Kysely's transaction.
  const oneTrip = ctx.database.dialect === 'postgres' && !isDistributed(ctx.database.db);
  // Only the function of migration 0019_claim_locks, on a single-node PostgreSQL, locks the owners unread.
  if (owners && ctx.database.dialect === 'postgres' && !oneTrip)
    throw new Error('identityTransaction: owners locked up front only on a single-node PostgreSQL');
  for (;;) {
    try {
      if (oneTrip)
        return await lockedTransaction(
          ctx.database.db,
          ws,
          names,
          (trx, locks, commitWith) => body(trx, { ...locking(locks), commitWith }),
          { wait, ownersOf: owners ? ids : undefined },
        );
      return await ctx.database.db.transaction().execute(async (trx) => {
        const locks = createIdentityLocks(trx, ctx.database.dialect, ws);
        await locks.take(names);
        return body(trx, locking(locks));
      });
    } catch (err) {
      if (!(err instanceof LockOrderRestart)) throw err;
      names = [...names, ...err.names];
    }
  }
}

/**
 * Locks the profiles owning `ids` (whose locks the caller holds) and answers
 * their owners as they stand with those locks held: an owner read before its
 * lock was taken may have been merged away meanwhile, so the owners are read
 * again until every one was locked before the read.
 */
export async function lockOwners(
  locking: Locking,
  ws: string,
  owners: OwnerCache,
  ids: Identifier[],
): Promise<ReadonlyMap<string, string>> {
  for (;;) {
    const owned = await owners.ownerIdsFor(ids);
    const unlocked = [...new Set(owned.values())].filter((id) => !locking.locks.holds(profileLock(ws, id)));
    if (!unlocked.length) return owned;
    await locking.profiles(unlocked);
    owners.forget(ids, unlocked);
  }
}

/**
 * Counts the owners read of `ids` as locked, in a transaction whose first
 * locks took them (identityTransaction with `owners`): the locks' statement
 * read them again until each was locked before it was read, and a locked
 * owner keeps its identifiers, so every owner read since is one it locked.
 */
export function countOwners(locking: Locking, ws: string, owned: ReadonlyMap<string, string>): void {
  for (const id of owned.values()) locking.locks.counted(profileLock(ws, id));
}

/**
 * The live profile `id` is or was merged into, with its lock held: a merged
 * ID leads to its survivor, read before that lock was taken, so it is read
 * again until the profile read was locked at the time.
 */
export async function lockLiveProfile(ctx: ServiceContext, trx: Db, locking: Locking, id: string): Promise<ProfileRecord> {
  const inTrx = { ...ctx, database: { ...ctx.database, db: trx } };
  for (;;) {
    const record = await liveProfile(inTrx, id);
    if (locking.locks.holds(profileLock(ctx.workspace.id, record.id))) return record;
    await locking.profiles([record.id]);
  }
}
