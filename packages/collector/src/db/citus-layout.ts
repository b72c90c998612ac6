import { sql, type Kysely } from 'kysely';

type Db = Kysely<any>;

/**
 * Small tables every query may join with: a copy on every node (ARCHITECTURE.md,
 * "Scale-out on Citus"). Devices are here because re-registering a token moves
 * it to another identity, an update of the column a distributed table would be
 * hashed on, which Citus forbids. Webhook deliveries and their attempts are
 * here because the worker claims them with `FOR UPDATE SKIP LOCKED` and an
 * "earlier delivery pending?" subquery, which Citus runs on reference tables
 * (one node answers) but not across shards.
 */
export const REFERENCE_TABLES = [
  'workspaces',
  'segments',
  'popup_rules',
  'triggers',
  'webhook_endpoints',
  'console_sessions',
  'audience_passes',
  'imports',
  'devices',
  'webhook_deliveries',
  'webhook_attempts',
] as const;

/**
 * Distributed tables and the column each is hashed by, all in one co-location
 * group (text hashes with one shard count): identities and what hangs on an
 * identifier (events, suppressions, bounces) by the identifier's value;
 * profiles and what hangs on a profile by the profile's ID; an import's
 * rejections by the import.
 * The first entry anchors the group.
 */
export const DISTRIBUTED_TABLES: ReadonlyArray<readonly [table: string, column: string]> = [
  ['identities', 'value'],
  ['events', 'source_value'],
  ['suppressions', 'address'],
  ['bounce_counts', 'address'],
  ['profiles', 'id'],
  ['contact_log', 'profile_id'],
  ['segment_members', 'profile_id'],
  ['audience_dirty', 'profile_id'],
  ['trigger_firings', 'profile_id'],
  ['import_rejections', 'import_id'],
];

/** True when the connected database has the citus extension: its migrations then distribute the tables. */
export async function hasCitus(db: Db): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_extension where extname = 'citus'`.execute(db);
  return (rows[0]?.n ?? 0) > 0;
}

/**
 * Distributes the current schema's tables by the layout. Runs inside the
 * migrations' transaction: sequential mode makes Citus create every shard
 * over one connection a worker, which a transaction that also ran DDL needs.
 */
export async function distributeTables(db: Db): Promise<void> {
  await sql`set local citus.multi_shard_modify_mode to 'sequential'`.execute(db);
  for (const table of REFERENCE_TABLES) await sql`select create_reference_table(${table})`.execute(db);
  const [anchor] = DISTRIBUTED_TABLES[0]!;
  for (const [table, column] of DISTRIBUTED_TABLES) {
    const colocate = table === anchor ? 'default' : anchor;
    await sql`select create_distributed_table(${table}, ${column}, colocate_with => ${colocate})`.execute(db);
  }
}
