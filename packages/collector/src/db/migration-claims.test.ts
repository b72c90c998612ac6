import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { findWorkspaceByKey } from '../repos/workspaces.js';
import { keyDigest } from './key-digest.js';
import { migrateToLatest, migrations } from './migrations.js';
import type { Schema } from './schema.js';

// 0006_claims on a store written before it: keys gain their digests, and a
// profile holding only a userId (not the primary key) becomes addressable.
describe('migration 0006_claims', () => {
  it('fills key digests and re-judges userId-only profiles on existing data', async () => {
    const db = new Kysely<Schema>({
      dialect: new SqliteDialect({ database: new SQLite(join(mkdtempSync(join(tmpdir(), 'threadline-mig-')), 'old.db')) }),
    });
    const before = Object.fromEntries(Object.entries(migrations('sqlite')).filter(([name]) => name < '0006'));
    const old = new Migrator({ db, provider: { getMigrations: async () => before } });
    expect((await old.migrateToLatest()).error).toBeUndefined();

    const raw = db as unknown as Kysely<any>;
    await raw
      .insertInto('workspaces')
      .values({ id: 'w', name: 'default', write_key: 'wk_old', secret_key: 'sk_old', settings: '{}', created_at: 0 })
      .execute();
    const profile = (id: string, status: string) => ({
      workspace_id: 'w',
      id,
      status,
      traits: '{}',
      merged_into: null,
      created_at: 0,
      updated_at: 0,
    });
    await raw
      .insertInto('profiles')
      .values([profile('cust', 'anonymous'), profile('visitor', 'anonymous')])
      .execute();
    const identity = (kind: string, value: string, profileId: string) => ({
      workspace_id: 'w',
      kind,
      value,
      profile_id: profileId,
      replaced_at: null,
      created_at: 0,
    });
    await raw
      .insertInto('identities')
      .values([identity('userId', 'CUST-1', 'cust'), identity('anonymousId', 'a1', 'cust'), identity('anonymousId', 'a2', 'visitor')])
      .execute();

    await migrateToLatest(db, 'sqlite');
    const ws = await db.selectFrom('workspaces').selectAll().executeTakeFirstOrThrow();
    expect(ws).toMatchObject({ write_key_hash: keyDigest('wk_old'), secret_key_hash: keyDigest('sk_old') });
    expect((await findWorkspaceByKey(db, 'secret_key', 'sk_old'))?.id).toBe('w');
    const statuses = await db.selectFrom('profiles').select(['id', 'status']).orderBy('id').execute();
    expect(statuses).toEqual([
      { id: 'cust', status: 'addressable' },
      { id: 'visitor', status: 'anonymous' },
    ]);
    await db.destroy();
  });
});
