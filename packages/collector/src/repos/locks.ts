import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Dialect } from '../db/schema.js';
import type { Db } from './db.js';

/**
 * The whole identity graph of one workspace, exclusively, until the
 * transaction ends: a contact-import chunk settles hundreds of claims at once,
 * more identifier locks than PostgreSQL's lock table should hold for one
 * transaction. Every IdentityLocks transaction holds the same key shared, so
 * the chunk waits for live identifies in flight and they wait for the chunk.
 * SQLite: nothing to do, Kysely runs one transaction at a time on its single
 * connection.
 */
export async function lockIdentityGraph(db: Db, dialect: Dialect, workspaceId: string): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${lockKey(graphKey(workspaceId))}::int8)`.execute(db);
}

const graphKey = (ws: string) => `identity:${ws}`;
/** The lock of one identifier: held by any transaction that may create or decide its owner. */
export const identifierLock = (ws: string, kind: string, value: string) => `identifier:${ws}:${kind}:${value}`;
/** The lock of one profile: held by any transaction that changes its identities, status or traits. */
export const profileLock = (ws: string, profileId: string) => `profile:${ws}:${profileId}`;

/** The advisory-lock key of a name: the first 8 bytes of its SHA-256, as PostgreSQL's signed int8. */
export function lockKey(name: string): bigint {
  return createHash('sha256').update(name).digest().readBigInt64BE(0);
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
   * waiting for it could close a cycle.
   */
  take(names: string[]): Promise<void>;
}

/**
 * Per-identifier and per-profile advisory locks for one PostgreSQL transaction
 * (ARCHITECTURE.md "Identity locking"). The first `take` also takes the
 * workspace's graph key shared (see lockIdentityGraph).
 */
export function createIdentityLocks(trx: Db, dialect: Dialect, workspaceId: string): IdentityLocks {
  const held = new Set<string>();
  let highest: bigint | undefined;
  if (dialect !== 'postgres') return { holds: () => true, take: async () => {} };
  return {
    holds: (name) => held.has(name),
    async take(names) {
      const wanted = [...new Set(names)].filter((n) => !held.has(n)).map((name) => ({ name, key: lockKey(name) }));
      if (!wanted.length) return;
      if (highest !== undefined && wanted.some((w) => w.key <= highest!)) throw new LockOrderRestart(wanted.map((w) => w.name));
      const keys = [...new Set(wanted.map((w) => w.key))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      // The graph key comes first, before any other lock, in every transaction.
      const shared = highest === undefined ? 1 : 0;
      const ordered = shared ? [lockKey(graphKey(workspaceId)), ...keys] : keys;
      // unnest yields the array in order and nothing sorts it again, so the locks are taken in that order.
      await sql`select case when t.n = ${shared} then pg_advisory_xact_lock_shared(t.k) else pg_advisory_xact_lock(t.k) end from unnest(${ordered.map(String)}::int8[]) with ordinality as t(k, n)`.execute(
        trx,
      );
      for (const w of wanted) held.add(w.name);
      highest = keys[keys.length - 1];
    },
  };
}
