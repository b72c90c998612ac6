import { keyDigest } from '../db/key-digest.js';
import type { Db } from '../repos/db.js';
import { announceWorkspaceChange } from '../repos/workspace-changes.js';
import { findWorkspaceByKey, type Workspace } from '../repos/workspaces.js';

export interface WorkspaceDirectory {
  byKey(kind: 'write_key' | 'secret_key', key: string): Promise<Workspace | undefined>;
  /** Forget one cached workspace (every one, without an ID): when a notice says it changed elsewhere. */
  invalidate(workspaceId?: string): void;
  /** After a workspace's settings or keys change here: forget it, and tell the other processes (PostgreSQL NOTIFY). */
  changed(workspaceId: string): Promise<void>;
}

/** 5 s: how long a workspace read by key is trusted when no change notice arrives (THREADLINE_CACHE_TTL_MS). */
export const WORKSPACE_TTL_MS = 5_000;

/**
 * Workspaces by key, cached for `ttlMs` so the tracking API does not read the
 * workspace on every request. A change made through this process's admin API
 * is seen at once (it invalidates); one made by another collector process
 * sharing a PostgreSQL store, as soon as its NOTIFY arrives (the server
 * listens, see repos/workspace-changes.ts), and at worst within `ttlMs` if a
 * notice is lost. Unknown keys are not cached, so a flood of bad keys cannot
 * fill memory.
 */
export function createWorkspaceDirectory(db: Db, now: () => number, ttlMs = WORKSPACE_TTL_MS): WorkspaceDirectory {
  const cache = new Map<string, { workspace: Workspace; until: number }>();
  const invalidate = (workspaceId?: string) => {
    if (workspaceId === undefined) return cache.clear();
    for (const [id, hit] of cache) if (hit.workspace.id === workspaceId) cache.delete(id);
  };
  return {
    async byKey(kind, key) {
      // No key holds a NUL: refused unread (401).
      if (key.includes('\u0000')) return undefined;
      // Cached by digest: a Map lookup then compares hashes, never the key itself.
      const id = `${kind}:${keyDigest(key)}`;
      const hit = cache.get(id);
      if (hit && hit.until > now()) return hit.workspace;
      const workspace = await findWorkspaceByKey(db, kind, key);
      if (workspace) cache.set(id, { workspace, until: now() + ttlMs });
      else cache.delete(id);
      return workspace;
    },
    invalidate,
    async changed(workspaceId) {
      invalidate(workspaceId);
      await announceWorkspaceChange(db, workspaceId);
    },
  };
}
