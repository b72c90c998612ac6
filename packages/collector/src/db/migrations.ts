import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from './schema.js';

type Db = Kysely<any>;

/** Migrations as code so they ship inside the package and run at start on either dialect. */
function migrations(dialect: Dialect): Record<string, Migration> {
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
