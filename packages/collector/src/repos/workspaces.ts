import { randomBytes, randomUUID } from 'node:crypto';
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

export async function findWorkspaceByKey(db: Db, key: 'write_key' | 'secret_key', value: string): Promise<Workspace | undefined> {
  const row = await db.selectFrom('workspaces').selectAll().where(key, '=', value).executeTakeFirst();
  return row && toWorkspace(row);
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
      ...(keys.writeKey && keys.writeKey !== existing.write_key ? { write_key: keys.writeKey } : {}),
      ...(keys.secretKey && keys.secretKey !== existing.secret_key ? { secret_key: keys.secretKey } : {}),
    };
    if (Object.keys(patch).length) await db.updateTable('workspaces').set(patch).where('id', '=', existing.id).execute();
    return { workspace: toWorkspace({ ...existing, ...patch }), created: false };
  }
  return { workspace: await createWorkspace(db, { name: 'default', ...keys }, now), created: true };
}

/** A new workspace with default settings and fresh keys unless given. */
export async function createWorkspace(db: Db, w: { name: string; writeKey?: string; secretKey?: string }, now: number): Promise<Workspace> {
  const row = {
    id: randomUUID(),
    name: w.name,
    write_key: w.writeKey ?? generateKey('wk'),
    secret_key: w.secretKey ?? generateKey('sk'),
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
