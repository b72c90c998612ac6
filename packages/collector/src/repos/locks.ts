import { hash } from 'node:crypto';
import { CompiledQuery, sql } from 'kysely';
import { deferred, pipelined } from '../db/pipeline.js';
import { markPreparable } from '../db/prepared-statements.js';
import type { Dialect } from '../db/schema.js';
import type { Identifier } from '../domain/identity/types.js';
import type { Db } from './db.js';
import { ownerPairs } from './find-many-owners.js';

/**
 * The whole identity graph of one workspace, exclusively, until the
 * transaction ends: a contact-import chunk settles hundreds of claims at once,
 * more identifier locks than PostgreSQL's lock table should hold for one
 * transaction. Every IdentityLocks transaction holds the same key shared, so
 * the chunk waits for live identifies in flight and they wait for the chunk.
 * `shared` is for a change the chunk must see whole or not at all, and that
 * must see the chunks before it (a saved segment or trigger: whether an
 * import chunk marks its profiles for the audience pass). SQLite: nothing to
 * do, Kysely runs one transaction at a time on its single connection.
 */
export async function lockIdentityGraph(
  db: Db,
  dialect: Dialect,
  workspaceId: string,
  mode: 'exclusive' | 'shared' = 'exclusive',
): Promise<void> {
  if (dialect !== 'postgres') return;
  const key = lockKey(graphKey(workspaceId));
  if (mode === 'shared') await sql`select pg_advisory_xact_lock_shared(${key}::int8)`.execute(db);
  else await sql`select pg_advisory_xact_lock(${key}::int8)`.execute(db);
}

const graphKey = (ws: string) => `identity:${ws}`;
/** The lock of one identifier: held by any transaction that may create or decide its owner. */
export const identifierLock = (ws: string, kind: string, value: string) => `identifier:${ws}:${kind}:${value}`;
/** The lock of one profile: held by any transaction that changes its identities, status or traits. */
export const profileLock = (ws: string, profileId: string) => `profile:${ws}:${profileId}`;

/** The advisory-lock key of a name: the first 8 bytes of its SHA-256, as PostgreSQL's signed int8. */
export function lockKey(name: string): bigint {
  // The one-shot digest: half the CPU of createHash's, and an identify takes a few keys.
  return hash('sha256', name, 'buffer').readBigInt64BE(0);
}

/** Thrown when a transaction needs a lock that sorts below one it holds: it starts over, taking it up front. */
export class LockOrderRestart extends Error {
  constructor(readonly names: string[]) {
    super('identity locks must be taken in order: starting the transaction over');
  }
}

export interface IdentityLocks {
  /** Whether the lock of `name` is held (always true on SQLite). */
  holds(name: string): boolean;
  /**
   * Takes the locks of `names` in ascending key order, in one statement. A
   * name whose key sorts below one already held throws LockOrderRestart:
   * waiting for it could close a cycle. With `ownersOf` (locks tried, not
   * waited for, on a single-node PostgreSQL) the same statement also takes
   * the locks of the profiles owning those identifiers, reading them again
   * until each was locked before it was read: from then on every owner a
   * read of them finds is locked, and the caller counts it held (`counted`).
   */
  take(names: string[], ownersOf?: Identifier[]): Promise<void>;
  /**
   * Counts the lock of `name` as held, without taking it: a profile this
   * transaction created (no other transaction sees it before the commit, and
   * after it any may lock it), or an owner `take` with `ownersOf` locked.
   */
  counted(name: string): void;
}

/** A lock function applied to each key of `overKeys`: its `_shared` form for the graph key (at position `shared`, 1 or 0 for none). */
const eachLock = (lock: string, shared: string) => `case when t.n = ${shared} then ${lock}_shared(t.k) else ${lock}(t.k) end`;
/** The keys (an `int8[]` expression) in the order given, numbered from 1. */
const overKeys = (keys: string) => `from unnest(${keys}::int8[]) with ordinality as t(k, n)`;

/** The locks' statement: the graph key (at position `shared`, 1 or 0 for none) in shared mode, the rest exclusive, in the order given. */
const locksText = (shared: string, keys: string) => `select ${eachLock('pg_advisory_xact_lock', shared)} ${overKeys(keys)}`;

/**
 * The locks' statement when a transaction must not wait: tries each (the
 * graph key, first, shared) and fails with `lock_not_available` (55P03)
 * unless it got them all; the caller rolls back. The keys are
 * numbers made here, written into the text (a `do` block takes no parameters).
 */
const tryLocksText = (keys: readonly bigint[], shared: boolean) =>
  `do $$ begin if not (select bool_and(${eachLock('pg_try_advisory_xact_lock', shared ? '1' : '0')}) ${overKeys(`'{${keys.join(',')}}'`)}) then raise exception 'identity locks busy' using errcode = '55P03'; end if; end $$`;

/** The locks' statement with the owners' (migration 0019_claim_locks): a function, so its text and plans are kept. */
const CLAIM_LOCKS = 'select threadline_try_claim_locks($1, $2::int8, $3::int8[], $4::text[], $5::text[])';
markPreparable(CLAIM_LOCKS);

/**
 * The statement taking the locks of `ordered` (the graph key first, shared,
 * when `shared`): waited for in that order (unnest yields the array in order
 * and nothing sorts it again), or tried. A transaction's first locks
 * (`first`) go out deferred, with its first read, their keys numbers made
 * here written into the text.
 */
function locksStatement(ordered: readonly bigint[], shared: boolean, wait: boolean, first: boolean): CompiledQuery {
  if (!wait) return CompiledQuery.raw(tryLocksText(ordered, shared));
  if (first) return CompiledQuery.raw(locksText(shared ? '1' : '0', `'{${ordered.join(',')}}'`));
  return CompiledQuery.raw(locksText('$1', '$2'), [shared ? 1 : 0, ordered.map(String)]);
}

const BEGIN = CompiledQuery.raw('begin');
const COMMIT = CompiledQuery.raw('commit');
const ROLLBACK = CompiledQuery.raw('rollback');

/**
 * Runs `query` as a transaction's last statement and commits in the same
 * round trip, answering its rows; nothing may run in the transaction after it.
 * `before` go ahead of it in that round trip, in order, each a statement of
 * its own (their rows are not answered).
 */
export type CommitWith = <R>(query: CompiledQuery<R>, before?: readonly CompiledQuery[]) => Promise<R[]>;

/**
 * Runs `body` in a transaction on one connection of a single-node
 * PostgreSQL, committed at the end and rolled back on any error. Its
 * `begin` and first locks are deferred (db/pipeline.ts): they go out with
 * the body's first statement, in one round trip. A body whose last
 * statement is known may run it through `commitWith`, which sends the
 * commit behind it in the same write (pipelined: should it fail, the commit
 * does not run, and the transaction is rolled back). Without `wait` the
 * locks are tried (IdentityLocks); `ownersOf` adds the locks of those
 * identifiers' owners to the first ones (`take`).
 *
 * @example
 * await lockedTransaction(db, ws, [identifierLock(ws, 'email', 'ana@example.com')], async (trx, locks, commitWith) => { … });
 */
export function lockedTransaction<T>(
  db: Db,
  workspaceId: string,
  names: string[],
  body: (trx: Db, locks: IdentityLocks, commitWith: CommitWith) => Promise<T>,
  { wait = true, ownersOf }: { wait?: boolean; ownersOf?: Identifier[] } = {},
): Promise<T> {
  return db.connection().execute(async (conn) => {
    const locks = createIdentityLocks(conn, 'postgres', workspaceId, true, wait);
    let committed = false;
    const commitWith: CommitWith = async <R>(query: CompiledQuery<R>, before: readonly CompiledQuery[] = []) => {
      const { rows } = await conn.executeQuery<R>(pipelined([...before, query, COMMIT], before.length));
      committed = true;
      return rows;
    };
    try {
      await locks.take(names, ownersOf);
      const value = await body(conn, locks, commitWith);
      if (!committed) await conn.executeQuery(COMMIT);
      return value;
    } catch (err) {
      // Nothing may have begun (the connection failed): a rollback then only warns.
      await conn.executeQuery(ROLLBACK).catch(() => {});
      throw err;
    }
  });
}

/**
 * Per-identifier and per-profile advisory locks for one PostgreSQL transaction
 * (ARCHITECTURE.md "Identity locking"). The first `take` also takes the
 * workspace's graph key shared (see lockIdentityGraph); with `begin` it
 * also begins the transaction, in the same round trip (lockedTransaction).
 * Without `wait`, a lock another transaction holds is not waited for: `take`
 * fails (`lock_not_available`) and the transaction must be rolled back.
 */
export function createIdentityLocks(trx: Db, dialect: Dialect, workspaceId: string, begin = false, wait = true): IdentityLocks {
  const held = new Set<string>();
  let highest: bigint | undefined;
  let toBegin = begin;
  if (dialect !== 'postgres') return { holds: () => true, take: async () => {}, counted: () => {} };
  return {
    holds: (name) => held.has(name),
    counted: (name) => void held.add(name),
    async take(names, ownersOf) {
      if (ownersOf && wait) throw new Error("identity locks: an owner's lock is only tried, never waited for");
      const wanted = [...new Set(names)].filter((n) => !held.has(n)).map((name) => ({ name, key: lockKey(name) }));
      if (!wanted.length && !ownersOf?.length) {
        if (toBegin) await trx.executeQuery(deferred([BEGIN]));
        toBegin = false;
        return;
      }
      // A transaction that never waits cannot close a cycle: any order will do.
      if (wait && highest !== undefined && wanted.some((w) => w.key <= highest!)) throw new LockOrderRestart(wanted.map((w) => w.name));
      const keys = [...new Set(wanted.map((w) => w.key))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      // The graph key comes first, before any other lock, in every transaction.
      const shared = highest === undefined;
      const ordered = shared ? [lockKey(graphKey(workspaceId)), ...keys] : keys;
      const statement = ownersOf
        ? CompiledQuery.raw(CLAIM_LOCKS, [workspaceId, shared ? String(ordered[0]) : null, keys.map(String), ...ownerPairs(ownersOf)])
        : locksStatement(ordered, shared, wait, toBegin);
      // `begin` and the first locks go out with the transaction's first read, in one round trip (db/pipeline.ts):
      // PostgreSQL runs that read once they are held.
      await trx.executeQuery(toBegin ? deferred([BEGIN, statement]) : statement);
      toBegin = false;
      for (const w of wanted) held.add(w.name);
      const top = keys[keys.length - 1];
      if (top !== undefined) highest = highest === undefined || top > highest ? top : highest;
    },
  };
}
