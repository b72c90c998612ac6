import { sql } from 'kysely';
import type { Dialect } from '../db/schema.js';
import type { Db } from './db.js';

/**
 * Serialises identity writes of one workspace until the transaction ends.
 * PostgreSQL: a transaction-scoped advisory lock, so concurrent identifies for
 * one person queue instead of racing to create two profiles. SQLite: nothing
 * to do, Kysely runs one transaction at a time on its single connection.
 * Only writes take it: events of already-known visitors never do.
 */
export async function lockIdentityGraph(db: Db, dialect: Dialect, workspaceId: string): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtextextended(${`identity:${workspaceId}`}, 0))`.execute(db);
}
