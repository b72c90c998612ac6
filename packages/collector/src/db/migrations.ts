import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { distributeTables, hasCitus } from './citus-layout.js';
import { keyDigest } from './key-digest.js';
import { replacePrimaryKey } from './key-changes.js';
import type { Dialect } from './schema.js';

type Db = Kysely<any>;

/** Migrations as code so they ship inside the package and run at start on either dialect. */
export function migrations(dialect: Dialect): Record<string, Migration> {
  const json = dialect === 'postgres' ? 'jsonb' : 'text';
  return {
    '0001_initial': {
      async up(db: Db) {
        await db.schema
          .createTable('workspaces')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('write_key', 'text', (c) => c.notNull().unique())
          .addColumn('secret_key', 'text', (c) => c.notNull().unique())
          .addColumn('settings', sql.raw(json), (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('profiles')
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('traits', sql.raw(json), (c) => c.notNull())
          .addColumn('merged_into', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('profiles_pk', ['workspace_id', 'id'])
          .execute();
        await db.schema.createIndex('profiles_status').on('profiles').columns(['workspace_id', 'status']).execute();

        await db.schema
          .createTable('identities')
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('profile_id', 'text', (c) => c.notNull())
          .addColumn('replaced_at', 'bigint')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('identities_pk', ['workspace_id', 'kind', 'value'])
          .execute();
        await db.schema.createIndex('identities_profile').on('identities').columns(['workspace_id', 'profile_id']).execute();

        await db.schema
          .createTable('events')
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('message_id', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('event', 'text')
          .addColumn('name', 'text')
          .addColumn('properties', sql.raw(json))
          .addColumn('traits', sql.raw(json))
          .addColumn('context', sql.raw(json))
          .addColumn('anonymous_id', 'text')
          .addColumn('user_id', 'text')
          .addColumn('source_kind', 'text', (c) => c.notNull())
          .addColumn('source_value', 'text', (c) => c.notNull())
          .addColumn('timestamp', 'bigint', (c) => c.notNull())
          .addColumn('received_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('events_pk', ['workspace_id', 'message_id'])
          .execute();
        await db.schema
          .createIndex('events_source')
          .on('events')
          .columns(['workspace_id', 'source_kind', 'source_value', 'timestamp'])
          .execute();

        await db.schema
          .createTable('contact_log')
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('profile_id', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('details', sql.raw(json), (c) => c.notNull())
          .addPrimaryKeyConstraint('contact_log_pk', ['workspace_id', 'id'])
          .execute();
        await db.schema.createIndex('contact_log_profile').on('contact_log').columns(['workspace_id', 'profile_id', 'id']).execute();

        await db.schema
          .createTable('suppressions')
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('address', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('suppressions_pk', ['workspace_id', 'channel', 'address'])
          .execute();
      },
    },
    // Calls made in the same millisecond (page() then track() in one script)
    // must keep the order the client sent them in: the message's position in
    // its batch breaks ties after the receive time.
    '0002_events_seq': {
      async up(db: Db) {
        await db.schema
          .alterTable('events')
          .addColumn('seq', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
      },
    },
    // Saved segments, and the index a behaviour condition reads: the events of
    // one name since a time, without touching the rest of the table.
    '0003_segments': {
      async up(db: Db) {
        await db.schema
          .createTable('segments')
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('definition', sql.raw(json), (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('segments_pk', ['workspace_id', 'id'])
          .execute();
        await db.schema.createIndex('events_name_time').on('events').columns(['workspace_id', 'event', 'timestamp']).execute();
      },
    },
    // Contact imports (SPEC §5): the report's counts on one row, updated by
    // each chunk's transaction, and every rejected row in its own table so a
    // million-row file's rejections can be paged rather than answered at once.
    '0004_imports': {
      async up(db: Db) {
        await db.schema
          .createTable('imports')
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('rows', 'bigint', (c) => c.notNull())
          .addColumn('created', 'bigint', (c) => c.notNull())
          .addColumn('matched', 'bigint', (c) => c.notNull())
          .addColumn('merged', 'bigint', (c) => c.notNull())
          .addColumn('conflicts', 'bigint', (c) => c.notNull())
          .addColumn('rejected', 'bigint', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('finished_at', 'bigint')
          .addPrimaryKeyConstraint('imports_pk', ['workspace_id', 'id'])
          .execute();
        await db.schema
          .createTable('import_rejections')
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('import_id', 'text', (c) => c.notNull())
          .addColumn('row', 'bigint', (c) => c.notNull())
          .addColumn('field', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('import_rejections_pk', ['workspace_id', 'import_id', 'row'])
          .execute();
      },
    },
    // Popup rules (SPEC §6): the validated rule as JSON, and as real columns
    // only what the public route filters and sorts on.
    '0005_popup_rules': {
      async up(db: Db) {
        await db.schema
          .createTable('popup_rules')
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('enabled', 'integer', (c) => c.notNull())
          .addColumn('audience', 'text', (c) => c.notNull())
          .addColumn('priority', 'integer', (c) => c.notNull())
          .addColumn('rule', sql.raw(json), (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('popup_rules_pk', ['workspace_id', 'id'])
          .execute();
        await db.schema
          .createIndex('popup_rules_serving')
          .on('popup_rules')
          .columns(['workspace_id', 'enabled', 'audience', 'priority'])
          .execute();
      },
    },
    // Keys are found by their SHA-256 (then compared in constant time), so
    // no lookup compares a presented key byte by byte (issue 8 §1); and a
    // profile holding only a userId that is not the primary key is
    // addressable (SPEC §1), which profiles stored before said anonymous.
    '0006_claims': {
      async up(db: Db) {
        await db.schema.alterTable('workspaces').addColumn('write_key_hash', 'text').execute();
        await db.schema.alterTable('workspaces').addColumn('secret_key_hash', 'text').execute();
        const rows = await db.selectFrom('workspaces').select(['id', 'write_key', 'secret_key']).execute();
        for (const r of rows) {
          await db
            .updateTable('workspaces')
            .set({ write_key_hash: keyDigest(r.write_key), secret_key_hash: keyDigest(r.secret_key) })
            .where('id', '=', r.id)
            .execute();
        }
        await db.schema.createIndex('workspaces_write_key_hash').on('workspaces').column('write_key_hash').unique().execute();
        await db.schema.createIndex('workspaces_secret_key_hash').on('workspaces').column('secret_key_hash').unique().execute();
        await sql`update profiles set status = 'addressable' where status = 'anonymous' and exists (
          select 1 from identities i where i.workspace_id = profiles.workspace_id and i.profile_id = profiles.id
          and i.kind = 'userId' and i.replaced_at is null)`.execute(db);
      },
    },
    // Opt-outs and devices (SPEC §4, §9). Hard bounces are counted per
    // channel and address until the workspace's threshold suppresses it.
    // Devices hang on an identity (like events), so merges and unmerges carry
    // them without a write; `columns` keeps how an import read its header.
    '0007_reach': {
      async up(db: Db) {
        await db.schema
          .createTable('bounce_counts')
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('address', 'text', (c) => c.notNull())
          .addColumn('hard', 'integer', (c) => c.notNull())
          .addColumn('last_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('bounce_counts_pk', ['workspace_id', 'channel', 'address'])
          .execute();
        await db.schema
          .createTable('devices')
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('token', 'text', (c) => c.notNull())
          .addColumn('platform', 'text', (c) => c.notNull())
          .addColumn('subscription', sql.raw(json))
          .addColumn('source_kind', 'text', (c) => c.notNull())
          .addColumn('source_value', 'text', (c) => c.notNull())
          .addColumn('enabled', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('devices_pk', ['workspace_id', 'token'])
          .execute();
        await db.schema.createIndex('devices_source').on('devices').columns(['workspace_id', 'source_kind', 'source_value']).execute();
        await db.schema.createIndex('suppressions_address').on('suppressions').columns(['workspace_id', 'address']).execute();
        await db.schema.alterTable('imports').addColumn('columns', sql.raw(json)).execute();
      },
    },
    // Webhooks (SPEC §9): endpoints, one delivery row per (event, subscribed
    // endpoint) written in the transaction of the change it reports (the
    // outbox), and every attempt made. The body is stored as sent, so a
    // retry is byte-identical and keeps its signature input and webhook-id.
    '0008_webhooks': {
      async up(db: Db) {
        await db.schema
          .createTable('webhook_endpoints')
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('url', 'text', (c) => c.notNull())
          .addColumn('description', 'text')
          .addColumn('events', sql.raw(json), (c) => c.notNull())
          .addColumn('secret', 'text', (c) => c.notNull())
          .addColumn('enabled', 'integer', (c) => c.notNull())
          .addColumn('disabled_reason', 'text')
          .addColumn('failing_since', 'bigint')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('webhook_endpoints_pk', ['workspace_id', 'id'])
          .execute();
        await db.schema
          .createTable('webhook_deliveries')
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('endpoint_id', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('profile_id', 'text')
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('last_status', 'integer')
          .addColumn('last_error', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
          .addColumn('delivered_at', 'bigint')
          .addColumn('locked_until', 'bigint')
          .addColumn('retry_once', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('webhook_deliveries_pk', ['workspace_id', 'id'])
          .execute();
        // The worker's scan: pending rows by due time, across workspaces.
        await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
        // In order per profile: is an earlier delivery of this endpoint and profile still pending?
        await db.schema
          .createIndex('webhook_deliveries_chain')
          .on('webhook_deliveries')
          .columns(['workspace_id', 'endpoint_id', 'profile_id', 'status', 'id'])
          .execute();
        await db.schema
          .createIndex('webhook_deliveries_list')
          .on('webhook_deliveries')
          .columns(['workspace_id', 'endpoint_id', 'id'])
          .execute();
        await db.schema
          .createTable('webhook_attempts')
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('delivery_id', 'text', (c) => c.notNull())
          .addColumn('attempt', 'integer', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('status', 'integer')
          .addColumn('error', 'text')
          .addColumn('duration_ms', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('webhook_attempts_pk', ['workspace_id', 'delivery_id', 'attempt'])
          .execute();
      },
    },
    // Live audiences (SPEC §5, §9): saved segments' members kept as rows,
    // profiles waiting to be re-checked (a version, so a mark made while a
    // pass reads them is never cleared by it), each workspace's last pass
    // time (windows that closed since are re-checked), triggers and their
    // firings (one row per trigger and profile: fires once).
    '0009_audience': {
      async up(db: Db) {
        // When the segment's stored membership was last rebuilt whole; null for
        // segments saved before this migration, which the next pass builds.
        await db.schema.alterTable('segments').addColumn('members_at', 'bigint').execute();
        await db.schema
          .createTable('segment_members')
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('segment_id', 'text', (c) => c.notNull())
          .addColumn('profile_id', 'text', (c) => c.notNull())
          .addColumn('entered_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('segment_members_pk', ['workspace_id', 'segment_id', 'profile_id'])
          .execute();
        await db.schema.createIndex('segment_members_profile').on('segment_members').columns(['workspace_id', 'profile_id']).execute();
        await db.schema
          .createTable('audience_dirty')
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('profile_id', 'text', (c) => c.notNull())
          .addColumn('version', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('audience_dirty_pk', ['workspace_id', 'profile_id'])
          .execute();
        await db.schema
          .createTable('audience_passes')
          .addColumn('workspace_id', 'text', (c) => c.primaryKey())
          .addColumn('checked_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('triggers')
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('condition', sql.raw(json), (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('wait_for', sql.raw(json), (c) => c.notNull())
          .addColumn('enabled', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('triggers_pk', ['workspace_id', 'id'])
          .execute();
        await db.schema
          .createTable('trigger_firings')
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('trigger_id', 'text', (c) => c.notNull())
          .addColumn('profile_id', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('matched_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addColumn('fired_at', 'bigint')
          .addColumn('events', sql.raw(json))
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('trigger_firings_pk', ['workspace_id', 'trigger_id', 'profile_id'])
          .execute();
        await db.schema.createIndex('trigger_firings_list').on('trigger_firings').columns(['workspace_id', 'trigger_id', 'id']).execute();
        await db.schema
          .createIndex('trigger_firings_waiting')
          .on('trigger_firings')
          .columns(['workspace_id', 'status', 'expires_at'])
          .execute();
      },
    },
    // Console sign-in sessions (issue 11). Keyed by the hash of the cookie's
    // token alone: the cookie is all a request brings, before its workspace is known.
    '0010_console': {
      async up(db: Db) {
        await db.schema
          .createTable('console_sessions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('workspace_id', 'text', (c) => c.notNull())
          .addColumn('csrf_token', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('console_sessions_expiry').on('console_sessions').column('expires_at').execute();
      },
    },
    // Scale-out on Citus (ARCHITECTURE.md): every key of a distributed table
    // holds its distribution column, so an event is keyed under its source
    // identity and a log entry under its profile, on every store alike; on a
    // database with the citus extension the tables are then distributed.
    '0014_citus_layout': {
      async up(db: Db) {
        await replacePrimaryKey(db, dialect, 'events', ['workspace_id', 'source_value', 'message_id']);
        // "Was this messageId stored?" (SPEC §3) no longer has a key to read.
        await db.schema.createIndex('events_message').on('events').columns(['workspace_id', 'message_id']).execute();
        await replacePrimaryKey(db, dialect, 'contact_log', ['workspace_id', 'profile_id', 'id']);
        // The new key covers a profile's log in order; one entry is found by its ID.
        await db.schema.dropIndex('contact_log_profile').execute();
        await db.schema.createIndex('contact_log_entry').on('contact_log').columns(['workspace_id', 'id']).execute();
        if (dialect === 'postgres' && (await hasCitus(db))) await distributeTables(db);
      },
    },
    // "Was this messageId stored?" names the message's own identifier values
    // (an event's source is always one of them: repos/events.ts), so the
    // key answers it; the extra index cost every event insert a B-tree write
    // at a random place (issue 12).
    '0018_events_message_index': {
      async up(db: Db) {
        await db.schema.dropIndex('events_message').execute();
      },
    },
    // A group of identifies on a single-node PostgreSQL takes its locks and
    // the locks of its identifiers' owners in one statement, ahead of its
    // read under them (repos/locks.ts, `take` with owners): tried, never
    // waited for. The loop reads the owners again until each was locked
    // before it was read (ARCHITECTURE.md "Identity locking"); a profile's
    // key is repos/locks.ts's lockKey of `profile:<ws>:<id>`. Not on Citus,
    // whose groups are not settled this way.
    '0019_claim_locks': {
      async up(db: Db) {
        if (dialect !== 'postgres' || (await hasCitus(db))) return;
        await sql`
          create or replace function threadline_try_claim_locks(ws text, graph int8, keys int8[], kinds text[], vals text[])
          returns void language plpgsql as $fn$
          declare
            held int8[] := keys;
            owners int8[];
          begin
            if (graph is not null and not pg_try_advisory_xact_lock_shared(graph))
              or not (select coalesce(bool_and(pg_try_advisory_xact_lock(k)), true) from unnest(keys) as k) then
              raise exception 'identity locks busy' using errcode = '55P03';
            end if;
            loop
              select array_agg(distinct o.k) into owners from (
                select ('x' || encode(substring(sha256(convert_to('profile:' || ws || ':' || x.profile_id, 'UTF8')) from 1 for 8), 'hex'))::bit(64)::int8 as k
                from unnest(kinds, vals) as w(kind, value)
                cross join lateral (select i.profile_id from identities as i where i.workspace_id = ws and i.kind = w.kind
                  and i.value = w.value and i.replaced_at is null limit 1) as x
              ) as o where o.k <> all(held);
              exit when owners is null;
              if not (select bool_and(pg_try_advisory_xact_lock(k)) from unnest(owners) as k) then
                raise exception 'identity locks busy' using errcode = '55P03';
              end if;
              held := held || owners;
            end loop;
          end $fn$`.execute(db);
      },
    },
  };
}

class InlineProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations() {
    return migrations(this.dialect);
  }
}

/** Brings the schema up to date; throws with the failing migration's name. */
export async function migrateToLatest(db: Db, dialect: Dialect): Promise<void> {
  // Kysely looks for its bookkeeping tables in every schema by name; pinning
  // them to the current schema lets several stores share one server.
  const schema = dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s : undefined;
  const migrator = new Migrator({ db, provider: new InlineProvider(dialect), ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
