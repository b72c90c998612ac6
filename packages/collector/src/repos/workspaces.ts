import { randomBytes, randomUUID } from 'node:crypto';
import { keyDigest, sameKey } from '../db/key-digest.js';
import { DEFAULT_SETTINGS, type Settings } from '../domain/settings.js';
import type { Db } from './db.js';
import { parseJson, toJson } from './json.js';

export interface Workspace {
  id: string;
  name: string;
  writeKey: string;
  secretKey: string;
  settings: Settings;
}

type Row = { id: string; name: string; write_key: string; secret_key: string; settings: unknown };

const toWorkspace = (r: Row): Workspace => ({
  id: r.id,
  name: r.name,
  writeKey: r.write_key,
  secretKey: r.secret_key,
  // Settings added in later versions get their defaults on read.
  settings: { ...DEFAULT_SETTINGS, ...parseJson<Partial<Settings>>(r.settings, {}) },
});

/**
 * The workspace a key opens: looked up by the key's digest, then confirmed in
 * constant time (issue 8: no byte-by-byte comparison of a secret).
 */
export async function findWorkspaceByKey(db: Db, key: 'write_key' | 'secret_key', value: string): Promise<Workspace | undefined> {
  const row = await db
    .selectFrom('workspaces')
    .selectAll()
    .where(key === 'write_key' ? 'write_key_hash' : 'secret_key_hash', '=', keyDigest(value))
    .executeTakeFirst();
  return row && sameKey(value, row[key]) ? toWorkspace(row) : undefined;
}

export async function getWorkspace(db: Db, id: string): Promise<Workspace | undefined> {
  const row = await db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toWorkspace(row);
}

/** The first workspace made: the one `npm start` creates and the demo store uses. */
export async function defaultWorkspace(db: Db): Promise<Workspace | undefined> {
  const row = await db.selectFrom('workspaces').selectAll().orderBy('created_at').limit(1).executeTakeFirst();
  return row && toWorkspace(row);
}

export const generateKey = (prefix: 'wk' | 'sk') => `${prefix}_${randomBytes(18).toString('base64url')}`;

/**
 * Returns the default workspace, creating it on first start. Keys given by the
 * environment win over stored ones, so an operator can rotate them by restart.
 */
export async function ensureDefaultWorkspace(
  db: Db,
  keys: { writeKey?: string; secretKey?: string },
  now: number,
): Promise<{ workspace: Workspace; created: boolean }> {
  const existing = await db.selectFrom('workspaces').selectAll().orderBy('created_at').limit(1).executeTakeFirst();
  if (existing) {
    const patch = {
      ...(keys.writeKey && keys.writeKey !== existing.write_key
        ? { write_key: keys.writeKey, write_key_hash: keyDigest(keys.writeKey) }
        : {}),
      ...(keys.secretKey && keys.secretKey !== existing.secret_key
        ? { secret_key: keys.secretKey, secret_key_hash: keyDigest(keys.secretKey) }
        : {}),
    };
    if (Object.keys(patch).length) await db.updateTable('workspaces').set(patch).where('id', '=', existing.id).execute();
    return { workspace: toWorkspace({ ...existing, ...patch }), created: false };
  }
  return { workspace: await createWorkspace(db, { name: 'default', ...keys }, now), created: true };
}

/** A new workspace with default settings and fresh keys unless given. */
export async function createWorkspace(db: Db, w: { name: string; writeKey?: string; secretKey?: string }, now: number): Promise<Workspace> {
  const writeKey = w.writeKey ?? generateKey('wk');
  const secretKey = w.secretKey ?? generateKey('sk');
  const row = {
    id: randomUUID(),
    name: w.name,
    write_key: writeKey,
    secret_key: secretKey,
    write_key_hash: keyDigest(writeKey),
    secret_key_hash: keyDigest(secretKey),
    settings: toJson(DEFAULT_SETTINGS),
    created_at: now,
  };
  await db.insertInto('workspaces').values(row).execute();
  return toWorkspace(row);
}

export async function saveSettings(db: Db, workspaceId: string, settings: Settings): Promise<void> {
  await db
    .updateTable('workspaces')
    .set({ settings: toJson(settings) })
    .where('id', '=', workspaceId)
    .execute();
}
